import Foundation
import ShiftCLI
import ShiftDatabase
import ShiftDeploy
import ShiftPostgres
import Testing

/// The full_name story on a real PostgreSQL: plan → deploy expand → migrate → contract with
/// the old and new application's queries at each stage, backups restored and compared,
/// and the failures a deploy must survive.
@Suite(.enabled(if: DeployTestSupport.hasPostgres), .serialized, .timeLimit(.minutes(3)))
struct PostgresDeployTests {
  /// A database with the examples' initial schema and a few users.
  static func seededDatabase(_ name: String) throws -> String {
    let url = try DeployTestSupport.createDatabase(name)
    var connection = try PostgresConnection(connectingTo: url)
    try connection.execute(
      try DeployTestSupport.text("migrations-examples/postgres/0001_create_initial_schema.sql")
    )
    try connection.execute("INSERT INTO accounts (name) VALUES ('acme')")
    for index in 1...25 {
      _ = try connection.query(
        "INSERT INTO users (account_id, email, first_name, last_name) VALUES (1, $1, $2, $3)",
        ["u\(index)@example.com", "First\(index)", "Last\(index)"]
      )
    }
    return url
  }

  static func deploy(
    _ stage: String,
    plan: String,
    url: String,
    backups: String,
    extra: [String] = []
  )
    -> (code: Int32, output: String, error: String)
  {
    var arguments = [
      "deploy", stage, "--plan", plan, "--database-url", url, "--backup-dir", backups,
    ]
    if let bin = DeployTestSupport.binDirectory { arguments += ["--pg-bin-dir", bin] }
    return DeployTestSupport.run(arguments + extra)
  }

  static func rows(_ url: String, _ sql: String, _ parameters: [String?] = []) throws -> [[String?]]
  {
    var connection = try PostgresConnection(connectingTo: url)
    return try connection.query(sql, parameters)
  }

  static func state(_ url: String) throws -> [[String?]] {
    try rows(url, "SELECT state, failed_phase FROM safeshift.migrations")
  }

  /// The old version's queries: it writes and reads first_name/last_name.
  static func oldVersionWorks(_ url: String, email: String) throws {
    _ = try rows(
      url,
      "INSERT INTO users (account_id, email, first_name, last_name) VALUES (1, $1, 'Old', 'Writer')",
      [email]
    )
    let read = try rows(url, "SELECT first_name, last_name FROM users WHERE email = $1", [email])
    #expect(read == [["Old", "Writer"]])
  }

  @Test func fullNameStoryGoesThroughEveryStageWithBackups() throws {
    let url = try Self.seededDatabase("deploy_story")
    let work = try DeployTestSupport.temporaryDirectory("story")
    let plan = work + "/plan"
    let backups = work + "/backups"
    try DeployTestSupport.planStory(dialect: "postgres", out: plan)
    let before = try Self.rows(
      url,
      "SELECT id, email, first_name, last_name FROM users ORDER BY id"
    )

    // expand
    let expand = Self.deploy("expand", plan: plan, url: url, backups: backups)
    #expect(expand.code == 0, "\(expand.error)")
    #expect(try Self.state(url) == [["expanded", nil]])
    try Self.oldVersionWorks(url, email: "old1@example.com")
    // The sync trigger fills full_name for the old version's writes.
    #expect(
      try Self.rows(url, "SELECT full_name FROM users WHERE email = 'old1@example.com'") == [
        ["Old Writer"]
      ]
    )

    // migrate (the backfill)
    let migrate = Self.deploy("migrate", plan: plan, url: url, backups: backups)
    #expect(migrate.code == 0, "\(migrate.error)")
    #expect(try Self.state(url) == [["migrated", nil]])
    #expect(
      try Self.rows(
        url,
        "SELECT count(*) FROM users WHERE full_name IS DISTINCT FROM first_name || ' ' || last_name"
      ) == [["0"]]
    )
    try Self.oldVersionWorks(url, email: "old2@example.com")
    // The new version reads full_name and (while the old one runs) still writes the parts.
    _ = try Self.rows(
      url,
      "INSERT INTO users (account_id, email, first_name, last_name, full_name) VALUES (1, 'new1@example.com', 'New', 'Writer', 'New Writer')"
    )
    #expect(try Self.rows(url, "SELECT full_name FROM users WHERE id = 1") == [["First1 Last1"]])

    // contract
    let contract = Self.deploy("contract", plan: plan, url: url, backups: backups)
    #expect(contract.code == 0, "\(contract.error)")
    #expect(try Self.state(url) == [["done", nil]])
    #expect(
      try Self.rows(url, "SELECT full_name FROM users WHERE email = 'new1@example.com'") == [
        ["New Writer"]
      ]
    )
    _ = try Self.rows(
      url,
      "INSERT INTO users (account_id, email, full_name) VALUES (1, 'new2@example.com', 'N W')"
    )
    do {
      _ = try Self.rows(url, "SELECT first_name FROM users")
      Issue.record("the old version's column should be gone")
    } catch let error as DriverError {
      #expect(error.sqlstate == "42703")
    }

    // Every stage again: nothing to do.
    for stage in ["expand", "migrate", "contract"] {
      let again = Self.deploy(stage, plan: plan, url: url, backups: backups)
      #expect(again.code == 0)
      #expect(again.output.contains("already done"))
    }

    // The ledger: every step once, backups verified with size and checksum.
    let steps = try Self.rows(
      url,
      "SELECT step_id, status FROM safeshift.phase_runs ORDER BY id"
    )
    #expect(
      steps.map { $0[0] ?? "" } == [
        "expand-01", "expand-02", "migrate-01", "contract-01", "contract-02", "contract-03",
      ]
    )
    let recorded = try Self.rows(
      url,
      "SELECT phase, kind, object, path, size_bytes, sha256, verified FROM safeshift.backups ORDER BY id"
    )
    #expect(
      recorded.map { [$0[0], $0[1], $0[2]] } == [
        ["expand", "pg_dump", nil], ["contract", "pg_dump", nil],
        ["contract", "pg_dump_table", "public.users"],
      ]
    )
    for backup in recorded {
      let path = try #require(backup[3])
      let (size, digest) = try BackupTaker.digest(path: path)
      #expect(String(size) == backup[4])
      #expect(digest == backup[5])
      #expect(backup[6] == "t")
    }

    // The backup taken before expand restores into a fresh database with the same data.
    let restoredURL = try DeployTestSupport.createDatabase("deploy_story_restored")
    let list = DeployTestSupport.run(["backup", "list", "--database-url", url])
    #expect(list.code == 0)
    #expect(list.output.contains("before expand: pg_dump"))
    let firstID = try #require(
      try Self.rows(url, "SELECT min(id) FROM safeshift.backups").first?.first ?? nil
    )
    var restore = [
      "backup", "restore", firstID, "--database-url", url, "--target-url", restoredURL,
    ]
    if let bin = DeployTestSupport.binDirectory { restore += ["--pg-bin-dir", bin] }
    let restored = DeployTestSupport.run(restore)
    #expect(restored.code == 0, "\(restored.error)")
    #expect(
      try Self.rows(restoredURL, "SELECT id, email, first_name, last_name FROM users ORDER BY id")
        == before
    )

    // The data dump taken before contract holds the dropped columns of every row.
    let dumpURL = try DeployTestSupport.createDatabase("deploy_story_columns")
    let tableID = try #require(
      try Self.rows(url, "SELECT id FROM safeshift.backups WHERE kind = 'pg_dump_table'").first?
        .first ?? nil
    )
    var restoreTable = [
      "backup", "restore", tableID, "--database-url", url, "--target-url", dumpURL,
    ]
    if let bin = DeployTestSupport.binDirectory { restoreTable += ["--pg-bin-dir", bin] }
    let tableRestore = DeployTestSupport.run(restoreTable)
    #expect(tableRestore.code == 0, "\(tableRestore.error)")
    #expect(
      try Self.rows(
        dumpURL,
        "SELECT count(*) FROM users WHERE first_name IS NOT NULL AND last_name IS NOT NULL"
      )
        == [["28"]]
    )

    // status, as JSON.
    let status = DeployTestSupport.run(["status", "--database-url", url, "--format", "json"])
    #expect(status.code == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
    )
    #expect(document["version"] as? Int == 1)
    let migrations = try #require(document["migrations"] as? [[String: Any]])
    #expect(migrations.first?["state"] as? String == "done")
    #expect(!status.output.contains("password"))
  }
}
