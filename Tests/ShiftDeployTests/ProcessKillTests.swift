import Foundation
import ShiftPostgres
import Testing

/// The `safeshift` binary killed with SIGKILL in every stage, while a statement waits on a
/// lock another session holds: the ledger stays consistent and a rerun finishes the stage.
@Suite(.enabled(if: DeployTestSupport.hasPostgres), .serialized, .timeLimit(.minutes(3)))
struct ProcessKillTests {
  /// The built `safeshift` executable, next to the test bundle.
  static var binary: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("safeshift").path
  }

  @Test func aDeployKilledInEachStageResumesWithNothingLost() throws {
    let url = try PostgresDeployTests.seededDatabase("deploy_killed")
    let work = try DeployTestSupport.temporaryDirectory("killed")
    try DeployTestSupport.planStory(dialect: "postgres", out: work + "/plan")
    let expected = [
      ("expand", "expanding", "expanded"), ("migrate", "migrating", "migrated"),
      ("contract", "contracting", "done"),
    ]
    for (stage, running, finished) in expected {
      // SHARE blocks both the ALTER TABLEs (ACCESS EXCLUSIVE) and the backfill's UPDATEs.
      var holder = try PostgresConnection(connectingTo: url)
      try holder.execute("BEGIN")
      try holder.execute("LOCK TABLE users IN SHARE MODE")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: Self.binary)
      process.arguments = [
        "deploy", stage, "--plan", work + "/plan", "--database-url", url, "--no-backup",
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Wait until its statement queues behind the lock, then kill it.
      var waited = 0
      while waited < 100 {
        let waiting = try PostgresDeployTests.rows(
          url,
          "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'users'::regclass"
        )
        if waiting == [["1"]] { break }
        Thread.sleep(forTimeInterval: 0.1)
        waited += 1
      }
      #expect(waited < 100, "\(stage): the deploy never waited on the lock")
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      #expect(try PostgresDeployTests.state(url) == [[running, nil]], "\(stage)")
      #expect(
        try PostgresDeployTests.rows(
          url,
          "SELECT count(*) FROM safeshift.phase_runs WHERE status = 'failed'"
        )
          == [["0"]]
      )
      try holder.execute("COMMIT")
      // The killed session's backend ends once its lock wait times out; until then the
      // deploy lock refuses a rerun.
      var rerun = PostgresDeployTests.deploy(
        stage,
        plan: work + "/plan",
        url: url,
        backups: work,
        extra: ["--no-backup"]
      )
      var tries = 0
      while rerun.code != 0, rerun.error.contains("another safeshift deploy is running"), tries < 40
      {
        Thread.sleep(forTimeInterval: 0.5)
        rerun = PostgresDeployTests.deploy(
          stage,
          plan: work + "/plan",
          url: url,
          backups: work,
          extra: ["--no-backup"]
        )
        tries += 1
      }
      #expect(rerun.code == 0, "\(stage): \(rerun.error)")
      #expect(try PostgresDeployTests.state(url) == [[finished, nil]], "\(stage)")
    }
    #expect(
      try PostgresDeployTests.rows(
        url,
        "SELECT count(*) FROM users WHERE full_name LIKE 'First% Last%'"
      ) == [["25"]]
    )
    #expect(
      try PostgresDeployTests.rows(
        url,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name IN ('first_name', 'last_name')"
      ) == [["0"]]
    )
  }
}
