import Foundation
import ShiftAnalysis
import ShiftDeploy
import Testing

@Suite struct GateTests {
  static let fixtures = DeployTestSupport.root + "/Tests/ShiftDeployTests/Fixtures/"

  static func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: fixtures + name)))
  }

  @Test func evaluatorPassesAfterTheBakeTimeWithoutABreak() {
    var evaluator = GateEvaluator(bakeSeconds: 10, timeoutSeconds: 60)
    #expect(evaluator.observe(.ok("a"), at: 0) == .keepWaiting)
    #expect(evaluator.observe(.ok("a"), at: 5) == .keepWaiting)
    // A bad reading restarts the bake.
    #expect(evaluator.observe(.waiting("high"), at: 6) == .keepWaiting)
    #expect(evaluator.observe(.ok("a"), at: 7) == .keepWaiting)
    #expect(evaluator.observe(.ok("a"), at: 16) == .keepWaiting)
    #expect(evaluator.observe(.ok("a"), at: 17) == .passed)
  }

  @Test func evaluatorTimesOutWithTheLastReasonAndRollsBackAtOnce() {
    var evaluator = GateEvaluator(bakeSeconds: 0, timeoutSeconds: 30)
    #expect(evaluator.observe(.waiting("2 of 3 updated"), at: 0) == .keepWaiting)
    #expect(evaluator.observe(.waiting("2 of 3 updated"), at: 31) == .timedOut("2 of 3 updated"))
    var other = GateEvaluator(bakeSeconds: 300, timeoutSeconds: 600)
    #expect(other.observe(.rollback("error rate 0.2"), at: 0) == .rollback("error rate 0.2"))
    var once = GateEvaluator(bakeSeconds: 0, timeoutSeconds: 30)
    #expect(once.observe(.ok("up"), at: 0) == .passed)
  }

  @Test func deploymentJSONAtEachMomentOfARollingUpdate() throws {
    let notObserved = KubernetesRollout.workloadStatus(
      try Self.bytes("deployment-1.json"),
      kind: "deployment"
    )
    #expect(notObserved == .waiting("web: the controller has not seen generation 8 yet"))
    let rolling = KubernetesRollout.workloadStatus(
      try Self.bytes("deployment-2.json"),
      kind: "deployment"
    )
    #expect(rolling == .waiting("web: 2 of 3 replicas updated"))
    let complete = KubernetesRollout.workloadStatus(
      try Self.bytes("deployment.json"),
      kind: "deployment"
    )
    #expect(complete == .ok("web: 3 of 3 replicas updated and available"))
  }

  @Test func aTerminatingPodOfTheOldVersionStillCounts() throws {
    let terminating = KubernetesRollout.podStatus(
      try Self.bytes("pods-1.json"),
      version: "v2",
      versionLabel: "app.kubernetes.io/version",
      image: nil
    )
    #expect(
      terminating
        == .waiting("pods of the old version left: web-5f4b-pqrst (version v1, terminating)")
    )
    let clean = KubernetesRollout.podStatus(
      try Self.bytes("pods.json"),
      version: "v2",
      versionLabel: "app.kubernetes.io/version",
      image: nil
    )
    #expect(clean == .ok("4 pod(s), all of the new version"))
    let byImage = KubernetesRollout.podStatus(
      try Self.bytes("pods-1.json"),
      version: nil,
      versionLabel: "app.kubernetes.io/version",
      image: "registry.example.com/web:v2"
    )
    guard case .waiting = byImage else {
      Issue.record("an old image must keep the gate waiting")
      return
    }
  }

  @Test func argoRolloutMustBeHealthyOnTheCurrentReplicaSet() {
    let json = """
      {"metadata": {"name": "web", "generation": 3}, "spec": {"replicas": 2},
       "status": {"observedGeneration": 3, "phase": "Paused", "stableRS": "5f4b", "currentPodHash": "7d9c",
                  "replicas": 2, "updatedReplicas": 1, "availableReplicas": 2}}
      """
    guard
      case .waiting(let reason) = KubernetesRollout.workloadStatus(
        Array(json.utf8),
        kind: "rollout"
      )
    else {
      Issue.record("a paused canary is not done")
      return
    }
    #expect(reason.contains("Paused"))
  }

  @Test func prometheusAnswersAndThresholds() {
    let body = Array(
      #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1.7e9,"0.004"]},{"metric":{"job":"b"},"value":[1.7e9,"0.02"]}]}}"#
        .utf8
    )
    let values = GateRunner<SystemDeployClock, ThreadSleeper>.prometheusValues(body)
    #expect(values == [0.004, 0.02])
    let gate = MetricsGate(url: "http://p", query: "q", max: 0.01, rollbackAbove: 0.05)
    let judge = GateRunner<SystemDeployClock, ThreadSleeper>.judge
    #expect(judge([0.004, 0.02], gate) == .waiting("value 0.02 is above 0.01"))
    #expect(judge([0.004], gate) == .ok("value 0.004 within thresholds"))
    #expect(judge([0.2], gate) == .rollback("value 0.2 is above the rollback threshold 0.05"))
    #expect(judge([], gate) == .waiting("the query returned no data yet"))
    #expect(GateRunner<SystemDeployClock, ThreadSleeper>.prometheusValues(Array("{}".utf8)) == nil)
  }

  @Test(arguments: [("500ms", 0.5), ("30s", 30), ("10m", 600), ("1h", 3600), ("15", 15)])
  func durations(_ text: String, _ seconds: Double) {
    #expect(DurationText.seconds(text) == seconds)
  }

  @Test func strategiesDemandTheirGates() {
    let kubectl = GateSpec(
      kubectl: KubectlGate(deployment: "web", selector: "app=web", version: "v2")
    )
    let metrics = GateSpec(metrics: MetricsGate(url: "http://p", query: "q", max: 1))
    let flag = GateSpec(flag: FlagGate(url: "http://f", expect: "true"))
    #expect(RolloutStrategy.rolling.missingGates(GateConfiguration()) != nil)
    #expect(
      RolloutStrategy.rolling.missingGates(GateConfiguration(beforeContract: [kubectl])) == nil
    )
    #expect(
      RolloutStrategy.blueGreen.missingGates(GateConfiguration(beforeContract: [kubectl])) == nil
    )
    #expect(
      RolloutStrategy.canary.missingGates(GateConfiguration(beforeContract: [kubectl])) != nil
    )
    #expect(
      RolloutStrategy.canary.missingGates(GateConfiguration(beforeContract: [kubectl, metrics]))
        == nil
    )
    #expect(
      RolloutStrategy.featureFlag.missingGates(GateConfiguration(beforeContract: [flag])) != nil
    )
    #expect(
      RolloutStrategy.featureFlag.missingGates(
        GateConfiguration(beforeMigrate: [flag], beforeContract: [flag])
      ) == nil
    )
  }

  /// A clock that moves on by the time slept.
  final class ManualTime: DeployClock, DeploySleeper {
    var time = 0.0
    func now() -> Double { time }
    func sleep(milliseconds: Int) { time += Double(milliseconds) / 1000 }
  }

  struct StageFailed: Error {}

  @Test func orchestratorRunsStagesInOrderAndTakesTheRollbackPath() throws {
    let time = ManualTime()
    var stages: [MigrationPhase] = []
    var commands: [[String]] = []
    var rolledBack = false
    let gates = GateConfiguration(
      rolloutCommand: ["deploy-app", "v2"],
      promoteCommand: ["switch-traffic"],
      appRollbackCommand: ["undo-app"],
      beforeContract: [GateSpec(command: CommandGate(run: ["true"]))]
    )
    let orchestrator = RolloutOrchestrator(
      strategy: .rolling,
      gates: gates,
      gateRunner: GateRunner(clock: time, sleeper: time, log: { _ in }),
      runStage: { stages.append($0) },
      rollBackSchema: { rolledBack = true },
      runCommand: {
        commands.append($0)
        return $0 == ["deploy-app", "v2"] ? 0 : 0
      },
      log: { _ in }
    )
    try orchestrator.run()
    #expect(stages == [.expand, .migrate, .contract])
    #expect(commands == [["deploy-app", "v2"], ["switch-traffic"]])
    #expect(!rolledBack)

    // A failed rollout command rolls the application and the schema back; contract never runs.
    stages = []
    commands = []
    let failing = RolloutOrchestrator(
      strategy: .rolling,
      gates: gates,
      gateRunner: GateRunner(clock: time, sleeper: time, log: { _ in }),
      runStage: { stages.append($0) },
      rollBackSchema: { rolledBack = true },
      runCommand: {
        commands.append($0)
        return $0 == ["deploy-app", "v2"] ? 1 : 0
      },
      log: { _ in }
    )
    do {
      try failing.run()
      Issue.record("a failed rollout must stop the run")
    } catch let error as DeployError {
      #expect(error.kind == .rollbackTriggered)
      #expect(error.message.contains("the rollout command exited 1"))
    }
    #expect(stages == [.expand])
    #expect(commands == [["deploy-app", "v2"], ["undo-app"]])
    #expect(rolledBack)
  }

  @Test func aGateTimingOutStopsBeforeItsPhase() {
    let time = ManualTime()
    var stages: [MigrationPhase] = []
    let orchestrator = RolloutOrchestrator(
      strategy: .blueGreen,
      gates: GateConfiguration(
        beforeContract: [
          GateSpec(timeout: "30s", interval: "10s", command: CommandGate(run: ["false"]))
        ]
      ),
      gateRunner: GateRunner(clock: time, sleeper: time, log: { _ in }),
      runStage: { stages.append($0) },
      rollBackSchema: {},
      runCommand: { _ in 0 },
      log: { _ in }
    )
    do {
      try orchestrator.run()
      Issue.record("the gate cannot pass")
    } catch let error as DeployError {
      #expect(error.kind == .gateFailed)
      #expect(error.message.contains("did not pass within 30 s"))
      #expect(error.message.contains("`false` exited 1"))
      #expect(error.message.contains("contract did not run"))
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(stages == [.expand, .migrate])
  }
}
