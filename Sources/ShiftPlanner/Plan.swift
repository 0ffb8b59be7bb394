public import ShiftAnalysis
import ShiftCore
public import ShiftSyntax

/// A migration split into the phases that keep the old and the new application version
/// working during a rollout: expand, migrate (backfills and validations), contract.
///
/// Produced by ``Planner``; rendered by ``PlanRenderer`` into `expand.sql`, `migrate.sql`,
/// `contract.sql`, `backfills/*.json` and `plan.json` (see `docs/plan-format.md`).
public struct Plan: Sendable, Hashable {
  /// The dialect the plan's SQL is written in.
  public var dialect: Dialect
  /// The PostgreSQL major version the plan was made for.
  public var pgVersion: Int
  /// The migration files planned, in order.
  public var sources: [String]
  /// Every step, in execution order (all expand steps, then migrate, then contract).
  public var steps: [PlanStep]
  /// What the planner could not make safe, or what the people deploying must know, not tied
  /// to one step.
  public var notes: [PlanNote]

  /// Creates a plan.
  public init(
    dialect: Dialect,
    pgVersion: Int,
    sources: [String],
    steps: [PlanStep] = [],
    notes: [PlanNote] = []
  ) {
    self.dialect = dialect
    self.pgVersion = pgVersion
    self.sources = sources
    self.steps = steps
    self.notes = notes
  }

  /// The steps of one phase, in order.
  public func steps(in phase: MigrationPhase) -> [PlanStep] {
    steps.filter { $0.phase == phase }
  }

  /// The backfills, in order.
  public var backfills: [BackfillSpec] { steps.compactMap(\.backfill) }

  /// Every note: the plan's own and each step's.
  public var allNotes: [PlanNote] { notes + steps.flatMap(\.notes) }

  /// Whether some part of the migration could not be made safe.
  public var hasUnsafeParts: Bool { allNotes.contains { $0.kind == .unsafe } }
}

/// Where a step came from: the statement of the user's migration it implements.
public struct SourceReference: Sendable, Hashable {
  /// The migration file.
  public var path: String
  /// 1-based line of the statement's first token.
  public var line: Int
  /// 1-based column of the statement's first token.
  public var column: Int
  /// The statement as written (first line only when long).
  public var excerpt: String

  /// Creates a reference.
  public init(path: String, line: Int, column: Int, excerpt: String) {
    self.path = path
    self.line = line
    self.column = column
    self.excerpt = excerpt
  }

  /// `path:line:column`.
  public var position: String { "\(path):\(line):\(column)" }
}

/// Something the people deploying must know about a step or the plan.
public struct PlanNote: Sendable, Hashable {
  /// How serious the note is.
  public enum Kind: String, Sendable, Hashable {
    /// What the application has to do (stop using a column before contract, write a new
    /// column, switch reads behind a flag).
    case action
    /// Part of the migration could not be made safe; the text says why.
    case unsafe
    /// Background: why the step looks the way it does.
    case info
  }

  /// How serious the note is.
  public var kind: Kind
  /// The note, said plainly.
  public var message: String
  /// The statement of the user's migration the note is about, if one.
  public var source: SourceReference?
  /// For a statement the plan leaves out: its SQL as written.
  public var statement: String?

  /// Creates a note.
  public init(
    _ kind: Kind,
    _ message: String,
    source: SourceReference? = nil,
    statement: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.source = source
    self.statement = statement
  }
}

/// How a step is retried when it fails for a reason worth retrying.
public struct RetryPolicy: Sendable, Hashable {
  /// Failures worth a retry.
  public enum Condition: String, Sendable, Hashable {
    /// SQLSTATE 55P03: `lock_timeout` expired while waiting for a lock.
    case lockTimeout = "lock_timeout"
    /// SQLSTATE 40P01.
    case deadlock
    /// SQLSTATE 40001.
    case serializationFailure = "serialization_failure"
  }

  /// Attempts in all, the first included.
  public var maxAttempts: Int
  /// Wait before the second attempt, in milliseconds; doubled for each later one.
  public var initialDelayMilliseconds: Int
  /// Upper bound of the wait, in milliseconds.
  public var maxDelayMilliseconds: Int
  /// Whether each wait is randomized (between half and all of it).
  public var jitter: Bool
  /// The failures that are retried; anything else fails the step at once.
  public var retryOn: [Condition]

  /// Creates a policy.
  public init(
    maxAttempts: Int,
    initialDelayMilliseconds: Int,
    maxDelayMilliseconds: Int,
    jitter: Bool = true,
    retryOn: [Condition]
  ) {
    self.maxAttempts = maxAttempts
    self.initialDelayMilliseconds = initialDelayMilliseconds
    self.maxDelayMilliseconds = maxDelayMilliseconds
    self.jitter = jitter
    self.retryOn = retryOn
  }

  /// Brief-lock DDL: retry lock timeouts and deadlocks with backoff.
  public static let ddl = RetryPolicy(
    maxAttempts: 10,
    initialDelayMilliseconds: 1000,
    maxDelayMilliseconds: 60_000,
    retryOn: [.lockTimeout, .deadlock]
  )

  /// Steps that must not be repeated automatically.
  public static let never = RetryPolicy(
    maxAttempts: 1,
    initialDelayMilliseconds: 0,
    maxDelayMilliseconds: 0,
    jitter: false,
    retryOn: []
  )
}

/// One unit of work of a plan: SQL statements run together (in one transaction or one by
/// one in autocommit), or a backfill.
public struct PlanStep: Sendable, Hashable {
  /// The phase the step belongs to.
  public var phase: MigrationPhase
  /// A stable id within the plan (`expand-01`, `migrate-02`, …), assigned by ``Planner``.
  public var id: String
  /// A one-line summary (`add column users.full_name`).
  public var summary: String
  /// The statements, in order; empty for a backfill step.
  public var statements: [String]
  /// Whether the statements run in one transaction (false: autocommit, one by one, as
  /// `CREATE INDEX CONCURRENTLY` needs).
  public var isInTransaction: Bool
  /// `lock_timeout` for the step (`SET LOCAL` in a transaction, `SET` otherwise).
  public var lockTimeout: String
  /// `statement_timeout` for the step; `"0"` means none (scans that do not block writes).
  public var statementTimeout: String
  /// How to retry.
  public var retry: RetryPolicy
  /// Run before each attempt when the step is not skipped: removes what a failed earlier
  /// attempt may have left (an INVALID index), and nothing else.
  public var cleanup: [String]
  /// A query returning a row when the step's work is already done: the step is then
  /// skipped, so re-running a phase is harmless.
  public var skipIf: String?
  /// The backfill, for a backfill step.
  public var backfill: BackfillSpec?
  /// Data to back up right before the step runs (what it destroys).
  public var backup: BackupSpec?
  /// The statements of the user's migration the step implements.
  public var origins: [SourceReference]
  /// What to know about the step.
  public var notes: [PlanNote]
  /// Rule ids the step's SQL deliberately does what they warn about, with the reason
  /// (written as `-- safeshift:ignore` comments in the SQL files: a contract step that drops
  /// a column nobody uses any more).
  public var acknowledgedRules: [String]

  /// Creates a step.
  public init(
    phase: MigrationPhase,
    summary: String,
    statements: [String] = [],
    isInTransaction: Bool = true,
    lockTimeout: String = PlanStep.defaultLockTimeout,
    statementTimeout: String = PlanStep.defaultStatementTimeout,
    retry: RetryPolicy = .ddl,
    cleanup: [String] = [],
    skipIf: String? = nil,
    backfill: BackfillSpec? = nil,
    backup: BackupSpec? = nil,
    origins: [SourceReference] = [],
    notes: [PlanNote] = [],
    acknowledgedRules: [String] = []
  ) {
    self.phase = phase
    self.id = ""
    self.summary = summary
    self.statements = statements
    self.isInTransaction = isInTransaction
    self.lockTimeout = lockTimeout
    self.statementTimeout = statementTimeout
    self.retry = retry
    self.cleanup = cleanup
    self.skipIf = skipIf
    self.backfill = backfill
    self.backup = backup
    self.origins = origins
    self.notes = notes
    self.acknowledgedRules = acknowledgedRules
  }

  /// `lock_timeout` of DDL steps unless the migration set one.
  public static let defaultLockTimeout = "5s"
  /// `statement_timeout` of brief DDL steps unless the migration set one.
  public static let defaultStatementTimeout = "30s"
}

/// Data a step destroys, to dump right before it runs.
public struct BackupSpec: Sendable, Hashable {
  /// The table (`schema.name`, unquoted parts).
  public var schema: String
  /// The table's name.
  public var table: String
  /// The columns dropped (empty: the whole table).
  public var columns: [String]
  /// The key columns that identify rows in a column dump.
  public var keyColumns: [String]

  /// Creates a backup request.
  public init(schema: String, table: String, columns: [String], keyColumns: [String]) {
    self.schema = schema
    self.table = table
    self.columns = columns
    self.keyColumns = keyColumns
  }
}
