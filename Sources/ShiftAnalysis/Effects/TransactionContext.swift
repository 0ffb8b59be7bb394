/// The transaction a statement runs in, as far as the file shows it.
public struct TransactionContext: Sendable, Hashable {
  /// Whether the statement runs inside a transaction.
  ///
  /// An explicit `BEGIN … COMMIT` block, or the whole file under `assumeInTransaction`. Its locks are then held until COMMIT.
  public var isInTransaction: Bool
  /// Whether the transaction is an explicit block of the file.
  public var isExplicitBlock: Bool
  /// The strongest locks earlier statements of the same transaction hold, which this
  /// statement keeps holding (a scan after an `ACCESS EXCLUSIVE` holds that lock for the
  /// whole scan).
  public var heldLocks: [RelationLock]
  /// Whether the statement cannot run here: it must run outside a transaction block
  /// (`CONCURRENTLY`, `VACUUM`) and the statement is inside one.
  public var isIllegalInTransaction: Bool

  /// Creates a context.
  public init(
    isInTransaction: Bool = false,
    isExplicitBlock: Bool = false,
    heldLocks: [RelationLock] = [],
    isIllegalInTransaction: Bool = false
  ) {
    self.isInTransaction = isInTransaction
    self.isExplicitBlock = isExplicitBlock
    self.heldLocks = heldLocks
    self.isIllegalInTransaction = isIllegalInTransaction
  }

  /// Whether the statement's locks are held until COMMIT rather than released when it ends.
  public var locksHeldUntilCommit: Bool { isInTransaction }

  /// A statement in autocommit mode.
  public static let autocommit = TransactionContext()
}
