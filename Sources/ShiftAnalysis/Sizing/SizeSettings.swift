public import ShiftSchema

/// How findings scale with table sizes (`sizeAware` and `tables` in `.safeshift.yml`).
///
/// A finding whose only risk is how long a lock, scan or rewrite lasts
/// (``SizeSensitivity/duration``) gets an estimated duration from the sizes of the tables
/// it works on and the throughputs below; under ``briefBelowSeconds`` it is lowered to
/// ``briefLevel``, from ``errorFromSeconds`` it is raised to error (unless its level was
/// configured explicitly). Unknown sizes leave the finding as it is.
public struct SizeSettings: Sendable, Equatable {
  /// Whether sizes change findings at all.
  public var isEnabled: Bool
  /// Sizes stated in the configuration, by table name (`name` or `schema.name`); they win
  /// over introspected sizes, so a staging database's small tables do not hide
  /// production's.
  public var declaredTables: [String: TableSize]
  /// Estimated work shorter than this is brief: the finding is lowered to ``briefLevel``.
  public var briefBelowSeconds: Double
  /// What brief findings become: `info`, `warning`, or `off` (dropped).
  public var briefLevel: Configuration.RuleLevel
  /// Estimated work at least this long raises the finding to error.
  public var errorFromSeconds: Double
  /// Assumed throughput of a full-table read (validation, SET NOT NULL), bytes per second.
  public var scanBytesPerSecond: Int
  /// Assumed throughput of an index build (read and sort), bytes per second.
  public var indexBuildBytesPerSecond: Int
  /// Assumed throughput of a table rewrite, or an UPDATE or DELETE of every row, in bytes
  /// per second.
  public var rewriteBytesPerSecond: Int
  /// Assumed bytes per row, for tables whose row count alone is known.
  public var rowBytes: Int
  /// Whether sizes came from a live database, so that an unknown size is worth saying.
  public var hasLiveSizes: Bool
  /// The SQLite database's `journal_mode`, when a live database told it.
  public var sqliteJournalMode: String?

  /// `1024 * 1024`.
  public static let mebibyte = 1_048_576

  /// The documented defaults.
  public init() {
    isEnabled = true
    declaredTables = [:]
    briefBelowSeconds = 1
    briefLevel = .info
    errorFromSeconds = 10
    scanBytesPerSecond = 200 * Self.mebibyte
    indexBuildBytesPerSecond = 50 * Self.mebibyte
    rewriteBytesPerSecond = 25 * Self.mebibyte
    rowBytes = 100
    hasLiveSizes = false
    sqliteJournalMode = nil
  }

  /// The size of a table: the configuration's, else the catalog's.
  ///
  /// - Parameters:
  ///   - name: the table.
  ///   - catalog: the catalog the statement is judged against.
  /// - Returns: what is known (possibly nothing).
  public func size(of name: ObjectName, in catalog: Catalog) -> TableSize {
    if let declared = declaredTables[name.description] ?? declaredTables[name.name] {
      return declared
    }
    guard let table = catalog.tables[name] else { return TableSize() }
    return TableSize(rows: table.estimatedRows, bytes: table.sizeBytes)
  }

  /// Whether an unknown size is worth a word in the message: sizes are known elsewhere.
  public var mentionsUnknownSizes: Bool { hasLiveSizes || !declaredTables.isEmpty }
}
