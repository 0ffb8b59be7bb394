/// One migration script (or the chosen section of one) in the order its runner applies it.
public struct MigrationUnit: Sendable {
  /// The file's path, relative to the migration set's root (`/`-separated).
  public var path: String
  /// The runner's version of the migration (`"0042"`, `"2.1"`, `"2024-01-01-120000"`),
  /// or `nil` where the runner has none (Flyway repeatables, plain folders, Sqitch).
  public var version: String?
  /// The human-readable name (the file or folder name without the version).
  public var description: String
  /// The direction this unit belongs to.
  public var direction: MigrationDirection
  /// How the runner wraps this unit in transactions.
  public var transactionMode: TransactionMode
  /// Why: the runner default or the marker that set the mode (shown to users).
  public var transactionReason: String
  /// For files holding both directions (goose, dbmate): the byte range of the chosen
  /// direction's section; `nil` when the whole file applies.
  public var section: Range<Int>?
  /// goose `-- +goose StatementBegin` … `StatementEnd` groups inside the section.
  public var statementGroups: [StatementGroup]
  /// The bytes to parse: the file's bytes with everything outside ``section`` replaced by
  /// spaces (newlines kept), so line and column numbers match the original file.
  public var bytes: [UInt8]

  /// Creates a unit.
  public init(
    path: String,
    version: String?,
    description: String,
    direction: MigrationDirection,
    transactionMode: TransactionMode,
    transactionReason: String,
    section: Range<Int>? = nil,
    statementGroups: [StatementGroup] = [],
    bytes: [UInt8]
  ) {
    self.path = path
    self.version = version
    self.description = description
    self.direction = direction
    self.transactionMode = transactionMode
    self.transactionReason = transactionReason
    self.section = section
    self.statementGroups = statementGroups
    self.bytes = bytes
  }
}

/// A goose `StatementBegin` … `StatementEnd` block: goose sends its body as one statement.
public struct StatementGroup: Sendable, Hashable {
  /// The byte range of the body (from the line after `StatementBegin` to the start of the
  /// `StatementEnd` line).
  public var range: Range<Int>
  /// The 1-based line of the `StatementBegin` annotation.
  public var beginLine: Int
  /// How many statements SafeShift's splitter finds in the body.
  ///
  /// goose sends the body as a single query, so more than one means several statements
  /// share one round trip.
  public var statementCount: Int

  /// Creates a group.
  public init(range: Range<Int>, beginLine: Int, statementCount: Int) {
    self.range = range
    self.beginLine = beginLine
    self.statementCount = statementCount
  }
}
