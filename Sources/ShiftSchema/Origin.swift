public import ShiftCore

/// Where one statement was written: the file, the statement's position and its
/// transaction block.
public struct StatementSite: Sendable, Hashable {
  /// The file's path as given to SafeShift.
  public var path: String
  /// The statement's 0-based index in the file.
  public var statementIndex: Int
  /// The explicit `BEGIN … COMMIT` block of the file the statement runs in, if any.
  public var transactionBlock: Int?
  /// Where the statement was written.
  public var range: SourceRange?

  /// Creates a site.
  public init(
    path: String,
    statementIndex: Int,
    transactionBlock: Int? = nil,
    range: SourceRange? = nil
  ) {
    self.path = path
    self.statementIndex = statementIndex
    self.transactionBlock = transactionBlock
    self.range = range
  }
}

/// Where a catalog object came from.
///
/// Rules ask an origin whether an object was created earlier in the same file or the same
/// transaction as the statement they judge: such objects are new, nobody else uses them
/// yet, so the locks taken on them carry no risk.
public enum Origin: Sendable, Hashable {
  /// Created by a statement of the migration set being replayed.
  case migration(StatementSite)
  /// Created by a statement of a `--schema` file (context only, never reported on).
  case schemaFile(StatementSite)
  /// Read from a live database.
  case introspected
  /// Not created anywhere the catalog saw: a statement referred to it while it was unknown
  /// and the catalog assumed it existed (the site is that statement's).
  case assumed(StatementSite?)

  /// The statement that created (or assumed) the object, when known.
  public var site: StatementSite? {
    switch self {
    case .migration(let site), .schemaFile(let site): site
    case .assumed(let site): site
    case .introspected: nil
    }
  }

  /// Whether the object was created by a migration statement (not context, not assumed).
  public var isMigration: Bool {
    if case .migration = self { return true }
    return false
  }

  /// Whether the object is a placeholder for something the catalog did not know.
  public var isAssumed: Bool {
    if case .assumed = self { return true }
    return false
  }

  /// Whether the object was created by a migration statement of the file that `other`
  /// belongs to.
  public func isSameFile(as other: Origin) -> Bool {
    guard case .migration(let mine) = self, let theirs = other.site else { return false }
    return mine.path == theirs.path
  }

  /// Whether the object was created by a migration statement that runs in the same
  /// transaction as `other`.
  ///
  /// Statements share a transaction when they are in the same explicit `BEGIN … COMMIT`
  /// block of a file; with `wholeFileTransaction` (a runner that wraps each file in one
  /// transaction) every statement of a file outside explicit blocks shares one too.
  /// - Parameters:
  ///   - other: the origin of the statement being judged.
  ///   - wholeFileTransaction: whether the runner wraps each file in a transaction.
  /// - Returns: true when both run in one transaction.
  public func isSameTransaction(as other: Origin, wholeFileTransaction: Bool = false) -> Bool {
    guard case .migration(let mine) = self, let theirs = other.site, mine.path == theirs.path
    else { return false }
    if let block = mine.transactionBlock, let otherBlock = theirs.transactionBlock {
      return block == otherBlock
    }
    return wholeFileTransaction && mine.transactionBlock == nil && theirs.transactionBlock == nil
  }
}
