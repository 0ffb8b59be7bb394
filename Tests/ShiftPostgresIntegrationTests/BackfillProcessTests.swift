import Foundation
import ShiftPostgres
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `safeshift backfill` as real processes: killed with SIGKILL at random moments and
/// resumed, several processes sharing one backfill, exit codes, no password in messages.
@Suite(.enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(3)))
struct BackfillProcessTests {
  /// The `safeshift` executable built next to this test bundle.
  static let binary: URL? = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("safeshift")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return nil
  }()

  static func start(_ arguments: [String]) throws -> Process {
    let binary: URL = try #require(Self.binary, "safeshift binary not built")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  static func run(_ arguments: [String]) throws -> (code: Int32, output: String, error: String) {
    let binary: URL = try #require(Self.binary, "safeshift binary not built")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outputData, as: UTF8.self),
      String(decoding: errorData, as: UTF8.self)
    )
  }

  static func counterArguments(_ table: String, url: String) -> [String] {
    [
      "backfill", "--table", table, "--set", "counter = counter + 1", "--name", table,
      "--database-url", url, "--batch-size", "200", "--min-batch-size", "50",
      "--max-batch-size", "400", "--target-batch-ms", "20", "--progress", "lines",
      "--progress-interval", "0.2",
    ]
  }

  @Test func killedAtRandomMomentsThenResumedChangesEveryRowExactlyOnce() throws {
    let url = try #require(TestDatabase.url)
    var connection = try BackfillEngineTests.makeCounterTable("bf_kill", rows: 200_000)
    var random = SystemRandomNumberGenerator()
    var kills: [Double] = []
    var interrupted = 0
    for run in 0..<8 {
      // The first runs go full speed (a kill most likely lands inside a batch's transaction);
      // the others are rate-limited so that they are killed part way through the table.
      let limit = run < 2 ? [] : ["--max-rows-per-second", "15000"]
      let process = try Self.start(Self.counterArguments("bf_kill", url: url) + limit)
      let moment = Double.random(in: run < 2 ? 0.05...0.2 : 0.05...0.6, using: &random)
      kills.append(moment)
      Thread.sleep(forTimeInterval: moment)
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        interrupted += 1
      }
      process.waitUntilExit()
    }
    let keysBefore = try BackfillEngineTests.value(
      "SELECT coalesce(sum(keys_done), 0)::text FROM safeshift.backfill_ranges WHERE backfill = 'bf_kill'",
      on: &connection
    )
    let final = try Self.run(Self.counterArguments("bf_kill", url: url))
    #expect(final.code == 0, "\(final.error)")
    #expect(interrupted > 0, "no run was killed (kill moments \(kills))")
    #expect(keysBefore != "200000", "the killed runs finished the work (kill moments \(kills))")
    // The checksum of the data: a batch applied twice would leave counter = 2 somewhere.
    let counts = try connection.query(
      "SELECT counter::text, count(*)::text FROM bf_kill GROUP BY counter ORDER BY 1",
      []
    )
    #expect(counts == [["1", "200000"]], "kill moments \(kills)")
    let ledger = try connection.query(
      "SELECT state, keys_done::text, rows_done::text FROM safeshift.backfill_status WHERE name = 'bf_kill'",
      []
    )
    #expect(ledger == [["done", "200000", "200000"]])
  }

  @Test func fourProcessesShareOneBackfillEachKeyOnce() throws {
    let url = try #require(TestDatabase.url)
    var connection = try BackfillEngineTests.makeCounterTable("bf_procs", rows: 40_000)
    // The first process to register splits the work; the others join.
    let processes = try (1...4).map { index in
      try Self.start(
        Self.counterArguments("bf_procs", url: url) + [
          "--worker-id", "pod-\(index)", "--min-ranges", "16",
        ]
      )
    }
    for process in processes { process.waitUntilExit() }
    #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0])
    #expect(
      try connection.query(
        "SELECT counter::text, count(*)::text FROM bf_procs GROUP BY counter",
        []
      )
        == [["1", "40000"]]
    )
    let ranges = try connection.query(
      """
      SELECT count(*)::text, sum(keys_done)::text, (count(DISTINCT worker) > 1)::text
      FROM safeshift.backfill_ranges WHERE backfill = 'bf_procs' AND state = 'done'
      """,
      []
    )
    #expect(ranges == [["16", "40000", "true"]])
  }

  @Test func exitCodesAndNoPasswordInMessages() throws {
    let usage = try Self.run(["backfill", "--table", "t", "--set", "a = 1"])
    #expect(usage.code == 64)
    let noTable = try Self.run([
      "backfill", "--table", "bf_no_such_table", "--set", "a = 1", "--database-url",
      try #require(TestDatabase.url),
    ])
    #expect(noTable.code == 2)
    #expect(noTable.error.contains("does not exist"))
    let badServer = try Self.run([
      "backfill", "--table", "t", "--set", "a = 1", "--database-url",
      "postgresql://someone:s3cretPassw0rd@127.0.0.1:1/db?connect_timeout=2",
    ])
    #expect(badServer.code == 2)
    #expect(!badServer.error.contains("s3cretPassw0rd"))
    #expect(!badServer.output.contains("s3cretPassw0rd"))
  }
}
