import Foundation
import ShiftDeploy
import Testing

/// `deploy run` end to end on PostgreSQL with real gates: a local HTTP server for the
/// version, metrics and flag endpoints, and a kubectl test double serving recorded JSON.
@Suite(.enabled(if: DeployTestSupport.hasPostgres), .serialized, .timeLimit(.minutes(3)))
struct DeployRunTests {
  /// The gate server (Fixtures/gate_server.py) on a free loopback port.
  final class GateServer {
    let process = Process()
    let state: String
    let port: String

    init(state: String) throws {
      self.state = state
      let output = Pipe()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", GateTests.fixtures + "gate_server.py", state]
      process.standardOutput = output
      try process.run()
      var line = [UInt8]()
      while true {
        let byte = output.fileHandleForReading.readData(ofLength: 1)
        if byte.isEmpty || byte.first == 0x0A { break }
        line.append(contentsOf: byte)
      }
      port = String(decoding: line, as: UTF8.self)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func set(_ name: String, _ value: String) throws {
      try value.write(toFile: state + "/" + name, atomically: true, encoding: .utf8)
    }

    deinit {
      // SIGKILL: the test process's blocked signals are inherited, so SIGTERM may be ignored.
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }

  /// A kubectl wrapper that serves the fixtures' recorded answers from `directory`.
  static func kubectlDouble(in directory: String) throws -> String {
    let data = directory + "/kubectl"
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    for name in [
      "deployment-1.json", "deployment-2.json", "deployment.json", "pods-1.json", "pods.json",
    ] {
      try FileManager.default.copyItem(atPath: GateTests.fixtures + name, toPath: data + "/" + name)
    }
    let wrapper = directory + "/kubectl.sh"
    try
      "#!/bin/sh\nKUBECTL_DOUBLE_DIR='\(data)' exec '\(GateTests.fixtures)kubectl-double.sh' \"$@\"\n"
      .write(toFile: wrapper, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
    return wrapper
  }

  static func json(_ object: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }

  static func run(_ strategy: String, work: String, url: String, gates: String) -> (
    code: Int32, output: String, error: String
  ) {
    PostgresDeployTests.deploy(
      "run",
      plan: work + "/plan",
      url: url,
      backups: work + "/backups",
      extra: ["--strategy", strategy, "--gates", gates]
    )
  }

  @Test func aRollingRunWaitsForTheNewVersionEverywhereThenContracts() throws {
    let url = try PostgresDeployTests.seededDatabase("deploy_run_rolling")
    let work = try DeployTestSupport.temporaryDirectory("run-rolling")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    try FileManager.default.createDirectory(
      atPath: work + "/state",
      withIntermediateDirectories: true
    )
    let server = try GateServer(state: work + "/state")
    try server.set("version", "v1")
    try server.set("flag", "true")
    let kubectl = try Self.kubectlDouble(in: work)
    let gates = work + "/gates.yml"
    try """
    rolloutCommand: ["sh", "-c", "echo v2 > '\(work)/state/version'"]
    beforeMigrate:
      - http: {url: "\(server.base)/version", expectVersion: "v2"}
        timeout: 10s
        interval: 100ms
    beforeContract:
      - kubectl: {deployment: web, namespace: prod, selector: "app=web", version: "v2", binary: "\(kubectl)"}
        timeout: 20s
        interval: 100ms
      - flag: {url: "\(server.base)/flag", expect: "true"}
        timeout: 5s
        interval: 100ms
    """.write(toFile: gates, atomically: true, encoding: .utf8)
    let result = Self.run("rolling", work: work, url: url, gates: gates)
    #expect(result.code == 0, "\(result.error)\n\(result.output)")
    #expect(result.output.contains("the controller has not seen generation 8 yet"))
    #expect(result.output.contains("web-5f4b-pqrst (version v1, terminating)"))
    #expect(try PostgresDeployTests.state(url) == [["done", nil]])
    let calls = try String(contentsOfFile: work + "/kubectl/calls.log", encoding: .utf8)
    #expect(calls.contains("get deployment web -o json --namespace prod"))
    #expect(calls.contains("get pods -l app=web -o json --namespace prod"))
  }

  @Test func aMetricPastItsRollbackThresholdRollsTheApplicationAndTheSchemaBack() throws {
    let url = try PostgresDeployTests.seededDatabase("deploy_run_canary")
    let work = try DeployTestSupport.temporaryDirectory("run-canary")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    try FileManager.default.createDirectory(
      atPath: work + "/state",
      withIntermediateDirectories: true
    )
    let server = try GateServer(state: work + "/state")
    try server.set("metric", "0.004")
    let gates = work + "/gates.json"
    try Self.json([
      "appRollbackCommand": ["sh", "-c", "touch '\(work)/state/app-rolled-back'"],
      "beforeContract": [
        [
          "metrics": [
            "url": server.base, "query": "sum(rate(http_requests_total{code=~\"5..\"}[1m]))",
            "max": 0.01, "rollbackAbove": 0.1, "bake": "2s",
          ],
          "timeout": "20s", "interval": "100ms",
        ]
      ],
    ]).write(toFile: gates, atomically: true, encoding: .utf8)
    // The error rate jumps while the gate bakes.
    DispatchQueue.global().asyncAfter(deadline: .now() + 1.0) {
      try? "0.2".write(toFile: work + "/state/metric", atomically: true, encoding: .utf8)
    }
    let result = Self.run("canary", work: work, url: url, gates: gates)
    #expect(result.code == 2)
    #expect(result.error.contains("rolled back"))
    #expect(result.error.contains("above the rollback threshold 0.1"))
    #expect(FileManager.default.fileExists(atPath: work + "/state/app-rolled-back"))
    #expect(try PostgresDeployTests.state(url) == [["rolled_back", nil]])
    #expect(
      try PostgresDeployTests.rows(
        url,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'full_name'"
      ) == [["0"]]
    )
    try PostgresDeployTests.oldVersionWorks(url, email: "after-canary@example.com")
  }

  @Test func aFeatureFlagRunWaitsForDualWriteAndForReadNew() throws {
    let url = try PostgresDeployTests.seededDatabase("deploy_run_flag")
    let work = try DeployTestSupport.temporaryDirectory("run-flag")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    try FileManager.default.createDirectory(
      atPath: work + "/state",
      withIntermediateDirectories: true
    )
    let server = try GateServer(state: work + "/state")
    try server.set("flag", "false")
    // Dual-write is switched on a moment after expand.
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
      try? "true".write(toFile: work + "/state/flag", atomically: true, encoding: .utf8)
    }
    let gates = work + "/gates.yml"
    try """
    promoteCommand: ["sh", "-c", "echo on > '\(work)/state/read-new'"]
    beforeMigrate:
      - flag: {url: "\(server.base)/flag", expect: "true"}
        name: dual-write
        timeout: 10s
        interval: 100ms
    beforeContract:
      - flag: {command: ["cat", "\(work)/state/read-new"], expect: "on"}
        name: read-new
        timeout: 5s
        interval: 100ms
    """.write(toFile: gates, atomically: true, encoding: .utf8)
    let result = Self.run("feature-flag", work: work, url: url, gates: gates)
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.contains("gate dual-write: flag is false, waiting for true"))
    #expect(result.output.contains("gate read-new: passed"))
    #expect(try PostgresDeployTests.state(url) == [["done", nil]])
    // Without the flag gates the strategy is refused before anything runs.
    let bare = work + "/bare.yml"
    try "beforeContract: []\n".write(toFile: bare, atomically: true, encoding: .utf8)
    let refused = Self.run("feature-flag", work: work, url: url, gates: bare)
    #expect(refused.code == 2)
    #expect(refused.error.contains("feature-flag: migrate waits for dual-write"))
  }

  @Test func aGateThatTimesOutStopsBeforeContractAndARerunContinues() throws {
    let url = try PostgresDeployTests.seededDatabase("deploy_run_timeout")
    let work = try DeployTestSupport.temporaryDirectory("run-timeout")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    let gates = work + "/gates.yml"
    let marker = work + "/old-pods-gone"
    try """
    beforeContract:
      - command: {run: ["test", "-e", "\(marker)"]}
        name: old version gone
        timeout: 1s
        interval: 200ms
    """.write(toFile: gates, atomically: true, encoding: .utf8)
    let first = Self.run("blue-green", work: work, url: url, gates: gates)
    #expect(first.code == 2)
    #expect(first.error.contains("gate old version gone did not pass within 1 s"))
    #expect(first.error.contains("contract did not run"))
    #expect(try PostgresDeployTests.state(url) == [["migrated", nil]])
    #expect(FileManager.default.createFile(atPath: marker, contents: Data()))
    let second = Self.run("blue-green", work: work, url: url, gates: gates)
    #expect(second.code == 0, "\(second.error)")
    #expect(second.output.contains("expand: already done"))
    #expect(try PostgresDeployTests.state(url) == [["done", nil]])
  }
}
