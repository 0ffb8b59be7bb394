/// Everything one `safeshift trace` run reports: the traced files, each statement with what
/// the database did, and how the trace was run.
public struct TraceDocument: Sendable, Hashable {
  /// One traced file.
  public struct File: Sendable, Hashable {
    /// The path as shown to the user.
    public var path: String
    /// `postgres` or `sqlite`.
    public var dialect: String
    /// How the migration runner wraps the file, when known.
    public var transactionMode: String?
    /// How the file's traced transaction ended: `rolled_back` or `committed` (`null` when
    /// nothing ran in a transaction).
    public var completion: String?
    /// The statements in source order.
    public var statements: [TraceStatement]
    /// Syntax errors of the file.
    public var errors: [ReportError]

    /// Creates a file entry.
    public init(
      path: String,
      dialect: String,
      transactionMode: String? = nil,
      completion: String? = nil,
      statements: [TraceStatement],
      errors: [ReportError] = []
    ) {
      self.path = path
      self.dialect = dialect
      self.transactionMode = transactionMode
      self.completion = completion
      self.statements = statements
      self.errors = errors
    }
  }

  /// The traced files in order.
  public var files: [File]
  /// The database engine and version (`PostgreSQL 15.18`, `SQLite 3.40.1`).
  public var engine: String
  /// Where the statements ran: `scratch database safeshift_trace_…`, `copy of app.db`,
  /// or `live database (real data)`.
  public var target: String
  /// Whether it ran on real data (`--use-real-data`).
  public var realData: Bool
  /// Rows generated per empty table before tracing (`0`: none).
  public var rowsPerTable: Int
  /// Remarks about the run (tables that could not be filled, the schema's origin).
  public var notes: [String]
  /// Whether `--compare` was asked for.
  public var compared: Bool

  /// Creates a document.
  public init(
    files: [File],
    engine: String,
    target: String,
    realData: Bool = false,
    rowsPerTable: Int = 0,
    notes: [String] = [],
    compared: Bool = false
  ) {
    self.files = files
    self.engine = engine
    self.target = target
    self.realData = realData
    self.rowsPerTable = rowsPerTable
    self.notes = notes
    self.compared = compared
  }

  /// Statements whose trace disagrees with the model (with `--compare`).
  public var disagreements: Int {
    files.reduce(0) { sum, file in
      sum + file.statements.filter { !($0.differences ?? []).isEmpty }.count
    }
  }

  /// Statements sent to the database that completed.
  public var traced: Int {
    files.reduce(0) { sum, file in
      sum
        + file.statements.filter {
          $0.execution == .transaction || $0.execution == .outsideTransaction
        }
        .count
    }
  }

  /// Statements the database refused.
  public var failed: Int {
    files.reduce(0) { $0 + $1.statements.filter { $0.execution == .failed }.count }
  }

  /// The sum of the statements' own times, in milliseconds.
  public var totalDurationMs: Double {
    files.reduce(0) { sum, file in
      sum + file.statements.reduce(0) { $0 + ($1.durationMs ?? 0) }
    }
  }
}
