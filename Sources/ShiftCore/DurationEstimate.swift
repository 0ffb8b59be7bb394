/// How long a statement's work on existing tables should take, from the tables' sizes and
/// assumed throughputs (see `docs/size-aware-severity.md`).
///
/// An estimate, not a measurement: it says which order of magnitude the lock is held for
/// (milliseconds, seconds, minutes, hours), which is what decides whether a migration is an
/// incident.
public struct DurationEstimate: Sendable, Hashable, Codable {
  /// What the statement does to a table.
  public enum Work: String, Sendable, Hashable, Codable {
    /// Reads every row (validation, SET NOT NULL, ATTACH PARTITION).
    case scan
    /// Reads every row and sorts them into a new index.
    case indexBuild = "index_build"
    /// Writes a new copy of the table (and rebuilds its indexes).
    case rewrite
    /// Writes a new version of every row (UPDATE without WHERE).
    case update
    /// Marks every row deleted (DELETE without WHERE).
    case delete

    /// The verb the message uses.
    public var verb: String {
      switch self {
      case .scan: "scans"
      case .indexBuild: "builds an index over"
      case .rewrite: "rewrites"
      case .update: "writes every row of"
      case .delete: "deletes every row of"
      }
    }
  }

  /// The work on one table.
  public struct TableWork: Sendable, Hashable, Codable {
    /// The table as the user writes it.
    public var relation: String
    /// Its estimated number of rows, when known.
    public var rows: Int?
    /// Its size in bytes (estimated from ``rows`` when ``bytesFromRows``).
    public var bytes: Int
    /// Whether ``bytes`` was derived from the row count and an assumed row width.
    public var bytesFromRows: Bool
    /// What happens to the table.
    public var work: Work
    /// The strongest lock held on it meanwhile (`nil` when none is known, as on SQLite).
    public var lock: LockMode?
    /// The assumed throughput of this kind of work, in bytes per second.
    public var bytesPerSecond: Int
    /// `bytes / bytesPerSecond`.
    public var seconds: Double

    /// Creates the work on one table.
    public init(
      relation: String,
      rows: Int?,
      bytes: Int,
      bytesFromRows: Bool = false,
      work: Work,
      lock: LockMode?,
      bytesPerSecond: Int
    ) {
      self.relation = relation
      self.rows = rows
      self.bytes = bytes
      self.bytesFromRows = bytesFromRows
      self.work = work
      self.lock = lock
      self.bytesPerSecond = bytesPerSecond
      self.seconds = Double(bytes) / Double(max(bytesPerSecond, 1))
    }
  }

  /// The tables, in the order the statement works on them.
  public var tables: [TableWork]

  /// Creates an estimate.
  public init(tables: [TableWork]) {
    self.tables = tables
  }

  /// The whole statement's estimated duration in seconds.
  public var seconds: Double { tables.reduce(0) { $0 + $1.seconds } }
}
