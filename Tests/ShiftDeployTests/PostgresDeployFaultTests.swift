import Foundation
import ShiftAnalysis
import ShiftDatabase
import ShiftDeploy
import ShiftPlanner
import ShiftPostgres
import Testing

/// A deploy that fails, crashes, races another deploy or meets a changed plan leaves the
/// ledger consistent, and a rerun continues where it stopped.
@Suite(.enabled(if: DeployTestSupport.hasPostgres), .serialized, .timeLimit(.minutes(3)))
struct PostgresDeployFaultTests {
  typealias Support = PostgresDeployTests

  struct Crash: Error {}

  @Test func aFailedStatementIsRecordedAndARerunContinuesAfterTheDoneSteps() throws {
    let url = try Support.seededDatabase("deploy_fail")
    let work = try DeployTestSupport.temporaryDirectory("fail")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    // A function of the same name with another return type makes expand-02's
    // CREATE OR REPLACE FUNCTION fail (SQLSTATE 42P13).
    _ = try Support.rows(
      url,
      "CREATE FUNCTION users_full_name_safeshift_sync() RETURNS int LANGUAGE sql AS 'SELECT 1'"
    )
    let failed = Support.deploy("expand", plan: work + "/plan", url: url, backups: work + "/b")
    #expect(failed.code == 2)
    #expect(failed.error.contains("expand-02"))
    #expect(failed.error.contains("42P13"))
    #expect(failed.error.contains("rerun `safeshift deploy expand`"))
    #expect(try Support.state(url) == [["failed", "expand"]])
    #expect(
      try Support.rows(
        url,
        "SELECT step_id, status, sqlstate FROM safeshift.phase_runs ORDER BY id"
      )
        == [["expand-01", "done", nil], ["expand-02", "failed", "42P13"]]
    )
    // The step's transaction rolled back: no half-made trigger.
    #expect(
      try Support.rows(
        url,
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'users_full_name_safeshift_sync'"
      ) == [["0"]]
    )
    let status = DeployTestSupport.run(["status", "--database-url", url])
    #expect(status.output.contains("failed (in expand)"))
    #expect(status.output.contains("SQLSTATE 42P13"))

    _ = try Support.rows(url, "DROP FUNCTION users_full_name_safeshift_sync()")
    let rerun = Support.deploy("expand", plan: work + "/plan", url: url, backups: work + "/b")
    #expect(rerun.code == 0, "\(rerun.error)")
    #expect(rerun.output.contains("resuming; done earlier: expand-01"))
    #expect(try Support.state(url) == [["expanded", nil]])
    // One backup for the phase, kept across the failure.
    #expect(
      try Support.rows(url, "SELECT count(*) FROM safeshift.backups WHERE phase = 'expand'") == [
        ["1"]
      ]
    )
  }

  @Test func aCrashBetweenStepsResumesExactly() throws {
    let url = try Support.seededDatabase("deploy_crash")
    let work = try DeployTestSupport.temporaryDirectory("crash")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    let plan = try DeployPlan.load(directory: work + "/plan")
    var runner = StageRunner(
      plan: plan,
      options: StageOptions(backups: nil, connectionString: url),
      backfill: NoBackfill(),
      sleeper: ThreadSleeper(),
      log: { _ in }
    )
    runner.afterStep = { if $0 == "expand-01" { throw Crash() } }
    do {
      var session = try PostgresConnection(connectingTo: url)
      _ = try runner.run(.expand, session: &session)
      Issue.record("the injected crash should stop the stage")
    } catch is Crash {}
    // The process "died" while expanding: the state says so, and expand-01 is recorded.
    #expect(try Support.state(url) == [["expanding", nil]])
    runner.afterStep = { _ in }
    var session = try PostgresConnection(connectingTo: url)
    let report = try runner.run(.expand, session: &session)
    #expect(report.stepsAlreadyDone == ["expand-01"])
    #expect(report.stepsRun == ["expand-02"])
    #expect(try Support.state(url) == [["expanded", nil]])
    // Backups were disabled explicitly: the ledger says so.
    #expect(try Support.rows(url, "SELECT backups_disabled FROM safeshift.migrations") == [["t"]])
    #expect(try Support.rows(url, "SELECT DISTINCT kind FROM safeshift.backups") == [["disabled"]])
  }

  @Test func aSecondDeployIsRefusedWhileTheFirstHoldsTheLock() throws {
    let url = try Support.seededDatabase("deploy_concurrent")
    let work = try DeployTestSupport.temporaryDirectory("concurrent")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    var holder = try PostgresConnection(connectingTo: url)
    _ = try holder.query(
      "SELECT pg_advisory_lock($1::int4, $2::int4)",
      [String(LedgerSchema.lockClass), String(LedgerSchema.deployLockObject)]
    )
    let refused = Support.deploy(
      "expand",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(refused.code == 2)
    #expect(refused.error.contains("another safeshift deploy is running"))
    _ = try holder.query("SELECT pg_advisory_unlock_all()", [])

    // A second migration while the first is active is refused by the ledger.
    let first = Support.deploy(
      "expand",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(first.code == 0, "\(first.error)")
    let other = Support.deploy(
      "expand",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup", "--migration-id", "another-release"]
    )
    #expect(other.code == 2)
    #expect(other.error.contains("is still active"))
    // The unique index enforces it even without the lock.
    do {
      _ = try Support.rows(
        url,
        "INSERT INTO safeshift.migrations (id, plan_checksum, state, dialect) VALUES ('x', 'y', 'planned', 'postgres')"
      )
      Issue.record("a second active migration must violate migrations_one_active")
    } catch let error as DriverError {
      #expect(error.sqlstate == "23505")
    }
  }

  @Test func aChangedPlanIsRefusedForAStartedMigration() throws {
    let url = try Support.seededDatabase("deploy_changed")
    let work = try DeployTestSupport.temporaryDirectory("changed")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    let expand = Support.deploy(
      "expand",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(expand.code == 0)
    let path = work + "/plan/plan.json"
    let original = try String(contentsOfFile: path, encoding: .utf8)
    try original.replacingOccurrences(
      of: "\"lockTimeout\": \"5s\"",
      with: "\"lockTimeout\": \"9s\""
    )
    .write(toFile: path, atomically: true, encoding: .utf8)
    let migrate = Support.deploy(
      "migrate",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(migrate.code == 2)
    #expect(migrate.error.contains("changed since it started"))
    #expect(try Support.state(url) == [["expanded", nil]])
    try original.write(toFile: path, atomically: true, encoding: .utf8)
    let again = Support.deploy(
      "migrate",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(again.code == 0, "\(again.error)")
  }

  @Test func aFailedConcurrentIndexBuildIsCleanedUpOnTheRerun() throws {
    let url = try Support.seededDatabase("deploy_concurrently")
    let work = try DeployTestSupport.temporaryDirectory("concurrently")
    let migration = work + "/0100_users_email_lower.sql"
    try "CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));\n"
      .write(toFile: migration, atomically: true, encoding: .utf8)
    let plan = DeployTestSupport.run(
      [
        "plan", "--schema",
        DeployTestSupport.root + "/migrations-examples/postgres/0001_create_initial_schema.sql",
        migration, "--out", work + "/plan",
      ]
    )
    #expect(plan.code == 0, "\(plan.error)")
    let loaded = try DeployPlan.load(directory: work + "/plan")
    #expect(loaded.plan.steps.contains { !$0.isInTransaction && !$0.cleanup.isEmpty })
    // Two emails equal but for case: the unique build fails and leaves an INVALID index.
    _ = try Support.rows(
      url,
      "INSERT INTO users (account_id, email) VALUES (1, 'Dup@example.com'), (1, 'dup@example.com')"
    )
    let failed = Support.deploy(
      "expand",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(failed.code == 2)
    #expect(failed.error.contains("23505"))
    #expect(
      try Support.rows(
        url,
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_lower_key'::regclass"
      )
        == [["f"]]
    )
    #expect(try Support.state(url) == [["failed", "expand"]])
    _ = try Support.rows(url, "DELETE FROM users WHERE email = 'Dup@example.com'")
    let rerun = Support.deploy(
      "expand",
      plan: work + "/plan",
      url: url,
      backups: work + "/b",
      extra: ["--no-backup"]
    )
    #expect(rerun.code == 0, "\(rerun.error)")
    #expect(
      try Support.rows(
        url,
        "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_lower_key'::regclass"
      )
        == [["t"]]
    )
    #expect(try Support.state(url) == [["expanded", nil]])
  }

  /// Owns the session holding the conflicting lock, so the sleeper can release it.
  final class LockHolder {
    var connection: PostgresConnection
    init(_ connection: consuming PostgresConnection) { self.connection = connection }
  }

  /// Releases the lock at the second wait: two attempts time out, the third succeeds.
  final class ReleasingSleeper: DeploySleeper {
    let holder: LockHolder
    var waits: [Int] = []
    init(_ holder: LockHolder) { self.holder = holder }
    func sleep(milliseconds: Int) {
      waits.append(milliseconds)
      if waits.count == 2 { try? holder.connection.execute("COMMIT") }
    }
  }

  @Test func aLockTimeoutIsRetriedWithBackoffUntilTheLockIsFree() throws {
    let url = try Support.seededDatabase("deploy_locked")
    let work = try DeployTestSupport.temporaryDirectory("locked")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    let path = work + "/plan/plan.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "\"lockTimeout\": \"5s\"", with: "\"lockTimeout\": \"50ms\"")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let plan = try DeployPlan.load(directory: work + "/plan")
    let holder = LockHolder(try PostgresConnection(connectingTo: url))
    try holder.connection.execute("BEGIN")
    try holder.connection.execute("LOCK TABLE users IN ACCESS SHARE MODE")
    let sleeper = ReleasingSleeper(holder)
    var runner = StageRunner(
      plan: plan,
      options: StageOptions(backups: nil, connectionString: url),
      backfill: NoBackfill(),
      sleeper: sleeper,
      log: { _ in }
    )
    var session = try PostgresConnection(connectingTo: url)
    let report = try runner.run(.expand, session: &session)
    #expect(report.stepsRun == ["expand-01", "expand-02"])
    #expect(sleeper.waits.count == 2)
    #expect(sleeper.waits[0] >= 500 && sleeper.waits[0] <= 1000)
    #expect(
      try Support.rows(url, "SELECT attempts FROM safeshift.phase_runs WHERE step_id = 'expand-01'")
        == [["3"]]
    )
  }

  @Test func rollbackUndoesExpandAndMigrateAndRefusesAfterContract() throws {
    let url = try Support.seededDatabase("deploy_rollback")
    let work = try DeployTestSupport.temporaryDirectory("rollback")
    let plan = work + "/plan"
    try DeployTestSupport.planStory(dialect: "postgres", out: plan)
    let noBackup = ["--no-backup"]
    #expect(
      Support.deploy("expand", plan: plan, url: url, backups: work, extra: noBackup).code == 0
    )
    #expect(
      Support.deploy("migrate", plan: plan, url: url, backups: work, extra: noBackup).code == 0
    )
    let rollback = Support.deploy("rollback", plan: plan, url: url, backups: work, extra: [])
    #expect(rollback.code == 0, "\(rollback.error)")
    #expect(try Support.state(url) == [["rolled_back", nil]])
    #expect(
      try Support.rows(
        url,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'full_name'"
      )
        == [["0"]]
    )
    #expect(
      try Support.rows(
        url,
        "SELECT count(*) FROM pg_proc WHERE proname = 'users_full_name_safeshift_sync'"
      ) == [["0"]]
    )
    try Support.oldVersionWorks(url, email: "after-rollback@example.com")
    // Again: nothing left to do.
    #expect(
      Support.deploy("rollback", plan: plan, url: url, backups: work).output.contains(
        "already rolled back"
      )
    )

    // Deploying again starts attempt 2 and goes all the way.
    for stage in ["expand", "migrate", "contract"] {
      let result = Support.deploy(stage, plan: plan, url: url, backups: work, extra: noBackup)
      #expect(result.code == 0, "\(stage): \(result.error)")
    }
    #expect(
      try Support.rows(url, "SELECT state, attempt FROM safeshift.migrations") == [["done", "2"]]
    )
    let refused = Support.deploy("rollback", plan: plan, url: url, backups: work)
    #expect(refused.code == 2)
    #expect(refused.error.contains("point") || refused.error.contains("contract has run"))
    let forced = Support.deploy("rollback", plan: plan, url: url, backups: work, extra: ["--force"])
    #expect(forced.code == 0)
    #expect(forced.output.contains("NOT changed"))
    #expect(try Support.state(url) == [["rolled_back", nil]])
  }
}
