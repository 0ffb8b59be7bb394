public import ShiftAnalysis

/// How the application is rolled out; decides which gates `deploy run` demands (DESIGN.md,
/// "Rollout mapping").
public enum RolloutStrategy: String, Sendable, Hashable, CaseIterable {
  case rolling
  case blueGreen = "blue-green"
  case canary
  case featureFlag = "feature-flag"

  /// What the strategy requires of the gates file, or `nil` when it is complete.
  public func missingGates(_ gates: GateConfiguration) -> String? {
    let contract = gates.beforeContract ?? []
    let migrate = gates.beforeMigrate ?? []
    switch self {
    case .rolling:
      guard !contract.isEmpty else {
        return "rolling: contract must wait for the rollout to complete with no pod of the old "
          + "version left (terminating ones included): add a beforeContract gate (kubectl, or a "
          + "command/http check)"
      }
    case .blueGreen:
      guard !contract.isEmpty else {
        return "blue-green: contract must wait until blue is decommissioned, never at the switch "
          + "(blue is the rollback path): add a beforeContract gate"
      }
    case .canary:
      guard contract.contains(where: { $0.metrics != nil }) else {
        return "canary: contract must wait for 100 %, the old ReplicaSet at 0, the bake time and "
          + "healthy metrics: add a beforeContract metrics gate (and a kubectl gate)"
      }
    case .featureFlag:
      guard migrate.contains(where: { $0.flag != nil }),
        contract.contains(where: { $0.flag != nil })
      else {
        return "feature-flag: migrate waits for dual-write to be on and contract for the read-new "
          + "flag to be fully on: add a flag gate to beforeMigrate and to beforeContract"
      }
    }
    return nil
  }
}

/// The whole sequence of `deploy run`: expand, the application's rollout, gates, migrate,
/// the promotion (traffic switch, canary promotion, flag), gates, contract — and the rollback path when a gate asks for it (the application's
/// rollback command, then the schema rollback, which is possible because contract has not
/// run).
public struct RolloutOrchestrator<Clock: DeployClock, Sleeper: DeploySleeper> {
  /// The strategy.
  public var strategy: RolloutStrategy
  /// The gates.
  public var gates: GateConfiguration
  /// Checks gates.
  public var gateRunner: GateRunner<Clock, Sleeper>
  /// Runs a phase (`deploy expand|migrate|contract`).
  public var runStage: (MigrationPhase) throws -> Void
  /// Rolls the schema back (`deploy rollback`).
  public var rollBackSchema: () throws -> Void
  /// Runs a command (rollout, application rollback); returns its exit status.
  public var runCommand: ([String]) throws -> Int32
  /// Progress lines.
  public var log: (String) -> Void

  /// Creates an orchestrator.
  public init(
    strategy: RolloutStrategy,
    gates: GateConfiguration,
    gateRunner: GateRunner<Clock, Sleeper>,
    runStage: @escaping (MigrationPhase) throws -> Void,
    rollBackSchema: @escaping () throws -> Void,
    runCommand: @escaping ([String]) throws -> Int32,
    log: @escaping (String) -> Void
  ) {
    self.strategy = strategy
    self.gates = gates
    self.gateRunner = gateRunner
    self.runStage = runStage
    self.rollBackSchema = rollBackSchema
    self.runCommand = runCommand
    self.log = log
  }

  /// Runs the sequence.
  ///
  /// - Throws: ``DeployError``: `.configuration` when the gates do not fit the strategy,
  ///   `.gateFailed` when a gate times out (the migration stays where it is; rerun
  ///   `deploy run` to continue), `.rollbackTriggered` after the rollback path ran, or
  ///   whatever a stage throws.
  public func run() throws {
    if let missing = strategy.missingGates(gates) {
      throw DeployError(.configuration, missing)
    }
    log("deploy run (\(strategy.rawValue)): expand")
    try runStage(.expand)
    if let rollout = gates.rolloutCommand, !rollout.isEmpty {
      log("rollout: \(rollout.joined(separator: " "))")
      let status = try runCommand(rollout)
      guard status == 0 else {
        try rollBack(because: "the rollout command exited \(status)")
      }
    }
    try pass(gates.beforeMigrate ?? [], before: .migrate)
    log("deploy run: migrate")
    try runStage(.migrate)
    if let promote = gates.promoteCommand, !promote.isEmpty {
      log("promote: \(promote.joined(separator: " "))")
      let status = try runCommand(promote)
      guard status == 0 else {
        try rollBack(because: "the promote command exited \(status)")
      }
    }
    try pass(gates.beforeContract ?? [], before: .contract)
    log("deploy run: contract (the point of no return)")
    try runStage(.contract)
    log("deploy run: done")
  }

  private func pass(_ list: [GateSpec], before phase: MigrationPhase) throws {
    for gate in list {
      switch gateRunner.wait(for: gate) {
      case .passed:
        continue
      case .timedOut(let reason):
        throw DeployError(
          .gateFailed,
          "\(reason); \(phase.rawValue) did not run",
          hint: "the schema is compatible with both versions as it stands; fix the rollout and "
            + "rerun `safeshift deploy run` (finished stages are not repeated), or roll back "
            + "with `safeshift deploy rollback`"
        )
      case .rollback(let reason):
        try rollBack(because: reason)
      }
    }
  }

  private func rollBack(because reason: String) throws -> Never {
    log("ROLLBACK: \(reason)")
    var problems: [String] = []
    if let command = gates.appRollbackCommand, !command.isEmpty {
      log("application rollback: \(command.joined(separator: " "))")
      do {
        let status = try runCommand(command)
        if status != 0 { problems.append("the application rollback command exited \(status)") }
      } catch {
        problems.append("the application rollback command failed: \(error)")
      }
    }
    do {
      try rollBackSchema()
    } catch {
      problems.append("schema rollback: \(error)")
    }
    throw DeployError(
      .rollbackTriggered,
      "rolled back: \(reason)"
        + (problems.isEmpty ? "" : "\nbut: " + problems.joined(separator: "; ")),
      hint: problems.isEmpty
        ? "the application and the schema are back on the old version; see `safeshift status`"
        : "finish the rollback by hand; see `safeshift status`"
    )
  }
}
