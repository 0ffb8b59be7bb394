import ArgumentParser
import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftDeploy
import ShiftPlanner
import ShiftSyntax

/// `safeshift deploy`: run a plan's phases against a database, backups first, recorded in
/// the database's ledger.
struct DeployCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deploy",
    abstract: "Apply a plan's phases to a database: expand, migrate, contract, rollback, run.",
    discussion: """
      Every stage is recorded in the target database's ledger (schema safeshift on \
      PostgreSQL, safeshift_* tables on SQLite) and is idempotent: a rerun after a crash or a \
      failed statement continues where it stopped. A verified backup is taken before any \
      change (--no-backup disables it, and the ledger records that). One migration is active \
      per database; a changed plan for a started migration is refused. See docs/deploy.md. \
      Exit codes: 0 done, 2 failed or refused (the message says how to resume or roll back), \
      64 usage error.
      """,
    subcommands: [
      DeployExpandCommand.self, DeployMigrateCommand.self, DeployContractCommand.self,
      DeployRollbackCommand.self, DeployRunCommand.self,
    ]
  )
}

/// Options every `deploy` subcommand takes.
struct DeployOptions: ParsableArguments {
  @Option(help: "The plan directory written by `safeshift plan --out` (holds plan.json).")
  var plan: String

  @Option(
    help: """
      The target database: a PostgreSQL URL or key=value string, or a SQLite file \
      (sqlite:PATH). Default: $SAFESHIFT_DATABASE_URL. Prefer .pgpass or PGPASSWORD for \
      passwords.
      """
  )
  var databaseURL: String?

  @Option(help: "The migration's id in the ledger (default: the plan's source file names).")
  var migrationID: String?

  @Option(help: "Directory for backup files (default: safeshift-backups).")
  var backupDir = "safeshift-backups"

  @Flag(help: "Run without taking backups (recorded in the ledger). Not recommended.")
  var noBackup = false

  @Option(help: "Directory of pg_dump and pg_restore (default: found on PATH).")
  var pgBinDir: String?

  @Option(help: "pg_dump --lock-wait-timeout: how long a backup waits for a table lock.")
  var lockWaitTimeout = "30s"

  func load() throws -> (DeployPlan, String) {
    let plan = try DeployPlan.load(directory: self.plan, migrationID: migrationID)
    guard let url = DatabaseTarget.resolve(databaseURL) else {
      throw DeployError(
        .configuration,
        "no target database: pass --database-url or set SAFESHIFT_DATABASE_URL"
      )
    }
    let dialect = DatabaseTarget.dialect(of: url, fallback: plan.plan.dialect)
    guard dialect == plan.plan.dialect else {
      throw DeployError(
        .configuration,
        "the plan is for \(plan.plan.dialect == .postgres ? "PostgreSQL" : "SQLite") but the "
          + "database URL names \(dialect == .postgres ? "PostgreSQL" : "SQLite")"
      )
    }
    return (plan, url)
  }

  func stageOptions(_ plan: DeployPlan, url: String) -> StageOptions {
    let backups =
      noBackup
      ? nil
      : BackupTaker(
        directory: backupDir,
        dialect: plan.plan.dialect,
        connectionString: url,
        postgresBinDirectory: pgBinDir,
        lockWaitTimeout: lockWaitTimeout
      )
    return StageOptions(backups: backups, connectionString: url)
  }
}

/// Runs one phase on an open session.
struct StageWork: SessionWork {
  var runner: StageRunner<EngineBackfillRunner, ThreadSleeper>
  var phase: MigrationPhase

  mutating func run(_ session: inout some DatabaseSession & ~Copyable) throws -> StageReport {
    try runner.run(phase, session: &session)
  }
}

/// Shared body of `deploy expand|migrate|contract`.
enum DeployStage {
  static func execute(
    _ phase: MigrationPhase,
    options: DeployOptions,
    console: Console
  ) -> ShiftExitCode {
    do {
      let (plan, url) = try options.load()
      try run(phase, plan: plan, url: url, options: options, console: console)
      return .success
    } catch {
      return DatabaseTarget.report(error, console: console)
    }
  }

  /// Runs one phase; throws what went wrong.
  static func run(
    _ phase: MigrationPhase,
    plan: DeployPlan,
    url: String,
    options: DeployOptions,
    console: Console
  ) throws {
    let log: (String) -> Void = { console.write($0 + "\n") }
    let runner = StageRunner(
      plan: plan,
      options: options.stageOptions(plan, url: url),
      backfill: EngineBackfillRunner(log: log),
      sleeper: ThreadSleeper(),
      log: log
    )
    var work = StageWork(runner: runner, phase: phase)
    let report = try DatabaseTarget.open(url, dialect: plan.plan.dialect, &work)
    if !report.wasAlreadyDone {
      console.write(
        "\(phase.rawValue) of \(report.migrationID) done: \(report.stepsRun.count) step(s) run, "
          + "\(report.stepsSkipped.count) skipped, \(report.stepsAlreadyDone.count) done earlier\n"
      )
    }
  }
}

struct DeployExpandCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "expand",
    abstract: "Back up, then apply the expand phase (before the new version ships)."
  )
  @OptionGroup var options: DeployOptions

  func execute(console: Console) -> ShiftExitCode {
    DeployStage.execute(.expand, options: options, console: console)
  }
}

struct DeployMigrateCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Run the migrate phase: backfills, then validations (after expand)."
  )
  @OptionGroup var options: DeployOptions

  func execute(console: Console) -> ShiftExitCode {
    DeployStage.execute(.migrate, options: options, console: console)
  }
}

struct DeployContractCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "contract",
    abstract: "Back up (the data contract drops too), then apply the contract phase.",
    discussion: "Run it only once no instance of the old application version is left."
  )
  @OptionGroup var options: DeployOptions

  func execute(console: Console) -> ShiftExitCode {
    DeployStage.execute(.contract, options: options, console: console)
  }
}

/// Runs a rollback on an open session.
struct RollbackWork: SessionWork {
  var runner: RollbackRunner<ThreadSleeper>

  mutating func run(_ session: inout some DatabaseSession & ~Copyable) throws -> RollbackReport {
    try runner.run(session: &session)
  }
}

struct DeployRollbackCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollback",
    abstract: "Undo expand and migrate (refused after contract unless --force).",
    discussion: """
      Undoes the applied steps newest first: the plan's reverse statements when it has them, \
      else DROP … IF EXISTS of what expand added (columns, indexes, constraints, triggers, \
      functions, tables, views). Steps it cannot undo are listed and the rollback is refused \
      unless --force. After contract has started, the schema can only come back from the \
      backups: --force then only releases the migration in the ledger.
      """
  )
  @OptionGroup var options: DeployOptions

  @Flag(help: "Undo what can be undone and release a migration past contract.")
  var force = false

  func execute(console: Console) -> ShiftExitCode {
    do {
      let (plan, url) = try options.load()
      var work = RollbackWork(
        runner: RollbackRunner(
          plan: plan,
          force: force,
          sleeper: ThreadSleeper(),
          log: { console.write($0 + "\n") }
        )
      )
      let report = try DatabaseTarget.open(url, dialect: plan.plan.dialect, &work)
      for line in report.nothingToUndo { console.write("nothing to undo: \(line)\n") }
      for line in report.notUndone { console.write("NOT undone: \(line)\n") }
      return .success
    } catch {
      return DatabaseTarget.report(error, console: console)
    }
  }
}

/// `--strategy` values of `deploy run`.
enum RolloutStrategyArgument: String, ExpressibleByArgument, CaseIterable {
  case rolling
  case blueGreen = "blue-green"
  case canary
  case featureFlag = "feature-flag"

  var strategy: RolloutStrategy { RolloutStrategy(rawValue: rawValue) ?? .rolling }
}

struct DeployRunCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run expand, the rollout, migrate and contract, each at its stage, behind gates.",
    discussion: """
      Order: expand (backup first) → rolloutCommand → beforeMigrate gates → migrate → \
      promoteCommand → beforeContract gates → contract. Each strategy demands the gates that make contract \
      safe (rolling/blue-green: a beforeContract gate; canary: a metrics gate; feature-flag: \
      flag gates before migrate and contract). A gate that times out stops the run (exit 2; \
      rerun to continue). A metrics gate past its rollback threshold takes the rollback path: \
      appRollbackCommand, then the schema rollback (exit 2); so does a failing rollout or \
      promote command. The gates file format is in \
      docs/deploy.md.
      """
  )
  @OptionGroup var options: DeployOptions

  @Option(help: "Rollout strategy: rolling, blue-green, canary or feature-flag.")
  var strategy: RolloutStrategyArgument

  @Option(help: "The gates file (YAML or JSON).")
  var gates: String?

  func execute(console: Console) -> ShiftExitCode {
    do {
      let (plan, url) = try options.load()
      let configuration =
        try gates.map { try GateConfiguration.load(path: $0) } ?? GateConfiguration()
      let log: (String) -> Void = { console.write($0 + "\n") }
      let options = self.options
      let orchestrator = RolloutOrchestrator(
        strategy: strategy.strategy,
        gates: configuration,
        gateRunner: GateRunner(clock: SystemDeployClock(), sleeper: ThreadSleeper(), log: log),
        runStage: { phase in
          try DeployStage.run(phase, plan: plan, url: url, options: options, console: console)
        },
        rollBackSchema: {
          var work = RollbackWork(
            runner: RollbackRunner(plan: plan, force: false, sleeper: ThreadSleeper(), log: log)
          )
          _ = try DatabaseTarget.open(url, dialect: plan.plan.dialect, &work)
        },
        runCommand: { command in
          guard let program = command.first else { return 0 }
          let result = try ProcessRunner().run(program, Array(command.dropFirst()))
          if !result.output.isEmpty { console.write(result.output) }
          if !result.errorOutput.isEmpty { console.write(result.errorOutput) }
          return result.status
        },
        log: log
      )
      try orchestrator.run()
      return .success
    } catch {
      return DatabaseTarget.report(error, console: console)
    }
  }
}
