import Foundation
import ShiftCLI
import ShiftSQLite
import ShiftTestSupport
import Testing

/// `safeshift trace` on SQLite: a copy of a real database file (or a new file built from
/// `--schema`), the write lock, scans of data statements, catalog changes, failures.
@Suite struct TraceSQLiteTests {
  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static func statements(_ document: [String: Any]) -> [[String: Any]] {
    (document["files"] as? [[String: Any]] ?? []).flatMap {
      $0["statements"] as? [[String: Any]] ?? []
    }
  }

  @Test("the bundled SQLite examples trace, and --compare agrees with the model")
  func bundledExamples() throws {
    let path = Fixtures.root.appendingPathComponent("migrations-examples/sqlite").path
    let result = runSafeShift(["trace", "--compare", "--format", "json", path])
    #expect(result.code == 0, "\(result.error)\n\(result.output)")
    let document = try Self.json(result.output)
    let trace = try #require(document["trace"] as? [String: Any])
    #expect(trace["disagreements"] as? Int == 0)
    #expect((trace["engine"] as? String)?.hasPrefix("SQLite 3.") == true)
    let backfill = try #require(
      Self.statements(document).first { ($0["sql"] as? String)?.hasPrefix("UPDATE users") == true }
    )
    // The first write of the file's transaction takes the database write lock.
    #expect(backfill["locks"] as? [[String: String]] == [["relation": "*", "mode": "EXCLUSIVE"]])
    #expect(backfill["scansTable"] as? Bool == true)
    let rename = try #require(
      Self.statements(document).first {
        ($0["sql"] as? String)?.hasPrefix("ALTER TABLE new_orders RENAME TO orders") == true
      }
    )
    let altered = try #require(rename["altered"] as? [[String: Any]])
    #expect(altered.first?["name"] as? String == "new_orders")
    #expect(altered.first?["newName"] as? String == "orders")
  }

  @Test("a copy of the database is traced and rolled back; the original file is untouched")
  func copyOfDatabase() throws {
    let scratch = try ScratchDirectory()
    let database = scratch.url.appendingPathComponent("app.db").path
    do {
      var connection = try SQLiteConnection(path: database)
      try connection.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, done INTEGER);"
          + "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 40) "
          + "INSERT INTO notes (body, done) SELECT 'n' || g, 0 FROM s;"
      )
    }
    let path = try scratch.write(
      "0001.sql",
      "UPDATE notes SET done = 1;\nALTER TABLE notes DROP COLUMN done;\n"
        + "CREATE INDEX notes_body_idx ON notes (body);\n"
    )
    let result = runSafeShift([
      "trace", "--format", "json", "--dialect", "sqlite", "--sqlite-database", database, path,
    ])
    #expect(result.code == 0, "\(result.error)")
    let document = try Self.json(result.output)
    let statements = Self.statements(document)
    #expect(statements.count == 3)
    let update = try #require(statements.first)
    let scans = try #require(update["scans"] as? [[String: Any]])
    // The generated rows are not added to a table that has rows: 40 rows read.
    #expect(scans.first?["rowsRead"] as? Int == 40)
    #expect(
      statements[1]["altered"] as? [[String: String]] == [["name": "notes", "kind": "table"]]
    )
    #expect(
      statements[2]["created"] as? [[String: String]] == [
        ["name": "notes_body_idx", "kind": "index"]
      ]
    )
    let trace = try #require(document["trace"] as? [String: Any])
    #expect(trace["completions"] as? [String] == ["rolled_back"])
    var original = try SQLiteConnection(path: database)
    let columns = try original.query("SELECT name FROM pragma_table_info('notes')", [])
    #expect(columns.compactMap { $0.first ?? nil } == ["id", "body", "done"])
    let done = try original.query("SELECT count(*) FROM notes WHERE done = 1", [])
    #expect(done.first?.first == "0")
  }

  @Test("a failing SQLite statement names its place and result code, and later ones do not run")
  func failingStatement() throws {
    let scratch = try ScratchDirectory()
    let schema = try scratch.write(
      "schema.sql",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n"
    )
    let path = try scratch.write(
      "0001.sql",
      "ALTER TABLE t ADD COLUMN w TEXT;\n ALTER TABLE missing ADD COLUMN x TEXT;\nDROP TABLE t;\n"
    )
    let result = runSafeShift([
      "trace", "--format", "json", "--dialect", "sqlite", "--schema", schema, path,
    ])
    #expect(result.code == 2)
    #expect(
      result.error.contains("0001.sql:2:2: error: no such table: missing (SQLITE_1)"),
      "\(result.error)"
    )
    let statements = Self.statements(try Self.json(result.output))
    #expect(statements.map { $0["execution"] as? String } == ["transaction", "failed", "not_run"])
  }

  @Test("PostgreSQL-only flags are refused for SQLite, and a missing database file is an error")
  func flagMistakes() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write("0001.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
    let wrong = runSafeShift([
      "trace", "--dialect", "sqlite", "--use-real-data", "--database-url", "postgres:///x", path,
    ])
    #expect(wrong.code == 64)
    let missing = runSafeShift([
      "trace", "--dialect", "sqlite", "--sqlite-database", scratch.url.path + "/none.db", path,
    ])
    #expect(missing.code == 2)
    #expect(missing.error.contains("no such database file"))
  }
}
