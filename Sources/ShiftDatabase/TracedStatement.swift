public import ShiftCore

/// One statement traced as part of a longer run (a migration file traced statement by
/// statement in one transaction): what it did on its own, and the locks the transaction
/// held around it.
///
/// In one transaction locks accumulate: a statement's ``result`` lists only the lock modes
/// it *added*. PostgreSQL keeps one `pg_locks` row per relation and mode, so a weaker mode
/// taken on a relation already locked in a stronger one still shows as added; only a mode
/// the transaction already held is invisible, which ``locksHeldBefore`` lets a reader tell.
public struct TracedStatement: Sendable, Hashable {
  /// The statement's own observations; ``TraceResult/locks`` holds the modes it added
  /// (strongest added mode per relation).
  public var result: TraceResult
  /// Every relation lock (each mode on its own) the transaction held before the statement.
  public var locksHeldBefore: [ObservedLock]
  /// Every relation lock (each mode on its own) the transaction held after it.
  public var locksHeldAfter: [ObservedLock]

  /// Creates a traced statement.
  ///
  /// - Parameters:
  ///   - result: the statement's observations, with the locks it added.
  ///   - locksHeldBefore: the transaction's locks before it.
  ///   - locksHeldAfter: the transaction's locks after it.
  public init(result: TraceResult, locksHeldBefore: [ObservedLock], locksHeldAfter: [ObservedLock])
  {
    self.result = result
    self.locksHeldBefore = locksHeldBefore
    self.locksHeldAfter = locksHeldAfter
  }

  /// Whether the transaction already held exactly `mode` on `relation` before the
  /// statement, so the statement taking it again could not be seen.
  ///
  /// - Parameters:
  ///   - relation: the relation's name before the statement.
  ///   - mode: the lock mode.
  /// - Returns: `true` when that mode was held on that relation.
  public func wasHeldBefore(_ relation: RelationName, mode: LockMode) -> Bool {
    locksHeldBefore.contains { $0.relation.name == relation && $0.mode == mode }
  }
}
