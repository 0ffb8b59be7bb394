/// One statement of a `safeshift trace` report: the fields `lint --format json` has (with
/// `locks`, `rewritesTable` and `scansTable` as observed on the database, and
/// `compatibility`, `phase` and `findings` from the static model, which a trace cannot
/// observe), plus what only a trace knows.
public struct TraceStatement: Sendable, Hashable {
  /// How the statement was run.
  public enum Execution: String, Sendable, Hashable {
    /// Inside the file's traced transaction.
    case transaction
    /// Outside any transaction block (`CONCURRENTLY`, `VACUUM`): its locks were released
    /// before they could be observed.
    case outsideTransaction = "outside_transaction"
    /// Not sent to the database: transaction control (the trace owns the transaction),
    /// psql meta-commands, `COPY … FROM stdin`, or a `CONCURRENTLY` statement on real data.
    case skipped
    /// Sent, and the database refused it; see ``TraceStatement/error``.
    case failed
    /// Not run because an earlier statement failed.
    case notRun = "not_run"
  }

  /// A relation the statement created, altered, dropped or rewrote.
  public struct Object: Sendable, Hashable {
    /// The relation's name (schema `public` left out).
    public var name: String
    /// `table`, `index`, `sequence`, `view`, … (PostgreSQL); `table`, `index`, `view`,
    /// `trigger` (SQLite).
    public var kind: String
    /// The new name, for a renamed relation.
    public var newName: String?

    /// Creates an object entry.
    public init(name: String, kind: String, newName: String? = nil) {
      self.name = name
      self.kind = kind
      self.newName = newName
    }
  }

  /// What the statement read from one table.
  public struct Scan: Sendable, Hashable {
    /// The table.
    public var table: String
    /// Sequential scans started.
    public var sequentialScans: Int
    /// Rows those scans returned.
    public var rowsRead: Int
    /// Index scans started.
    public var indexScans: Int

    /// Creates a scan entry.
    public init(table: String, sequentialScans: Int, rowsRead: Int, indexScans: Int) {
      self.table = table
      self.sequentialScans = sequentialScans
      self.rowsRead = rowsRead
      self.indexScans = indexScans
    }
  }

  /// A place where the static model and the trace disagree.
  public struct Difference: Sendable, Hashable {
    /// `lock`, `rewrite` or `scan`.
    public var aspect: String
    /// The relation concerned.
    public var relation: String
    /// What the model says (`ACCESS EXCLUSIVE`, `rewritten`, `none`, …).
    public var model: String
    /// What the trace observed.
    public var trace: String

    /// Creates a difference.
    public init(aspect: String, relation: String, model: String, trace: String) {
      self.aspect = aspect
      self.relation = relation
      self.model = model
      self.trace = trace
    }

    /// "lock on users: model SHARE, trace ACCESS EXCLUSIVE".
    public var sentence: String { "\(aspect) on \(relation): model \(model), trace \(trace)" }
  }

  /// The error of a statement the database refused.
  public struct Failure: Sendable, Hashable {
    /// The SQLSTATE (PostgreSQL) or result code (SQLite, as `SQLITE_<n>`).
    public var code: String?
    /// The database's message.
    public var message: String

    /// Creates a failure.
    public init(code: String?, message: String) {
      self.code = code
      self.message = message
    }
  }

  /// The fields shared with `lint --format json`.
  public var statement: ReportStatement
  /// How it was run.
  public var execution: Execution
  /// The statement's own time in milliseconds, when it ran.
  public var durationMs: Double?
  /// Whether its locks could be observed (`false` outside a transaction, or not run).
  public var locksObserved: Bool
  /// Every table lock the transaction held after the statement (accumulated since
  /// `BEGIN`), strongest mode per relation.
  public var locksHeld: [ReportLock]
  /// Locks the statement added on relations that are not tables (indexes, sequences).
  public var otherLocks: [ReportLock]
  /// Relations whose storage was replaced (tables, indexes, TOAST).
  public var rewritten: [Object]
  /// What it read, per table.
  public var scans: [Scan]
  /// Relations it created.
  public var created: [Object]
  /// Relations whose definition it changed.
  public var altered: [Object]
  /// Relations it dropped.
  public var dropped: [Object]
  /// Remarks on what could not be observed.
  public var notes: [String]
  /// With `--compare`: where the model and the trace disagree; `nil` without `--compare`.
  public var differences: [Difference]?
  /// With `--compare`: differences that are known and explained, so not counted.
  public var explained: [String]
  /// The error, for a failed statement.
  public var error: Failure?

  /// Creates a statement entry.
  public init(
    statement: ReportStatement,
    execution: Execution,
    durationMs: Double? = nil,
    locksObserved: Bool = false,
    locksHeld: [ReportLock] = [],
    otherLocks: [ReportLock] = [],
    rewritten: [Object] = [],
    scans: [Scan] = [],
    created: [Object] = [],
    altered: [Object] = [],
    dropped: [Object] = [],
    notes: [String] = [],
    differences: [Difference]? = nil,
    explained: [String] = [],
    error: Failure? = nil
  ) {
    self.statement = statement
    self.execution = execution
    self.durationMs = durationMs
    self.locksObserved = locksObserved
    self.locksHeld = locksHeld
    self.otherLocks = otherLocks
    self.rewritten = rewritten
    self.scans = scans
    self.created = created
    self.altered = altered
    self.dropped = dropped
    self.notes = notes
    self.differences = differences
    self.explained = explained
    self.error = error
  }
}
