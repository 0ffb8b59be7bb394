public import ShiftDatabase
public import ShiftPlanner
import ShiftSyntax

/// What a rollback did.
public struct RollbackReport: Sendable, Hashable {
  /// The migration.
  public var migrationID: String
  /// Steps undone now (plan step ids).
  public var undone: [String]
  /// Steps that needed no undo, with why.
  public var nothingToUndo: [String]
  /// Steps that could not be undone (only with `--force`), with why.
  public var notUndone: [String]
  /// Whether the ledger only was changed (forced past contract, or nothing applied).
  public var ledgerOnly: Bool
}

/// Undoes expand and migrate: the reverse of each applied step, newest first, each
/// recorded in the ledger (phase `rollback`, step `rollback:<id>`) so an interrupted
/// rollback continues where it stopped; then the migration becomes `rolled_back`.
///
/// After contract has started it refuses unless forced, and forced it only releases the
/// migration in the ledger (the schema is restored from the backups, not by statements).
public struct RollbackRunner<Sleeper: DeploySleeper> {
  /// The plan the migration ran.
  public var plan: DeployPlan
  /// Undo what can be undone even when some steps cannot be, and release a migration past
  /// contract.
  public var force: Bool
  /// Waits between retries.
  public var sleeper: Sleeper
  /// Progress lines.
  public var log: (String) -> Void

  /// Creates a runner.
  public init(plan: DeployPlan, force: Bool, sleeper: Sleeper, log: @escaping (String) -> Void) {
    self.plan = plan
    self.force = force
    self.sleeper = sleeper
    self.log = log
  }

  /// Rolls the migration back.
  ///
  /// - Throws: ``DeployError`` `.rollbackRefused` (past contract without force, or steps
  ///   without an undo), `.wrongState` (no such migration), `.planChanged`, `.stepFailed`.
  public func run(session: inout some DatabaseSession & ~Copyable) throws -> RollbackReport {
    let ledger = Ledger(dialect: plan.plan.dialect)
    try ledger.prepare(&session)
    try ledger.acquireDeployLock(&session)
    defer { ledger.releaseDeployLock(&session) }
    guard let record = try ledger.migration(plan.migrationID, &session) else {
      throw DeployError(
        .wrongState,
        "migration \(plan.migrationID) is not in the ledger: nothing to roll back"
      )
    }
    guard record.planChecksum == plan.checksum else {
      throw DeployError(
        .planChanged,
        "the plan differs from the one migration \(record.id) ran (ledger "
          + "\(record.planChecksum.prefix(12)), plan.json \(plan.checksum.prefix(12))); "
          + "roll back with the plan that was deployed"
      )
    }
    var report = RollbackReport(
      migrationID: record.id,
      undone: [],
      nothingToUndo: [],
      notUndone: [],
      ledgerOnly: false
    )
    switch MigrationStateMachine.decideRollback(status: record.status) {
    case .alreadyRolledBack:
      log("migration \(record.id) is already rolled back")
      report.ledgerOnly = true
      return report
    case .nothingToUndo:
      try ledger.setStatus(record.id, MigrationStatus(.rolledBack), &session)
      log("migration \(record.id): nothing was applied; marked rolled back")
      report.ledgerOnly = true
      return report
    case .pastPointOfNoReturn(let reason):
      guard force else {
        throw DeployError(.rollbackRefused, "rollback of \(record.id) refused: \(reason)")
      }
      try ledger.setStatus(
        record.id,
        MigrationStatus(.rolledBack),
        error: "rolled back with --force after contract; schema not changed by safeshift",
        &session
      )
      log(
        "migration \(record.id) released with --force: the schema was NOT changed; restore "
          + "from its backups (safeshift backup list) if the old schema is needed"
      )
      report.ledgerOnly = true
      return report
    case .rollBack:
      break
    }
    let records = try ledger.steps(record.id, &session).filter { $0.attempt == record.attempt }
    let applied = records.filter { $0.status == "done" && $0.phase != "rollback" }.map(\.stepID)
    let undoneBefore = Set(
      records.filter { $0.phase == "rollback" && $0.status == "done" }.map {
        String($0.stepID.dropFirst("rollback:".count))
      }
    )
    let steps = RollbackPlanner.plan(plan, applied: applied)
    let impossible = steps.compactMap { step -> String? in
      if case .impossible(let why) = step.undo { return "\(step.stepID): \(why)" }
      return nil
    }
    if !impossible.isEmpty, !force {
      throw DeployError(
        .rollbackRefused,
        "rollback of \(record.id) refused: some applied steps cannot be undone automatically:\n  "
          + impossible.joined(separator: "\n  "),
        hint: "restore from the backup taken before the phase (safeshift backup list), or pass "
          + "--force to undo the rest and leave these as they are"
      )
    }
    for step in steps {
      switch step.undo {
      case .nothing(let why):
        report.nothingToUndo.append("\(step.stepID): \(why)")
      case .impossible(let why):
        report.notUndone.append("\(step.stepID): \(why)")
        log("\(step.stepID): NOT undone: \(why)")
      case .statements(let statements, let inTransaction):
        if undoneBefore.contains(step.stepID) { continue }
        try undo(
          step,
          statements: statements,
          inTransaction: inTransaction,
          record: record,
          ledger: ledger,
          session: &session
        )
        report.undone.append(step.stepID)
        log("\(step.stepID): undone (\(statements.joined(separator: "; ").prefix(160)))")
      }
    }
    try ledger.markRolledBack(record, &session)
    try ledger.setStatus(record.id, MigrationStatus(.rolledBack), &session)
    log("migration \(record.id): rolled back")
    return report
  }

  private func undo(
    _ step: RollbackStep,
    statements: [String],
    inTransaction: Bool,
    record: MigrationRecord,
    ledger: Ledger,
    session: inout some DatabaseSession & ~Copyable
  ) throws {
    let isPostgres = plan.plan.dialect == .postgres
    let policy = RetryPolicy.ddl
    let startedAt = Ledger.isoNow()
    var attempts = 0
    while true {
      attempts += 1
      let recordStatement = ledger.stepRecordStatement(
        migration: record,
        phase: "rollback",
        stepID: "rollback:\(step.stepID)",
        status: "done",
        attempts: attempts,
        startedAt: startedAt
      )
      do {
        if inTransaction {
          try session.execute(isPostgres ? "BEGIN" : "BEGIN IMMEDIATE")
          do {
            if isPostgres {
              _ = try session.query(
                "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
                [PlanStep.defaultLockTimeout, PlanStep.defaultStatementTimeout]
              )
            }
            for statement in statements { try session.execute(statement) }
            _ = try session.query(recordStatement.sql, recordStatement.parameters)
            try session.execute("COMMIT")
          } catch {
            try? session.execute("ROLLBACK")
            throw error
          }
        } else {
          if isPostgres {
            _ = try session.query(
              "SELECT set_config('lock_timeout', $1, false)",
              [PlanStep.defaultLockTimeout]
            )
          }
          for statement in statements { try session.execute(statement) }
          if isPostgres { try session.execute("RESET lock_timeout") }
          _ = try session.query(recordStatement.sql, recordStatement.parameters)
        }
        return
      } catch let error as DriverError {
        if attempts < policy.maxAttempts,
          StageRunner<NoBackfill, Sleeper>.isRetryable(error, policy)
        {
          sleeper.sleep(
            milliseconds: StageRunner<NoBackfill, Sleeper>.backoff(
              attempt: attempts,
              policy: policy
            )
          )
          continue
        }
        try ledger.recordStep(
          migration: record,
          phase: "rollback",
          stepID: "rollback:\(step.stepID)",
          status: "failed",
          attempts: attempts,
          startedAt: startedAt,
          sqlstate: error.sqlstate,
          error: String(error.description.prefix(2000)),
          &session
        )
        throw DeployError(
          .stepFailed,
          "undoing \(step.stepID) failed: \(error)",
          stepID: step.stepID,
          sqlstate: error.sqlstate,
          hint:
            "steps undone so far are recorded; fix the cause and rerun `safeshift deploy rollback`"
        )
      }
    }
  }
}

/// A backfill runner that refuses to run: for code paths that never run backfills.
public struct NoBackfill: BackfillRunning {
  /// Creates one.
  public init() {}

  public mutating func run(
    _ spec: BackfillSpec,
    context: BackfillContext,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> BackfillOutcome {
    throw DeployError(.configuration, "no backfill runner configured for \(spec.name)")
  }
}
