import Foundation
import ShiftAnalysis
import ShiftDeploy
import ShiftPlanner
import ShiftSyntax
import Testing

@Suite struct PureHelperTests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func sha256MatchesTheStandardsVectors(_ input: String, _ digest: String) {
    #expect(SHA256.hex(of: Array(input.utf8)) == digest)
  }

  @Test(arguments: [1, 7, 63, 64, 65, 200])
  func sha256IsTheSameInAnyChunking(_ chunk: Int) {
    let input = Array((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    var digest = SHA256()
    var offset = 0
    while offset < input.count {
      let end = min(offset + chunk, input.count)
      digest.update(Data(input[offset..<end]))
      offset = end
    }
    #expect(digest.finalizeHex() == SHA256.hex(of: input))
    #expect(SHA256.hex(of: input) == SHA256.hex(of: input.lazy.map { $0 }))
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
  func fileDigestMatchesSha256sum() throws {
    let directory = try DeployTestSupport.temporaryDirectory("digest")
    let path = directory + "/blob"
    let bytes = (0..<3_000_001).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let result = try ProcessRunner().run("/usr/bin/sha256sum", [path])
    let (size, digest) = try BackupTaker.digest(path: path)
    #expect(size == bytes.count)
    #expect(result.output.hasPrefix(digest + " "))
  }

  @Test func sha256OfAMillionAs() {
    var digest = SHA256()
    for _ in 0..<1000 { digest.update([UInt8](repeating: UInt8(ascii: "a"), count: 1000)) }
    #expect(
      digest.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    )
  }

  @Test(arguments: [
    (
      "postgres://app:s3cr%40t@db:5432/prod?sslmode=require",
      "postgres://app@db:5432/prod?sslmode=require", "s3cr@t"
    ),
    (
      "postgresql://app@db/prod?password=pw&sslmode=disable",
      "postgresql://app@db/prod?sslmode=disable", "pw"
    ),
    ("host=db user=app password='a b\\'c' dbname=prod", "host=db user=app dbname=prod", "a b'c"),
    ("host=db dbname=prod", "host=db dbname=prod", nil),
  ])
  func passwordsLeaveTheConnectionString(_ input: String, _ stripped: String, _ password: String?) {
    let credentials = PostgresCredentials(input)
    #expect(credentials.connectionString == stripped)
    #expect(credentials.password == password)
    #expect(credentials.environment["PGPASSWORD"] == password)
  }

  @Test func backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
    let policy = RetryPolicy(
      maxAttempts: 10,
      initialDelayMilliseconds: 100,
      maxDelayMilliseconds: 1000,
      jitter: false,
      retryOn: [.lockTimeout]
    )
    let delays = (1...6).map {
      StageRunner<NoBackfill, ThreadSleeper>.backoff(attempt: $0, policy: policy)
    }
    #expect(delays == [100, 200, 400, 800, 1000, 1000])
    var jittered = policy
    jittered.jitter = true
    let range = StageRunner<NoBackfill, ThreadSleeper>.backoff(attempt: 3, policy: jittered) {
      $0.lowerBound
    }
    #expect(range == 200)
  }

  @Test func theStoryPlanLoadsWithItsStepsAndBackfill() throws {
    let path =
      DeployTestSupport.root + "/Tests/ShiftPlannerTests/Snapshots/postgres-story-full-name"
    let plan = try DeployPlan.load(directory: path)
    #expect(
      plan.plan.steps.map(\.id) == [
        "expand-01", "expand-02", "migrate-01", "contract-01", "contract-02", "contract-03",
      ]
    )
    #expect(plan.plan.steps[2].backfill?.keyColumns == ["id"])
    #expect(plan.plan.steps[4].backup?.columns == ["first_name"])
    #expect(plan.checksum.count == 64)
    #expect(
      plan.migrationID
        == "0002_add_users_full_name+0003_backfill_users_full_name+0004_drop_users_first_last_name"
    )
    let again = try DeployPlan.load(directory: path, migrationID: "release-42")
    #expect(again.migrationID == "release-42")
    #expect(again.checksum == plan.checksum)
  }

  @Test func aBrokenPlanIsABadPlanError() {
    #expect(throws: DeployError.self) {
      try DeployPlan.decode(Array("{\"version\": 1}".utf8), path: "plan.json")
    }
    do {
      _ = try DeployPlan.decode(Array("not json".utf8), path: "x/plan.json")
    } catch {
      #expect(error.kind == .badPlan)
      #expect(error.message.contains("x/plan.json"))
    }
  }

  @Test func rollbackOfTheStoryDropsWhatExpandAddedNewestFirst() throws {
    let path =
      DeployTestSupport.root + "/Tests/ShiftPlannerTests/Snapshots/postgres-story-full-name"
    let plan = try DeployPlan.load(directory: path)
    let steps = RollbackPlanner.plan(plan, applied: ["expand-01", "expand-02", "migrate-01"])
    #expect(steps.map(\.stepID) == ["migrate-01", "expand-02", "expand-01"])
    guard case .nothing = steps[0].undo else {
      Issue.record("the backfill of a new column needs no undo")
      return
    }
    #expect(
      steps[1].undo
        == .statements(
          [
            "DROP TRIGGER IF EXISTS users_full_name_safeshift_sync ON users",
            "DROP FUNCTION IF EXISTS users_full_name_safeshift_sync()",
          ],
          inTransaction: true
        )
    )
    #expect(
      steps[2].undo
        == .statements(["ALTER TABLE users DROP COLUMN IF EXISTS full_name"], inTransaction: true)
    )
  }

  @Test(arguments: [
    (
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"Idx\" ON t (a)",
      "DROP INDEX CONCURRENTLY IF EXISTS \"Idx\""
    ),
    (
      "ALTER TABLE \"My Table\" ADD CONSTRAINT c CHECK (a > 0) NOT VALID",
      "ALTER TABLE \"My Table\" DROP CONSTRAINT IF EXISTS c"
    ),
    ("CREATE TABLE IF NOT EXISTS projects (id int)", "DROP TABLE IF EXISTS projects"),
  ])
  func derivedUndoStatements(_ statement: String, _ undo: String) {
    var step = PlanStep(phase: .expand, summary: "s", statements: [statement])
    step.id = "expand-01"
    let plan = DeployPlan(
      plan: Plan(dialect: .postgres, pgVersion: 16, sources: [], steps: [step]),
      checksum: "0"
    )
    let steps = RollbackPlanner.plan(plan, applied: ["expand-01"])
    guard case .statements(let statements, _) = steps.first?.undo else {
      Issue.record("no undo for \(statement)")
      return
    }
    #expect(statements == [undo])
  }

  @Test func unknownStatementsCannotBeUndone() {
    var step = PlanStep(
      phase: .expand,
      summary: "s",
      statements: ["ALTER TYPE order_status ADD VALUE 'refunded'"]
    )
    step.id = "expand-01"
    let plan = DeployPlan(
      plan: Plan(dialect: .postgres, pgVersion: 16, sources: [], steps: [step]),
      checksum: "0"
    )
    guard case .impossible(let why) = RollbackPlanner.plan(plan, applied: ["expand-01"]).first?.undo
    else {
      Issue.record("expected impossible")
      return
    }
    #expect(why.contains("ALTER TYPE"))
  }
}
