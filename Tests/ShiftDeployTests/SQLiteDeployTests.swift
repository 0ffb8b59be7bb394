import Foundation
import ShiftDatabase
import ShiftDeploy
import ShiftSQLite
import Testing

/// The full_name story on a SQLite file: expand, migrate, contract with the old and new
/// application's queries, `VACUUM INTO` backups checked and restored, rollback.
@Suite(.serialized) struct SQLiteDeployTests {
  static func seededFile(_ name: String) throws -> (work: String, path: String) {
    let work = try DeployTestSupport.temporaryDirectory(name)
    let path = work + "/app.db"
    var connection = try SQLiteConnection(path: path)
    try connection.execute(
      try DeployTestSupport.text("migrations-examples/sqlite/0001_create_initial_schema.sql")
    )
    try connection.execute("INSERT INTO accounts (id, name) VALUES (1, 'acme')")
    for index in 1...30 {
      _ = try connection.query(
        "INSERT INTO users (account_id, email, first_name, last_name) VALUES (1, ?1, ?2, ?3)",
        ["u\(index)@example.com", "First\(index)", "Last\(index)"]
      )
    }
    return (work, path)
  }

  static func rows(_ path: String, _ sql: String, _ parameters: [String?] = []) throws
    -> [[String?]]
  {
    var connection = try SQLiteConnection(path: path)
    return try connection.query(sql, parameters)
  }

  static func deploy(_ stage: String, work: String, path: String, extra: [String] = [])
    -> (code: Int32, output: String, error: String)
  {
    DeployTestSupport.run(
      [
        "deploy", stage, "--plan", work + "/plan", "--database-url", "sqlite:" + path,
        "--backup-dir", work + "/backups",
      ]
        + extra
    )
  }

  @Test func fullNameStoryOnSQLiteWithVerifiedBackups() throws {
    let (work, path) = try Self.seededFile("sqlite-story")
    try DeployTestSupport.planStory(dialect: "sqlite", out: work + "/plan")
    let before = try Self.rows(
      path,
      "SELECT id, email, first_name, last_name FROM users ORDER BY id"
    )

    let expand = Self.deploy("expand", work: work, path: path)
    #expect(expand.code == 0, "\(expand.error)")
    _ = try Self.rows(
      path,
      "INSERT INTO users (account_id, email, first_name, last_name) VALUES (1, 'old@x', 'Old', 'Writer')"
    )
    #expect(try Self.rows(path, "SELECT state FROM safeshift_migrations") == [["expanded"]])

    let migrate = Self.deploy("migrate", work: work, path: path)
    #expect(migrate.code == 0, "\(migrate.error)")
    #expect(
      try Self.rows(
        path,
        "SELECT count(*) FROM users WHERE full_name IS NOT first_name || ' ' || last_name"
      )
        == [["0"]]
    )
    let contract = Self.deploy("contract", work: work, path: path)
    #expect(contract.code == 0, "\(contract.error)")
    #expect(try Self.rows(path, "SELECT state FROM safeshift_migrations") == [["done"]])
    #expect(try Self.rows(path, "SELECT full_name FROM users WHERE id = 2") == [["First2 Last2"]])
    #expect(try Self.rows(path, "PRAGMA integrity_check") == [["ok"]])
    for stage in ["expand", "migrate", "contract"] {
      #expect(Self.deploy(stage, work: work, path: path).output.contains("already done"))
    }

    let backups = try Self.rows(
      path,
      "SELECT id, phase, kind, path, size_bytes, sha256, verified FROM safeshift_backups ORDER BY id"
    )
    #expect(backups.map { [$0[1], $0[2]] } == [["expand", "sqlite"], ["contract", "sqlite"]])
    for backup in backups {
      let file = try #require(backup[3])
      let (size, digest) = try BackupTaker.digest(path: file)
      #expect(String(size) == backup[4])
      #expect(digest == backup[5])
      #expect(backup[6] == "1")
    }
    // The backup before expand restores to a file with the original rows.
    let restoredPath = work + "/restored.db"
    let firstID = try #require(backups[0][0])
    let secondID = try #require(backups[1][0])
    let restore = DeployTestSupport.run(
      [
        "backup", "restore", firstID, "--database-url", "sqlite:" + path, "--target-url",
        "sqlite:" + restoredPath,
      ]
    )
    #expect(restore.code == 0, "\(restore.error)")
    #expect(
      try Self.rows(restoredPath, "SELECT id, email, first_name, last_name FROM users ORDER BY id")
        == before
    )
    // A tampered backup is refused.
    let tamperedPath = try #require(backups[1][3])
    let handle = try #require(FileHandle(forWritingAtPath: tamperedPath))
    handle.seekToEndOfFile()
    handle.write(Data([0]))
    try handle.close()
    let tampered = DeployTestSupport.run(
      [
        "backup", "restore", secondID, "--database-url", "sqlite:" + path, "--target-url",
        "sqlite:" + work + "/t.db",
      ]
    )
    #expect(tampered.code == 2)
    #expect(tampered.error.contains("does not match its recorded SHA-256"))

    let status = DeployTestSupport.run([
      "status", "--database-url", "sqlite:" + path, "--format", "json",
    ])
    #expect(status.code == 0)
    #expect(status.output.contains("\"state\" : \"done\""))
  }

  @Test func rollbackOnSQLiteDropsTheNewColumn() throws {
    let (work, path) = try Self.seededFile("sqlite-rollback")
    try DeployTestSupport.planStory(dialect: "sqlite", out: work + "/plan")
    #expect(Self.deploy("expand", work: work, path: path, extra: ["--no-backup"]).code == 0)
    #expect(Self.deploy("migrate", work: work, path: path, extra: ["--no-backup"]).code == 0)
    let status = DeployTestSupport.run([
      "status", "--database-url", "sqlite:" + path, "--plan", work + "/plan",
    ])
    #expect(status.code == 0)
    #expect(status.output.contains(": migrated"))
    #expect(status.output.contains("pending: contract-01, contract-02"))
    #expect(status.output.contains("BACKUPS DISABLED"))
    #expect(
      status.output.contains(
        "next: safeshift deploy contract, once no instance of the old version is left"
      )
    )
    let rollback = Self.deploy("rollback", work: work, path: path)
    #expect(rollback.code == 0, "\(rollback.error)")
    #expect(
      try Self.rows(
        path,
        "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'full_name'"
      ) == [["0"]]
    )
    #expect(try Self.rows(path, "SELECT state FROM safeshift_migrations") == [["rolled_back"]])
  }
}
