import Foundation
import ShiftAnalysis
public import ShiftBackfill
public import ShiftDatabase
import ShiftPlanner
public import ShiftSyntax

/// What `safeshift status` shows: the ledger's migrations with their steps and backups,
/// and, with a plan, the steps still to run (`docs/deploy.md`, "status --format json").
public struct StatusReport: Sendable, Codable, Hashable {
  /// One migration.
  public struct Migration: Sendable, Codable, Hashable {
    public var id: String
    public var state: String
    public var failedPhase: String?
    public var planChecksum: String
    public var attempt: Int
    public var backupsDisabled: Bool
    public var lastError: String?
    public var createdAt: String
    public var updatedAt: String
    public var steps: [Step]
    public var backups: [Backup]
    /// With `--plan`: steps of the plan not done or skipped in the current attempt.
    public var pendingSteps: [String]?
    /// What to run next, said plainly.
    public var next: String
  }

  /// One step record.
  public struct Step: Sendable, Codable, Hashable {
    public var stepID: String
    public var phase: String
    public var attempt: Int
    public var status: String
    public var attempts: Int
    public var startedAt: String
    public var finishedAt: String
    public var sqlstate: String?
    public var error: String?
  }

  /// One backup record.
  public struct Backup: Sendable, Codable, Hashable {
    public var id: Int
    public var phase: String
    public var kind: String
    public var object: String?
    public var path: String?
    public var sizeBytes: Int?
    public var sha256: String?
    public var verified: Bool
    public var createdAt: String
  }

  /// The format version of the JSON document.
  public var version: Int
  /// `postgres` or `sqlite`.
  public var dialect: String
  /// The ledger's deploy tables version (0: no ledger in this database yet).
  public var ledgerVersion: Int
  /// The active migration's id, if one.
  public var activeMigration: String?
  /// Migrations, newest first.
  public var migrations: [Migration]
  /// The backfill engine's backfills in this database, by name (also those run without
  /// `deploy`, with `safeshift backfill`).
  public var backfills: [BackfillLedgerStatus] = []

  /// Reads the report from the ledger.
  ///
  /// - Parameters:
  ///   - dialect: the database's dialect.
  ///   - plan: when given, each migration of that plan lists its pending steps.
  ///   - limit: how many migrations to show, newest first.
  ///   - session: the database.
  /// - Returns: the report (empty when the database has no ledger).
  /// - Throws: `DriverError` when the ledger cannot be read.
  public static func read(
    dialect: Dialect,
    plan: DeployPlan? = nil,
    limit: Int = 10,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> StatusReport {
    let ledger = Ledger(dialect: dialect)
    var report = StatusReport(
      version: 1,
      dialect: dialect == .postgres ? "postgres" : "sqlite",
      ledgerVersion: 0,
      activeMigration: nil,
      migrations: []
    )
    report.backfills = try BackfillLedgerStatus.all(dialect: dialect, on: &session)
    guard try ledger.exists(&session) else { return report }
    let versionRows = try session.query(
      ledger.sql("SELECT version FROM safeshift.schema_version WHERE component = 'deploy'"),
      []
    )
    report.ledgerVersion = versionRows.first?.first.flatMap { $0.flatMap { Int($0) } } ?? 0
    report.activeMigration = try ledger.activeMigration(&session)?.id
    for record in try ledger.migrations(limit: limit, &session) {
      let steps = try ledger.steps(record.id, &session)
      let backups = try ledger.backups(migrationID: record.id, &session)
      var pending: [String]?
      if let plan, plan.migrationID == record.id {
        let finished = Set(
          steps.filter {
            $0.attempt == record.attempt && ($0.status == "done" || $0.status == "skipped")
          }.map(\.stepID)
        )
        pending = plan.plan.steps.map(\.id).filter { !finished.contains($0) }
      }
      report.migrations.append(
        Migration(
          id: record.id,
          state: record.status.state.rawValue,
          failedPhase: record.status.failedPhase?.rawValue,
          planChecksum: record.planChecksum,
          attempt: record.attempt,
          backupsDisabled: record.backupsDisabled,
          lastError: record.lastError,
          createdAt: record.createdAt,
          updatedAt: record.updatedAt,
          steps: steps.map {
            Step(
              stepID: $0.stepID,
              phase: $0.phase,
              attempt: $0.attempt,
              status: $0.status,
              attempts: $0.attempts,
              startedAt: $0.startedAt,
              finishedAt: $0.finishedAt,
              sqlstate: $0.sqlstate,
              error: $0.error
            )
          },
          backups: backups.map {
            Backup(
              id: $0.id,
              phase: $0.phase,
              kind: $0.kind,
              object: $0.object,
              path: $0.path,
              sizeBytes: $0.sizeBytes,
              sha256: $0.sha256,
              verified: $0.verified,
              createdAt: $0.createdAt
            )
          },
          pendingSteps: pending,
          next: next(for: record.status)
        )
      )
    }
    return report
  }

  /// What to run next in a state.
  public static func next(for status: MigrationStatus) -> String {
    switch status.state {
    case .planned: "safeshift deploy expand"
    case .expanding: "safeshift deploy expand (it stopped; a rerun continues)"
    case .expanded: "safeshift deploy migrate"
    case .migrating: "safeshift deploy migrate (it stopped; a rerun continues)"
    case .migrated: "safeshift deploy contract, once no instance of the old version is left"
    case .contracting: "safeshift deploy contract (it stopped; a rerun continues)"
    case .done: "nothing: the migration is done"
    case .rolledBack: "nothing (rolled back); safeshift deploy expand starts it again"
    case .failed:
      "fix the cause, then safeshift deploy \(status.failedPhase?.rawValue ?? "expand") "
        + "to continue"
        + (status.failedPhase == .contract ? "" : ", or safeshift deploy rollback")
    }
  }

  /// The JSON document (keys sorted, two-space indentation, ending in a newline).
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The text form for people.
  public func text() -> String {
    var output = ""
    if ledgerVersion == 0 {
      output = "No safeshift deploy ledger in this database: nothing was deployed here yet.\n"
      return output + backfillText()
    }
    output += "Active migration: \(activeMigration ?? "none")\n"
    for migration in migrations {
      output += "\n\(migration.id): \(migration.state)"
      if let phase = migration.failedPhase { output += " (in \(phase))" }
      output += "  [plan \(migration.planChecksum.prefix(12)), attempt \(migration.attempt)]\n"
      output += "  updated \(migration.updatedAt)"
      if migration.backupsDisabled { output += "; BACKUPS DISABLED" }
      output += "\n"
      if let error = migration.lastError { output += "  error: \(error)\n" }
      for step in migration.steps where step.attempt == migration.attempt {
        output += "  \(step.stepID.padding(toLength: 12, withPad: " ", startingAt: 0)) "
        output += "\(step.status.padding(toLength: 11, withPad: " ", startingAt: 0)) "
        output += "\(step.finishedAt)"
        if step.attempts > 1 { output += " (\(step.attempts) attempts)" }
        if let sqlstate = step.sqlstate { output += " SQLSTATE \(sqlstate)" }
        output += "\n"
        if let error = step.error { output += "      \(error.prefix(300))\n" }
      }
      if let pending = migration.pendingSteps, !pending.isEmpty {
        output += "  pending: \(pending.joined(separator: ", "))\n"
      }
      for backup in migration.backups {
        output += "  backup #\(backup.id) before \(backup.phase): \(backup.kind)"
        if let object = backup.object { output += " \(object)" }
        if let path = backup.path { output += " \(path)" }
        if let size = backup.sizeBytes { output += " (\(size) bytes)" }
        output += backup.verified ? " verified\n" : "\n"
      }
      output += "  next: \(migration.next)\n"
    }
    return output + backfillText()
  }

  /// The backfills, one line each.
  private func backfillText() -> String {
    guard !backfills.isEmpty else { return "" }
    var output = "\nBackfills:\n"
    for backfill in backfills {
      let table =
        backfill.schema.isEmpty || backfill.schema == "main"
        ? backfill.table : backfill.schema + "." + backfill.table
      output += "  \(backfill.name) on \(table): \(backfill.state), "
      output += "\(backfill.rowsDone) of ~\(backfill.rowsEstimated) rows"
      output +=
        " (\(backfill.rowsChanged) changed), \(backfill.rangesDone)/\(backfill.ranges) ranges"
      if let rate = backfill.rowsPerSecond, rate > 0, backfill.state != "done" {
        output += ", \(Int(rate.rounded())) rows/s"
      }
      if let reason = backfill.throttleReason { output += "; paused: \(reason)" }
      if backfill.failedRows > 0 { output += "; \(backfill.failedRows) rows failed" }
      output += "\n"
      if let error = backfill.lastError { output += "    error: \(error.prefix(300))\n" }
    }
    return output
  }
}
