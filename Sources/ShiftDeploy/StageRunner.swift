import Foundation
public import ShiftAnalysis
public import ShiftDatabase
public import ShiftPlanner
import ShiftSyntax

/// Waits between retries and gate polls; injected so tests do not sleep.
public protocol DeploySleeper {
  /// Waits `milliseconds`.
  func sleep(milliseconds: Int)
}

/// Sleeps the calling thread (deploy runs on the process's main thread, not on the
/// cooperative pool).
public struct ThreadSleeper: DeploySleeper, Sendable {
  /// Creates a sleeper.
  public init() {}

  public func sleep(milliseconds: Int) {
    guard milliseconds > 0 else { return }
    Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
  }
}

/// Settings of one `deploy` stage.
public struct StageOptions: Sendable {
  /// Where backups go, and how they are taken; `nil` disables backups (recorded in the
  /// ledger, and only when asked for explicitly).
  public var backups: BackupTaker?
  /// The connection string, handed to the backfill runner.
  public var connectionString: String

  /// Creates options.
  public init(backups: BackupTaker?, connectionString: String) {
    self.backups = backups
    self.connectionString = connectionString
  }
}

/// What a stage did.
public struct StageReport: Sendable, Hashable {
  /// The phase.
  public var phase: MigrationPhase
  /// The migration's id.
  public var migrationID: String
  /// Whether the phase had already finished (nothing ran).
  public var wasAlreadyDone: Bool
  /// Steps run now.
  public var stepsRun: [String]
  /// Steps skipped because their `skipIf` found the work done.
  public var stepsSkipped: [String]
  /// Steps done in an earlier run (after a crash or failure).
  public var stepsAlreadyDone: [String]
  /// Backups taken now.
  public var backups: [TakenBackup]
}

/// Runs one phase of a plan against the target database, recording every step in the
/// ledger: idempotent (done steps are not repeated, `skipIf` is honoured), retrying lock
/// timeouts and deadlocks as the plan says, backups first.
public struct StageRunner<Backfill: BackfillRunning, Sleeper: DeploySleeper> {
  /// The plan.
  public var plan: DeployPlan
  /// Settings.
  public var options: StageOptions
  /// Runs backfill steps.
  public var backfill: Backfill
  /// Waits between retries.
  public var sleeper: Sleeper
  /// Progress lines (one per event, no secrets).
  public var log: (String) -> Void
  /// Called after each step is recorded: tests inject faults here.
  public var afterStep: (String) throws -> Void = { _ in }

  var ledger: Ledger { Ledger(dialect: plan.plan.dialect) }

  /// Creates a runner.
  public init(
    plan: DeployPlan,
    options: StageOptions,
    backfill: Backfill,
    sleeper: Sleeper,
    log: @escaping (String) -> Void
  ) {
    self.plan = plan
    self.options = options
    self.backfill = backfill
    self.sleeper = sleeper
    self.log = log
  }

  /// Runs `phase`.
  ///
  /// - Throws: ``DeployError``: `.concurrentDeploy`, `.planChanged`, `.wrongState`,
  ///   `.backupFailed`, `.stepFailed` (the ledger then records the failed step with its
  ///   SQLSTATE and the migration as failed in this phase), `.database`.
  public mutating func run(
    _ phase: MigrationPhase,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> StageReport {
    let ledger = self.ledger
    do {
      try ledger.prepare(&session)
      try ledger.acquireDeployLock(&session)
    } catch let error as DriverError {
      throw DeployError(.database, "cannot prepare the ledger: \(error)")
    }
    defer { ledger.releaseDeployLock(&session) }
    var record = try ledger.register(plan, backupsDisabled: options.backups == nil, &session)
    var report = StageReport(
      phase: phase,
      migrationID: record.id,
      wasAlreadyDone: false,
      stepsRun: [],
      stepsSkipped: [],
      stepsAlreadyDone: [],
      backups: []
    )
    switch MigrationStateMachine.decide(phase: phase, status: record.status) {
    case .alreadyDone:
      log("\(phase.rawValue): already done for migration \(record.id); nothing to do")
      report.wasAlreadyDone = true
      return report
    case .refuse(let reason):
      throw DeployError(.wrongState, "\(phase.rawValue) refused: \(reason)")
    case .run(let from):
      let restart = from.state == .rolledBack
      try ledger.setStatus(record.id, .init(.running(phase)), newAttempt: restart, &session)
      if let refreshed = try ledger.migration(record.id, &session) { record = refreshed }
    }
    let finished = try ledger.finishedSteps(record, &session)
    let steps = plan.plan.steps(in: phase)
    let pending = steps.filter { !finished.contains($0.id) }
    report.stepsAlreadyDone = steps.filter { finished.contains($0.id) }.map(\.id)
    if !report.stepsAlreadyDone.isEmpty {
      log(
        "\(phase.rawValue): resuming; done earlier: \(report.stepsAlreadyDone.joined(separator: ", "))"
      )
    }
    if !pending.isEmpty {
      report.backups = try takeBackups(phase, pending: pending, record: record, session: &session)
    }
    for step in pending {
      let outcome = try runStep(step, record: record, session: &session)
      switch outcome {
      case .skipped: report.stepsSkipped.append(step.id)
      case .ran: report.stepsRun.append(step.id)
      }
      try afterStep(step.id)
    }
    try ledger.setStatus(record.id, MigrationStateMachine.completed(phase), &session)
    log(
      "\(phase.rawValue): done (\(report.stepsRun.count) run, \(report.stepsSkipped.count) skipped)"
    )
    return report
  }

  // MARK: - Backups

  private func takeBackups(
    _ phase: MigrationPhase,
    pending: [PlanStep],
    record: MigrationRecord,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> [TakenBackup] {
    let ledger = self.ledger
    guard let taker = options.backups else {
      try ledger.markBackupsDisabled(record.id, &session)
      try ledger.recordBackup(
        migrationID: record.id,
        attempt: record.attempt,
        phase: phase.rawValue,
        kind: "disabled",
        object: nil,
        path: nil,
        sizeBytes: nil,
        sha256: nil,
        verified: false,
        &session
      )
      log("\(phase.rawValue): backups disabled (--no-backup); recorded in the ledger")
      return []
    }
    // A phase resumed after a failure keeps the backup taken before its first step.
    let existing = try ledger.backups(migrationID: record.id, &session).filter {
      $0.phase == phase.rawValue && $0.attempt == record.attempt && $0.verified
        && $0.kind != "disabled"
    }
    var taken: [TakenBackup] = []
    let changesSchema = pending.contains { $0.backfill == nil }
    let changesOldData = pending.contains { step in
      guard let spec = step.backfill else { return false }
      return !RollbackPlanner.backfillOnlyFillsNewColumns(spec, plan: plan)
    }
    if changesSchema || changesOldData || phase == .contract,
      !existing.contains(where: { $0.kind == "pg_dump" || $0.kind == "sqlite" })
    {
      log("\(phase.rawValue): backing up the database before any change")
      let backup = try taker.backupDatabase(
        migrationID: record.id,
        phase: phase.rawValue,
        session: &session
      )
      try store(backup, phase: phase, migration: record, session: &session)
      taken.append(backup)
    }
    for step in pending {
      guard let spec = step.backup else { continue }
      let object = "\(spec.schema).\(spec.table)"
      if existing.contains(where: { $0.kind == "pg_dump_table" && $0.object == object }) {
        continue
      }
      if taken.contains(where: { $0.object == object }) { continue }
      log("\(phase.rawValue): dumping \(object) (\(step.id) drops data from it)")
      guard
        let backup = try taker.backupData(spec, migrationID: record.id, stepID: step.id)
      else { continue }
      try store(backup, phase: phase, migration: record, session: &session)
      taken.append(backup)
    }
    return taken
  }

  private func store(
    _ backup: TakenBackup,
    phase: MigrationPhase,
    migration: MigrationRecord,
    session: inout some DatabaseSession & ~Copyable
  ) throws {
    try ledger.recordBackup(
      migrationID: migration.id,
      attempt: migration.attempt,
      phase: phase.rawValue,
      kind: backup.kind,
      object: backup.object,
      path: backup.path,
      sizeBytes: backup.sizeBytes,
      sha256: backup.sha256,
      verified: backup.verified,
      &session
    )
    log(
      "\(phase.rawValue): backup \(backup.path) (\(backup.sizeBytes) bytes, sha256 \(backup.sha256.prefix(12))…, verified)"
    )
  }

  // MARK: - Steps

  enum StepOutcome {
    case ran
    case skipped
  }

  private mutating func runStep(
    _ step: PlanStep,
    record: MigrationRecord,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> StepOutcome {
    let ledger = self.ledger
    let startedAt = Ledger.isoNow()
    let phase = step.phase.rawValue
    var attempts = 0
    while true {
      attempts += 1
      do {
        if let skip = step.skipIf, try !session.query(skip, []).isEmpty {
          try ledger.recordStep(
            migration: record,
            phase: phase,
            stepID: step.id,
            status: "skipped",
            attempts: attempts,
            startedAt: startedAt,
            &session
          )
          log("\(step.id): skipped (already done: \(step.summary))")
          return .skipped
        }
        if let spec = step.backfill {
          log("\(step.id): backfill \(spec.name) (\(step.summary))")
          let context = BackfillContext(
            migrationID: record.id,
            stepID: step.id,
            dialect: plan.plan.dialect,
            connectionString: options.connectionString
          )
          let outcome = try backfill.run(spec, context: context, session: &session)
          try ledger.recordStep(
            migration: record,
            phase: phase,
            stepID: step.id,
            status: "done",
            attempts: attempts,
            startedAt: startedAt,
            &session
          )
          log("\(step.id): done (\(outcome.rowsChanged) rows in \(outcome.batches) batches)")
          return .ran
        }
        try execute(step, record: record, attempts: attempts, startedAt: startedAt, &session)
        log("\(step.id): done (\(step.summary))")
        return .ran
      } catch let error as DriverError {
        if attempts < step.retry.maxAttempts, Self.isRetryable(error, step.retry) {
          let delay = Self.backoff(attempt: attempts, policy: step.retry)
          log(
            "\(step.id): \(Self.reason(error)) (SQLSTATE \(error.sqlstate ?? "-")); "
              + "attempt \(attempts + 1) of \(step.retry.maxAttempts) in \(delay) ms"
          )
          sleeper.sleep(milliseconds: delay)
          continue
        }
        try fail(
          step,
          record: record,
          error: error,
          attempts: attempts,
          startedAt: startedAt,
          &session
        )
      }
    }
  }

  private func fail(
    _ step: PlanStep,
    record: MigrationRecord,
    error: DriverError,
    attempts: Int,
    startedAt: String,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws -> Never {
    let ledger = self.ledger
    let message = error.description
    try ledger.recordStep(
      migration: record,
      phase: step.phase.rawValue,
      stepID: step.id,
      status: "failed",
      attempts: attempts,
      startedAt: startedAt,
      sqlstate: error.sqlstate,
      error: String(message.prefix(2000)),
      &session
    )
    try ledger.setStatus(
      record.id,
      MigrationStateMachine.failed(step.phase),
      error: "\(step.id): \(String(message.prefix(1000)))",
      &session
    )
    let phase = step.phase.rawValue
    throw DeployError(
      .stepFailed,
      "\(step.id) (\(step.summary)) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): "
        + message,
      stepID: step.id,
      sqlstate: error.sqlstate,
      hint: "The ledger records migration \(record.id) as failed in \(phase); steps before "
        + "\(step.id) are done and will not run again. Fix the cause and rerun "
        + "`safeshift deploy \(phase)` to continue from \(step.id), or run "
        + "`safeshift deploy rollback` to undo \(step.phase == .contract ? "(refused after contract starts)" : "expand and migrate")."
    )
  }

  /// Runs a SQL step: one transaction with `SET LOCAL` timeouts and the ledger record, or
  /// (non-transactional steps) the statements one by one in autocommit, then the record.
  private func execute(
    _ step: PlanStep,
    record: MigrationRecord,
    attempts: Int,
    startedAt: String,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws {
    let ledger = self.ledger
    let isPostgres = plan.plan.dialect == .postgres
    for statement in step.cleanup { try session.execute(statement) }
    let recordStatement = ledger.stepRecordStatement(
      migration: record,
      phase: step.phase.rawValue,
      stepID: step.id,
      status: "done",
      attempts: attempts,
      startedAt: startedAt
    )
    if step.isInTransaction {
      try session.execute(isPostgres ? "BEGIN" : "BEGIN IMMEDIATE")
      do {
        if isPostgres {
          // set_config(name, value, is_local = true) is SET LOCAL with a bound value.
          _ = try session.query(
            "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
            [step.lockTimeout, step.statementTimeout]
          )
        }
        for statement in step.statements { try runStatement(statement, &session) }
        _ = try session.query(recordStatement.sql, recordStatement.parameters)
        try session.execute("COMMIT")
      } catch {
        try? session.execute("ROLLBACK")
        throw error
      }
      return
    }
    if isPostgres {
      _ = try session.query(
        "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
        [step.lockTimeout, step.statementTimeout]
      )
    }
    do {
      for statement in step.statements { try runStatement(statement, &session) }
    } catch {
      if isPostgres {
        try? session.execute("RESET lock_timeout; RESET statement_timeout")
      } else {
        // A SQLite rebuild step opens its own transaction with foreign keys off.
        try? session.execute("ROLLBACK")
        try? session.execute("PRAGMA foreign_keys = ON")
      }
      throw error
    }
    if isPostgres { try session.execute("RESET lock_timeout; RESET statement_timeout") }
    _ = try session.query(recordStatement.sql, recordStatement.parameters)
  }

  /// Runs one statement; `PRAGMA foreign_key_check` fails when it reports a violation.
  private func runStatement(
    _ statement: String,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws {
    if statement.lowercased().hasPrefix("pragma foreign_key_check") {
      let rows = try session.query(statement, [])
      if !rows.isEmpty {
        throw DriverError(
          .sqliteError(code: 19),
          message: "PRAGMA foreign_key_check found \(rows.count) row(s) violating foreign keys",
          sql: statement
        )
      }
      return
    }
    try session.execute(statement)
  }

  static func isRetryable(_ error: DriverError, _ policy: RetryPolicy) -> Bool {
    switch error.kind {
    case .lockTimeout: policy.retryOn.contains(.lockTimeout)
    case .deadlockDetected: policy.retryOn.contains(.deadlock)
    case .serializationFailure: policy.retryOn.contains(.serializationFailure)
    // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another connection holds the lock.
    case .sqliteError(let code):
      (code & 0xff == 5 || code & 0xff == 6) && policy.retryOn.contains(.lockTimeout)
    default: false
    }
  }

  static func reason(_ error: DriverError) -> String {
    switch error.kind {
    case .lockTimeout: "lock timeout"
    case .deadlockDetected: "deadlock"
    case .serializationFailure: "serialization failure"
    default: "database busy"
    }
  }

  /// The wait before attempt `attempt + 1`: the initial delay doubled per attempt, capped,
  /// and with jitter a random value between half and all of it.
  public static func backoff(
    attempt: Int,
    policy: RetryPolicy,
    random: (ClosedRange<Int>) -> Int = { Int.random(in: $0) }
  ) -> Int {
    var delay = policy.initialDelayMilliseconds
    var count = 1
    while count < attempt, delay < policy.maxDelayMilliseconds {
      delay *= 2
      count += 1
    }
    delay = min(delay, policy.maxDelayMilliseconds)
    guard policy.jitter, delay > 1 else { return delay }
    return random((delay / 2)...delay)
  }
}
