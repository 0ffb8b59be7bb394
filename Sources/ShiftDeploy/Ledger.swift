import Foundation
import ShiftAnalysis
public import ShiftDatabase
import ShiftPlanner
public import ShiftSyntax

/// One migration's row in the ledger.
public struct MigrationRecord: Sendable, Hashable {
  /// The migration's id.
  public var id: String
  /// SHA-256 of the plan it runs.
  public var planChecksum: String
  /// State (and failed phase).
  public var status: MigrationStatus
  /// How many times it was started from scratch (a rollback and a new `deploy expand` start
  /// attempt 2, …); steps are recorded per attempt.
  public var attempt: Int
  /// Whether backups were explicitly disabled for it.
  public var backupsDisabled: Bool
  /// The last error, if the migration failed.
  public var lastError: String?
  /// When it was created (ISO 8601, UTC).
  public var createdAt: String
  /// When it last changed (ISO 8601, UTC).
  public var updatedAt: String
}

/// One step's record in the ledger.
public struct StepRecord: Sendable, Hashable {
  /// The migration's id.
  public var migrationID: String
  /// The attempt of the migration it belongs to.
  public var attempt: Int
  /// The phase (`expand`, `migrate`, `contract`, or `rollback`).
  public var phase: String
  /// The plan's step id.
  public var stepID: String
  /// `done`, `skipped`, `failed` or `rolled_back`.
  public var status: String
  /// Attempts made (retries included).
  public var attempts: Int
  /// Start time (ISO 8601, UTC).
  public var startedAt: String
  /// End time (ISO 8601, UTC).
  public var finishedAt: String
  /// SQLSTATE of the failure, if one.
  public var sqlstate: String?
  /// The error, if the step failed.
  public var error: String?
}

/// One backup's record in the ledger.
public struct BackupRecord: Sendable, Hashable {
  /// The ledger's id of the backup.
  public var id: Int
  /// The migration it was taken for.
  public var migrationID: String
  /// The migration's attempt it was taken in.
  public var attempt: Int
  /// The phase it was taken before.
  public var phase: String
  /// `pg_dump` (whole database), `pg_dump_table` (data contract drops), `sqlite`
  /// (`VACUUM INTO`), or `disabled` (backups explicitly turned off; nothing taken).
  public var kind: String
  /// What it holds (`public.users`), if not the whole database.
  public var object: String?
  /// The file.
  public var path: String?
  /// Its size in bytes.
  public var sizeBytes: Int?
  /// Its SHA-256.
  public var sha256: String?
  /// Whether it was verified (`pg_restore --list`, `PRAGMA quick_check`).
  public var verified: Bool
  /// When it was recorded (ISO 8601, UTC).
  public var createdAt: String
}

/// The deploy ledger in the target database: creation and upgrade of its tables, the
/// migration state, step and backup records, and the deploy lock.
///
/// All statements bind their values; table names are fixed.
public struct Ledger: Sendable {
  /// The target's dialect.
  public var dialect: Dialect

  /// Creates a ledger accessor.
  public init(dialect: Dialect) { self.dialect = dialect }

  /// Rewrites PostgreSQL-spelled ledger SQL for the dialect: `safeshift.x` →
  /// `safeshift_x`, `$n` → `?n`, `now()` → an ISO 8601 text timestamp.
  func sql(_ text: String) -> String {
    guard dialect == .sqlite else { return text }
    var result = text.replacingOccurrences(of: "safeshift.", with: "safeshift_")
    result = result.replacingOccurrences(of: "now()", with: Self.sqliteNow)
    for number in (1...12).reversed() {
      result = result.replacingOccurrences(of: "$\(number)", with: "?\(number)")
    }
    result = result.replacingOccurrences(of: "::timestamptz", with: "")
    return result
  }

  private static let sqliteNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

  /// A timestamp column as ISO 8601 UTC text.
  func timestamp(_ column: String) -> String {
    dialect == .postgres
      ? "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
      : column
  }

  /// The current time as ISO 8601 UTC text (for `started_at`).
  public static func isoNow() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date())
  }

  // MARK: - Creation and upgrade

  /// Creates the ledger's tables, or upgrades them to ``LedgerSchema/currentVersion``, in
  /// one transaction (serialized by an advisory lock on PostgreSQL).
  ///
  /// - Returns: the version before (0: the ledger did not exist).
  @discardableResult
  public func prepare(_ session: inout some DatabaseSession & ~Copyable) throws -> Int {
    switch dialect {
    case .postgres:
      try session.execute("BEGIN")
      do {
        _ = try session.query(
          "SELECT pg_advisory_xact_lock($1::int4, $2::int4)",
          [String(LedgerSchema.lockClass), String(LedgerSchema.upgradeLockObject)]
        )
        try session.execute("CREATE SCHEMA IF NOT EXISTS safeshift")
        try session.execute(
          """
          CREATE TABLE IF NOT EXISTS safeshift.schema_version (
            component text PRIMARY KEY,
            version integer NOT NULL,
            upgraded_at timestamptz NOT NULL DEFAULT now())
          """
        )
        let before = try upgradeTables(&session)
        try session.execute("COMMIT")
        return before
      } catch {
        try? session.execute("ROLLBACK")
        throw error
      }
    case .sqlite:
      try session.execute("BEGIN IMMEDIATE")
      do {
        try session.execute(
          """
          CREATE TABLE IF NOT EXISTS safeshift_schema_version (
            component TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            upgraded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
          """
        )
        let before = try upgradeTables(&session)
        try session.execute("COMMIT")
        return before
      } catch {
        try? session.execute("ROLLBACK")
        throw error
      }
    }
  }

  private func upgradeTables(_ session: inout some DatabaseSession & ~Copyable) throws -> Int {
    let rows = try session.query(
      sql("SELECT version FROM safeshift.schema_version WHERE component = 'deploy'"),
      []
    )
    let current = rows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
    guard current <= LedgerSchema.currentVersion else {
      throw DeployError(
        .database,
        "the ledger's deploy tables are version \(current), newer than this safeshift "
          + "understands (\(LedgerSchema.currentVersion)); use a newer safeshift"
      )
    }
    guard current < LedgerSchema.currentVersion else { return current }
    for version in (current + 1)...LedgerSchema.currentVersion {
      for statement in LedgerSchema.upgrade(to: version, dialect: dialect) {
        try session.execute(statement)
      }
    }
    _ = try session.query(
      sql(
        """
        INSERT INTO safeshift.schema_version (component, version) VALUES ('deploy', $1)
        ON CONFLICT (component) DO UPDATE SET version = excluded.version, upgraded_at = now()
        """
      ),
      [String(LedgerSchema.currentVersion)]
    )
    return current
  }

  /// Whether the ledger exists (without creating it).
  public func exists(_ session: inout some DatabaseSession & ~Copyable) throws -> Bool {
    let query =
      dialect == .postgres
      ? "SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('safeshift.migrations')"
      : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'safeshift_migrations'"
    return try !session.query(query, []).isEmpty
  }

  // MARK: - Deploy lock

  /// Takes the database's deploy lock for this session (PostgreSQL advisory lock, released
  /// by ``releaseDeployLock(_:)`` or when the session ends).
  ///
  /// SQLite has no advisory locks: there the active-migration unique index and
  /// `BEGIN IMMEDIATE` transactions guard the ledger.
  ///
  /// - Throws: ``DeployError`` `.concurrentDeploy` when another session holds it.
  public func acquireDeployLock(_ session: inout some DatabaseSession & ~Copyable) throws {
    guard dialect == .postgres else { return }
    let rows = try session.query(
      "SELECT pg_try_advisory_lock($1::int4, $2::int4)",
      [String(LedgerSchema.lockClass), String(LedgerSchema.deployLockObject)]
    )
    guard rows.first?.first == "t" else {
      throw DeployError(
        .concurrentDeploy,
        "another safeshift deploy is running against this database (it holds the deploy "
          + "lock); wait for it to finish, or see `safeshift status`"
      )
    }
  }

  /// Releases the deploy lock.
  public func releaseDeployLock(_ session: inout some DatabaseSession & ~Copyable) {
    guard dialect == .postgres else { return }
    _ = try? session.query(
      "SELECT pg_advisory_unlock($1::int4, $2::int4)",
      [String(LedgerSchema.lockClass), String(LedgerSchema.deployLockObject)]
    )
  }

  // MARK: - Migrations

  private var migrationColumns: String {
    "id, plan_checksum, state, failed_phase, attempt, backups_disabled, last_error, "
      + "\(timestamp("created_at")), \(timestamp("updated_at"))"
  }

  private func migrationRecord(_ row: [String?]) -> MigrationRecord {
    MigrationRecord(
      id: row[0] ?? "",
      planChecksum: row[1] ?? "",
      status: MigrationStatus(
        MigrationState(rawValue: row[2] ?? "") ?? .failed,
        failedPhase: row[3].flatMap { MigrationPhase(rawValue: $0) }
      ),
      attempt: row[4].flatMap { Int($0) } ?? 1,
      backupsDisabled: Self.bool(row[5]),
      lastError: row[6],
      createdAt: row[7] ?? "",
      updatedAt: row[8] ?? ""
    )
  }

  static func bool(_ text: String?) -> Bool { text == "t" || text == "1" || text == "true" }

  /// The migration with this id, if recorded.
  public func migration(_ id: String, _ session: inout some DatabaseSession & ~Copyable) throws
    -> MigrationRecord?
  {
    try session.query(
      sql("SELECT \(migrationColumns) FROM safeshift.migrations WHERE id = $1"),
      [id]
    ).first.map(migrationRecord)
  }

  /// The active migration (not `done`, not `rolled_back`), if one.
  public func activeMigration(_ session: inout some DatabaseSession & ~Copyable) throws
    -> MigrationRecord?
  {
    try session.query(
      sql(
        "SELECT \(migrationColumns) FROM safeshift.migrations "
          + "WHERE state NOT IN ('done', 'rolled_back')"
      ),
      []
    ).first.map(migrationRecord)
  }

  /// Every migration, newest first.
  public func migrations(limit: Int, _ session: inout some DatabaseSession & ~Copyable) throws
    -> [MigrationRecord]
  {
    try session.query(
      sql(
        "SELECT \(migrationColumns) FROM safeshift.migrations "
          + "ORDER BY created_at DESC, id LIMIT $1"
      ),
      [String(limit)]
    ).map(migrationRecord)
  }

  /// Finds or creates the migration of `plan`, refusing a changed plan or a second active
  /// migration.
  ///
  /// - Throws: ``DeployError`` `.planChanged` when the migration started with another plan;
  ///   `.concurrentDeploy` when another migration is active.
  public func register(
    _ plan: DeployPlan,
    backupsDisabled: Bool,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws -> MigrationRecord {
    if let active = try activeMigration(&session), active.id != plan.migrationID {
      throw DeployError(
        .concurrentDeploy,
        "migration \(active.id) is still active (\(MigrationStateMachine.describe(active.status))); "
          + "one migration at a time per database",
        hint: "finish it (`safeshift deploy contract`) or roll it back (`safeshift deploy "
          + "rollback`) before starting \(plan.migrationID)"
      )
    }
    if var existing = try migration(plan.migrationID, &session) {
      if existing.planChecksum != plan.checksum {
        switch existing.status.state {
        case .planned, .rolledBack:
          _ = try session.query(
            sql(
              "UPDATE safeshift.migrations SET plan_checksum = $2, updated_at = now() "
                + "WHERE id = $1"
            ),
            [plan.migrationID, plan.checksum]
          )
          existing.planChecksum = plan.checksum
        default:
          throw DeployError(
            .planChanged,
            "the plan of migration \(plan.migrationID) changed since it started "
              + "(ledger \(existing.planChecksum.prefix(12)), plan.json "
              + "\(plan.checksum.prefix(12))); a started migration runs the plan it started with",
            hint: "deploy the original plan, or roll the migration back and deploy the new plan "
              + "under another --migration-id"
          )
        }
      }
      return existing
    }
    do {
      _ = try session.query(
        sql(
          """
          INSERT INTO safeshift.migrations (id, plan_checksum, state, dialect, backups_disabled)
          VALUES ($1, $2, 'planned', $3, $4)
          """
        ),
        [
          plan.migrationID, plan.checksum, plan.plan.dialect == .postgres ? "postgres" : "sqlite",
          dialect == .postgres
            ? (backupsDisabled ? "true" : "false") : (backupsDisabled ? "1" : "0"),
        ]
      )
    } catch {
      guard Self.isUniqueViolation(error) else { throw error }
      throw DeployError(
        .concurrentDeploy,
        "another migration became active while this one was being registered; "
          + "one migration at a time per database"
      )
    }
    guard let created = try migration(plan.migrationID, &session) else {
      throw DeployError(.database, "the ledger lost migration \(plan.migrationID)")
    }
    return created
  }

  static func isUniqueViolation(_ error: DriverError) -> Bool {
    if error.sqlstate == "23505" { return true }
    if case .sqliteError(let code) = error.kind { return code & 0xff == 19 }
    return false
  }

  /// Sets a migration's state (and for `failed`, the phase and error).
  public func setStatus(
    _ id: String,
    _ status: MigrationStatus,
    error: String? = nil,
    newAttempt: Bool = false,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws {
    let finished = status.state == .done || status.state == .rolledBack
    _ = try session.query(
      sql(
        """
        UPDATE safeshift.migrations SET state = $2, failed_phase = $3, last_error = $4,
          updated_at = now(), finished_at = \(finished ? "now()" : "NULL"),
          attempt = attempt + \(newAttempt ? 1 : 0)
        WHERE id = $1
        """
      ),
      [id, status.state.rawValue, status.failedPhase?.rawValue, error]
    )
  }

  /// Records that backups were explicitly disabled for this migration.
  public func markBackupsDisabled(_ id: String, _ session: inout some DatabaseSession & ~Copyable)
    throws
  {
    _ = try session.query(
      sql(
        "UPDATE safeshift.migrations SET backups_disabled = \(dialect == .postgres ? "true" : "1") "
          + "WHERE id = $1"
      ),
      [id]
    )
  }

  // MARK: - Steps

  /// The step ids done or skipped in the migration's current attempt.
  public func finishedSteps(
    _ migration: MigrationRecord,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws -> Set<String> {
    let rows = try session.query(
      sql(
        "SELECT step_id FROM safeshift.phase_runs WHERE migration_id = $1 AND attempt = $2 "
          + "AND status IN ('done', 'skipped')"
      ),
      [migration.id, String(migration.attempt)]
    )
    return Set(rows.compactMap { $0.first ?? nil })
  }

  /// The statement and parameters that record a step's outcome; run inside the step's own
  /// transaction for transactional steps, so the record and the work commit together.
  public func stepRecordStatement(
    migration: MigrationRecord,
    phase: String,
    stepID: String,
    status: String,
    attempts: Int,
    startedAt: String,
    sqlstate: String? = nil,
    error: String? = nil
  ) -> (sql: String, parameters: [String?]) {
    (
      sql(
        """
        INSERT INTO safeshift.phase_runs
          (migration_id, attempt, phase, step_id, status, attempts, started_at, sqlstate, error)
        VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8, $9)
        """
      ),
      [
        migration.id, String(migration.attempt), phase, stepID, status, String(attempts), startedAt,
        sqlstate, error,
      ]
    )
  }

  /// Records a step's outcome in its own statement.
  public func recordStep(
    migration: MigrationRecord,
    phase: String,
    stepID: String,
    status: String,
    attempts: Int,
    startedAt: String,
    sqlstate: String? = nil,
    error: String? = nil,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws {
    let statement = stepRecordStatement(
      migration: migration,
      phase: phase,
      stepID: stepID,
      status: status,
      attempts: attempts,
      startedAt: startedAt,
      sqlstate: sqlstate,
      error: error
    )
    _ = try session.query(statement.sql, statement.parameters)
  }

  /// Marks the current attempt's done and skipped steps as rolled back (the rollback's own
  /// records, phase `rollback`, stay `done`).
  public func markRolledBack(
    _ migration: MigrationRecord,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws {
    _ = try session.query(
      sql(
        "UPDATE safeshift.phase_runs SET status = 'rolled_back' WHERE migration_id = $1 "
          + "AND attempt = $2 AND status IN ('done', 'skipped') AND phase <> 'rollback'"
      ),
      [migration.id, String(migration.attempt)]
    )
  }

  /// The steps recorded for a migration, oldest first.
  public func steps(_ migrationID: String, _ session: inout some DatabaseSession & ~Copyable)
    throws -> [StepRecord]
  {
    try session.query(
      sql(
        """
        SELECT migration_id, attempt, phase, step_id, status, attempts,
          \(timestamp("started_at")), \(timestamp("finished_at")), sqlstate, error
        FROM safeshift.phase_runs WHERE migration_id = $1 ORDER BY id
        """
      ),
      [migrationID]
    ).map { row in
      StepRecord(
        migrationID: row[0] ?? "",
        attempt: row[1].flatMap { Int($0) } ?? 1,
        phase: row[2] ?? "",
        stepID: row[3] ?? "",
        status: row[4] ?? "",
        attempts: row[5].flatMap { Int($0) } ?? 1,
        startedAt: row[6] ?? "",
        finishedAt: row[7] ?? "",
        sqlstate: row[8],
        error: row[9]
      )
    }
  }

  // MARK: - Backups

  /// Records a backup and returns its id.
  @discardableResult
  public func recordBackup(
    migrationID: String,
    attempt: Int,
    phase: String,
    kind: String,
    object: String?,
    path: String?,
    sizeBytes: Int?,
    sha256: String?,
    verified: Bool,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws -> Int {
    let rows = try session.query(
      sql(
        """
        INSERT INTO safeshift.backups
          (migration_id, attempt, phase, kind, object, path, size_bytes, sha256, verified)
        VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8) RETURNING id
        """
      ),
      [
        migrationID, phase, kind, object, path, sizeBytes.map(String.init), sha256,
        dialect == .postgres ? (verified ? "true" : "false") : (verified ? "1" : "0"),
        String(attempt),
      ]
    )
    return rows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
  }

  /// Backups, newest first; of one migration when `migrationID` is given.
  public func backups(
    migrationID: String? = nil,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws -> [BackupRecord] {
    let columns =
      "id, migration_id, phase, kind, object, path, size_bytes, sha256, verified, "
      + timestamp("created_at") + ", attempt"
    let rows =
      if let migrationID {
        try session.query(
          sql(
            "SELECT \(columns) FROM safeshift.backups WHERE migration_id = $1 ORDER BY id DESC"
          ),
          [migrationID]
        )
      } else {
        try session.query(sql("SELECT \(columns) FROM safeshift.backups ORDER BY id DESC"), [])
      }
    return rows.map { row in
      BackupRecord(
        id: row[0].flatMap { Int($0) } ?? 0,
        migrationID: row[1] ?? "",
        attempt: row[10].flatMap { Int($0) } ?? 1,
        phase: row[2] ?? "",
        kind: row[3] ?? "",
        object: row[4],
        path: row[5],
        sizeBytes: row[6].flatMap { Int($0) },
        sha256: row[7],
        verified: Self.bool(row[8]),
        createdAt: row[9] ?? ""
      )
    }
  }
}
