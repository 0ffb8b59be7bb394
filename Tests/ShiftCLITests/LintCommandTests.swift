import Foundation
import ShiftCLI
import ShiftTestSupport
import Testing

/// Runs `safeshift` in-process and returns (exit code, stdout, stderr).
func runSafeShift(_ arguments: [String]) -> (code: Int32, output: String, error: String) {
  let console = Console.capturing()
  let code = SafeShiftCommand.execute(arguments, console: console)
  return (code, console.output, console.errorOutput)
}

/// A scratch directory removed when the value is dropped.
final class ScratchDirectory {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "safeshift-cli-\(UUID().uuidString)"
    )
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(),
      withIntermediateDirectories: true
    )
    try Data(text.utf8).write(to: file)
    return file.path
  }

  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> String {
    let file = url.appendingPathComponent(name)
    try Data(bytes).write(to: file)
    return file.path
  }
}

@Suite
struct LintCommandTests {
  @Test("the PostgreSQL examples: findings exactly on the hazardous files, none on the safe ones")
  func postgresExamples() throws {
    let path = Fixtures.root.appendingPathComponent("migrations-examples/postgres").path
    let result = runSafeShift(["lint", "--format", "json", path])
    #expect(result.code == 1, "\(result.error)")
    #expect(result.error.isEmpty)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    )
    var rulesByFile: [String: Set<String>] = [:]
    for file in document["files"] as? [[String: Any]] ?? [] {
      let name = (file["path"] as? String ?? "").split(separator: "/").last.map(String.init) ?? ""
      for statement in file["statements"] as? [[String: Any]] ?? [] {
        for finding in statement["findings"] as? [[String: Any]] ?? [] {
          rulesByFile[name, default: []].insert(finding["rule"] as? String ?? "")
        }
      }
    }
    let expected: [(String, String)] = [
      ("0003_backfill_users_full_name.sql", "unbatched-backfill"),
      ("0004_drop_users_first_last_name.sql", "ban-drop-column"),
      ("0005_rename_orders_amount.sql", "renaming-column"),
      ("0006_index_orders_status_created_at.sql", "require-concurrent-index"),
      ("0007_orders_currency_not_null.sql", "set-not-null-scan"),
      ("0008_orders_user_id_foreign_key.sql", "constraint-missing-not-valid"),
    ]
    for (file, rule) in expected {
      #expect(rulesByFile[file]?.contains(rule) == true, "\(file) should report \(rule)")
    }
    // Quiet on the safe ones: new tables, lock_timeout set, CONCURRENTLY outside a
    // transaction, NOT VALID then VALIDATE, the CHECK-then-SET-NOT-NULL recipe.
    let safeFiles = [
      "0001_create_initial_schema.sql", "0011_safe_project_archival.sql",
      "0012_safe_index_orders_project_id_concurrently.sql",
      "0013_safe_validate_orders_project_fk.sql", "0014_safe_users_full_name_check_not_valid.sql",
      "0015_safe_users_full_name_set_not_null.sql",
    ]
    for safe in safeFiles {
      #expect(rulesByFile[safe] == nil, "\(safe): \(rulesByFile[safe] ?? [])")
    }
  }

  @Test("the SQLite examples: the hazards are reported, the rebuild and safe files are not")
  func sqliteExamples() {
    let path = Fixtures.root.appendingPathComponent("migrations-examples/sqlite").path
    let result = runSafeShift(["lint", "--color", "never", path])
    #expect(result.code == 1, "\(result.error)")
    #expect(result.error.isEmpty)
    #expect(result.output.contains("9 files, 31 statements"))
    #expect(result.output.contains("0005_rename_orders_amount.sql:3:20: error[renaming-column]"))
    #expect(
      result.output.contains("0004_drop_users_first_last_name.sql:3:19: warning[ban-drop-column]")
    )
    #expect(!result.output.contains("0007_rebuild_orders_currency_not_null_user_fk.sql:"))
    #expect(!result.output.contains("0009_safe_project_archival.sql:"))
  }

  @Test("a missing or invalid configuration file exits 2 naming the place")
  func badConfiguration() throws {
    let scratch = try ScratchDirectory()
    let migration = try scratch.write("0001.sql", "SELECT 1;\n")
    let missing = runSafeShift(["lint", "--config", scratch.url.path + "/nope.yml", migration])
    #expect(missing.code == 2)
    #expect(missing.error.contains("nope.yml: error: no such file or directory"))
    let config = try scratch.write("bad.yml", "failOn: error\nrules:\n  no-such-rule: off\n")
    let invalid = runSafeShift(["lint", "--config", config, migration])
    #expect(invalid.code == 2)
    #expect(invalid.error.contains("\(config):3:3: error: unknown rule 'no-such-rule'"))
    let valid = try scratch.write("ok.yml", "rules:\n  unbatched-backfill: off\n")
    let backfill = try scratch.write("0002.sql", "UPDATE users SET name = email;\n")
    #expect(runSafeShift(["lint", backfill]).code == 1)
    #expect(runSafeShift(["lint", "--config", valid, backfill]).code == 0)
  }

  static let invalidFiles = Fixtures.files(in: "fixtures/invalid")

  @Test("each invalid fixture exits 2 naming file, line and column", arguments: invalidFiles)
  func invalidFixturesFail(file: URL) throws {
    let header = String(decoding: try Fixtures.bytes(file).prefix { $0 != 0x0A }, as: UTF8.self)
    let expected = try #require(header.split(separator: " ").last.map(String.init))
    let result = runSafeShift(["lint", "--dialect", "postgres", file.path])
    #expect(result.code == 2)
    #expect(result.error.contains("\(file.path):\(expected): error:"), "\(result.error)")
    // The source line and a caret follow the message.
    let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false)
    let caretLine = try #require(lines.first { $0.trimmingCharacters(in: .whitespaces) == "^" })
    #expect(!caretLine.isEmpty)
  }

  @Test("a path that does not exist exits 2 and names it")
  func missingPath() {
    let result = runSafeShift(["lint", "no/such/migration.sql"])
    #expect(result.code == 2)
    #expect(result.error.contains("no/such/migration.sql: no such file or directory"))
  }

  @Test("a directory without SQL files exits 2")
  func emptyDirectory() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("README.md", "nothing here")
    let result = runSafeShift(["lint", scratch.url.path])
    #expect(result.code == 2)
    #expect(result.error.contains("directory contains no .sql migration files"))
  }

  @Test("empty and comment-only files are normal: zero statements, exit 0")
  func emptyFiles() throws {
    let scratch = try ScratchDirectory()
    let empty = try scratch.write("0001_empty.sql", "")
    let comments = try scratch.write("0002_comments.sql", "-- placeholder\n/* nothing */\n")
    let result = runSafeShift(["lint", empty, comments])
    #expect(result.code == 0)
    #expect(result.output.contains("2 files, 0 statements: no findings"))
  }

  @Test("a directory is linted in lexical order with rollback scripts left out")
  func directoryOrder() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("0002_b.sql", "CREATE TABLE b (id int);")
    try scratch.write("0001_a.sql", "CREATE TABLE a (id int);")
    try scratch.write("0001_a.down.sql", "DROP TABLE a;")
    try scratch.write("0003_c/up.sql", "CREATE TABLE c (id int);")
    try scratch.write("0003_c/down.sql", "DROP TABLE c;")
    let result = runSafeShift(["lint", "--format", "json", scratch.url.path])
    #expect(result.code == 0)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    )
    let files = try #require(document["files"] as? [[String: Any]])
    let names = files.compactMap {
      ($0["path"] as? String)?.replacingOccurrences(of: scratch.url.path + "/", with: "")
    }
    #expect(names == ["0001_a.sql", "0002_b.sql", "0003_c/up.sql"])
  }

  @Test("JSON output follows the version 1 contract")
  func jsonShape() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "0001.sql",
      "BEGIN;\nALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();\nCOMMIT;\n"
    )
    let result = runSafeShift(["lint", "--format", "json", "--dialect", "postgres", path])
    #expect(result.code == 1, "a volatile default on an existing table is an error")
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    )
    #expect(document["version"] as? Int == 1)
    let file = try #require((document["files"] as? [[String: Any]])?.first)
    #expect(file["dialect"] as? String == "postgres")
    let statements = try #require(file["statements"] as? [[String: Any]])
    #expect(statements.count == 3)
    let alter = statements[1]
    #expect(alter["line"] as? Int == 2)
    #expect(alter["column"] as? Int == 1)
    #expect(alter["endLine"] as? Int == 2)
    // endColumn is exclusive (the column after the last character), as in SARIF.
    #expect(alter["endColumn"] as? Int == 66)
    #expect(alter["kind"] as? String == "alter_table")
    #expect(
      alter["sql"] as? String == "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()"
    )
    #expect(alter["tables"] as? [String] == ["users"])
    #expect(alter["inTransactionBlock"] as? Bool == true)
    #expect(alter["rewritesTable"] as? Bool == true)
    #expect(alter["scansTable"] as? Bool == true)
    #expect(alter["compatibility"] as? String == "compatible")
    #expect(alter["phase"] as? String == "expand")
    let locks = try #require(alter["locks"] as? [[String: Any]])
    #expect(locks.first?["relation"] as? String == "users")
    #expect(locks.first?["mode"] as? String == "ACCESS EXCLUSIVE")
    let findings = try #require(alter["findings"] as? [[String: Any]])
    #expect(findings.contains { $0["rule"] as? String == "adding-volatile-default" })
    let summary = try #require(document["summary"] as? [String: Any])
    #expect(summary["files"] as? Int == 1)
    #expect(summary["statements"] as? Int == 3)
  }

  @Test("syntax errors appear in JSON too and the rest of the file is reported")
  func jsonErrors() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "bad.sql",
      "ALTER TABLE users ADD COLUMN ;\nCREATE TABLE t (id int);\n"
    )
    let result = runSafeShift(["lint", "--format", "json", path])
    #expect(result.code == 2)
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    )
    let file = try #require((document["files"] as? [[String: Any]])?.first)
    let errors = try #require(file["errors"] as? [[String: Any]])
    #expect(errors.count == 1)
    #expect(errors.first?["line"] as? Int == 1)
    #expect(errors.first?["column"] as? Int == 30)
    let statements = try #require(file["statements"] as? [[String: Any]])
    #expect(statements.last?["kind"] as? String == "create_table")
  }

  @Test("the dialect is guessed from SQLite-only syntax")
  func dialectGuess() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "0001.sql",
      "PRAGMA foreign_keys = ON;\nCREATE TABLE [t] (id INTEGER PRIMARY KEY AUTOINCREMENT);\n"
    )
    let result = runSafeShift(["lint", "--format", "json", path])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.contains("\"dialect\": \"sqlite\""))
  }

  @Test(
    "usage errors exit 64",
    arguments: [["lint"], ["lint", "--format", "yaml", "x.sql"], ["frobnicate"]]
  )
  func usageErrors(arguments: [String]) {
    #expect(runSafeShift(arguments).code == 64)
  }

  @Test("binary input is refused with a located error, not parsed")
  func binaryInput() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "blob.sql",
      bytes: [0x53, 0x45, 0x4C, 0x0A, 0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]
    )
    let result = runSafeShift(["lint", path])
    #expect(result.code == 2)
    #expect(result.error.contains("\(path):2:5: error: NUL byte"))
  }

  @Test("a UTF-8 byte order mark is skipped and not counted in columns")
  func byteOrderMark() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "bom.sql",
      bytes: [0xEF, 0xBB, 0xBF] + Array("CREATE TABLE t (a int);\nDROP TABLE t;\n".utf8)
    )
    let result = runSafeShift(["lint", "--format", "json", path])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.contains("{\"line\": 1, \"column\": 1,"))
    #expect(result.output.contains("\"kind\": \"create_table\""))
    #expect(result.output.contains("\"kind\": \"drop_table\""))
  }
}
