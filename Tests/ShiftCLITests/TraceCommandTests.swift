import Foundation
import ShiftCLI
import ShiftPostgres
import ShiftTestSupport
import Testing

/// `safeshift trace` on PostgreSQL: scratch databases on the test server, real locks,
/// rewrites and scans, the comparison with the effect model, failures and cleanup.
@Suite(
  .enabled(
    if: ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] != nil
      || ProcessInfo.processInfo.environment["CI"] == "true"
  ),
  .serialized
)
struct TraceCommandTests {
  static var url: String? { ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] }

  static func requireURL() throws -> String {
    try #require(Self.url, "SAFESHIFT_TEST_DATABASE_URL is not set; run Scripts/test.sh")
  }

  static let examples = Fixtures.root.appendingPathComponent("migrations-examples/postgres").path

  /// The scratch databases left on the server (there should be none after any trace).
  static func leftoverScratchDatabases(_ url: String) throws -> [String] {
    var connection = try PostgresConnection(connectingTo: url)
    return try connection.query(
      "SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE 'safeshift\\_trace\\_%'",
      []
    )
    .compactMap { $0.first ?? nil }
  }

  static func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
  }

  static func statements(_ document: [String: Any]) -> [(path: String, statement: [String: Any])] {
    let files = document["files"] as? [[String: Any]] ?? []
    return files.flatMap { file in
      (file["statements"] as? [[String: Any]] ?? []).map { (file["path"] as? String ?? "", $0) }
    }
  }

  static func statement(
    _ document: [String: Any],
    file suffix: String,
    line: Int
  ) throws -> [String: Any] {
    try #require(
      statements(document).first {
        $0.path.hasSuffix(suffix) && $0.statement["line"] as? Int == line
      }?.statement,
      "no statement at \(suffix):\(line)"
    )
  }

  static func locks(_ statement: [String: Any]) -> [String: String] {
    var locks: [String: String] = [:]
    for lock in statement["locks"] as? [[String: Any]] ?? [] {
      if let relation = lock["relation"] as? String, let mode = lock["mode"] as? String {
        locks[relation] = mode
      }
    }
    return locks
  }

  @Test(
    "tracing the bundled examples reports the locks, scans and executions the server showed",
    .timeLimit(.minutes(1))
  )
  func bundledExamples() throws {
    let url = try Self.requireURL()
    let result = runSafeShift(["trace", "--format", "json", "--scratch-url", url, Self.examples])
    #expect(result.code == 0, "\(result.error)")
    let document = try Self.json(result.output)
    // CREATE INDEX on the generated orders rows: SHARE on the table, one sequential scan.
    let index = try Self.statement(
      document,
      file: "0006_index_orders_status_created_at.sql",
      line: 4
    )
    #expect(Self.locks(index) == ["orders": "SHARE"])
    #expect(index["scansTable"] as? Bool == true)
    #expect(index["execution"] as? String == "transaction")
    let indexScans = try #require(index["scans"] as? [[String: Any]])
    #expect(indexScans.first?["rowsRead"] as? Int == 100)
    // A validated foreign key: SHARE ROW EXCLUSIVE on both tables, both read.
    let foreignKey = try Self.statement(
      document,
      file: "0008_orders_user_id_foreign_key.sql",
      line: 4
    )
    #expect(
      Self.locks(foreignKey) == ["orders": "SHARE ROW EXCLUSIVE", "users": "SHARE ROW EXCLUSIVE"]
    )
    #expect(foreignKey["scansTable"] as? Bool == true)
    // SET NOT NULL scans, holds ACCESS EXCLUSIVE, rewrites nothing.
    let notNull = try Self.statement(document, file: "0007_orders_currency_not_null.sql", line: 4)
    #expect(Self.locks(notNull) == ["orders": "ACCESS EXCLUSIVE"])
    #expect(notNull["rewritesTable"] as? Bool == false)
    #expect(notNull["scansTable"] as? Bool == true)
    // CREATE INDEX CONCURRENTLY runs outside the transaction; its locks are not observable.
    let concurrent = try Self.statement(
      document,
      file: "0012_safe_index_orders_project_id_concurrently.sql",
      line: 8
    )
    #expect(concurrent["execution"] as? String == "outside_transaction")
    #expect(concurrent["locksObserved"] as? Bool == false)
    // BEGIN/COMMIT are not sent: the trace owns the transaction.
    let begin = try Self.statement(document, file: "0010_users_updated_at_trigger.sql", line: 4)
    #expect(begin["execution"] as? String == "skipped")
    let trace = try #require(document["trace"] as? [String: Any])
    #expect(trace["failed"] as? Int == 0)
    #expect((trace["completions"] as? [String])?.last == "rolled_back")
    #expect(try Self.leftoverScratchDatabases(url).isEmpty)
  }

  @Test("--compare agrees with the effect model on the bundled examples", .timeLimit(.minutes(1)))
  func compareAgreesOnExamples() throws {
    let url = try Self.requireURL()
    let result = runSafeShift(["trace", "--compare", "--scratch-url", url, Self.examples])
    #expect(result.code == 0, "\(result.output)\n\(result.error)")
    #expect(result.output.contains("model and trace agree"), "\(result.output)")
    #expect(!result.output.contains("model disagrees"))
    // Known differences are explained, not counted.
    #expect(result.output.contains("explained: locks not observable"))
  }

  @Test(
    "a volatile default rewrites and scans the table; the JSON has lint's keys on lint's lines",
    .timeLimit(.minutes(1))
  )
  func volatileDefaultAndLintShape() throws {
    let url = try Self.requireURL()
    let scratch = try ScratchDirectory()
    let schema = try scratch.write(
      "schema.sql",
      "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
    )
    let path = try scratch.write(
      "0001.sql",
      "SET lock_timeout = '1s';\n"
        + "ALTER TABLE users ADD COLUMN token double precision DEFAULT random();\n"
        + "CREATE INDEX users_email_idx ON users (email);\n"
    )
    let traced = runSafeShift([
      "trace", "--format", "json", "--compare", "--rows", "50", "--scratch-url", url,
      "--schema", schema, path,
    ])
    #expect(traced.code == 0, "\(traced.error)\n\(traced.output)")
    let linted = runSafeShift(["lint", "--format", "json", "--schema", schema, path])
    let document = try Self.json(traced.output)
    let lintDocument = try Self.json(linted.output)
    let rewrite = try Self.statement(document, file: "0001.sql", line: 2)
    #expect(Self.locks(rewrite) == ["users": "ACCESS EXCLUSIVE"])
    #expect(rewrite["rewritesTable"] as? Bool == true)
    #expect(rewrite["scansTable"] as? Bool == true)
    let rewritten = (rewrite["rewritten"] as? [[String: Any]] ?? []).compactMap {
      $0["name"] as? String
    }
    #expect(rewritten.contains("users") && rewritten.contains("users_pkey"))
    // The rewrite rebuilt the indexes under SHARE, so the index build after it adds no mode
    // of its own: the comparison explains it instead of flagging it.
    let index = try Self.statement(document, file: "0001.sql", line: 3)
    #expect(Self.locks(index).isEmpty)
    #expect(
      (index["locksHeld"] as? [[String: Any]])?.first?["mode"] as? String == "ACCESS EXCLUSIVE"
    )
    #expect(index["differences"] as? [Any] != nil)
    #expect((index["differences"] as? [Any])?.isEmpty == true)
    #expect(
      (index["explained"] as? [String])?.contains {
        $0.hasPrefix("users SHARE was already held")
      } == true
    )
    // Every key of lint's document, file and statement objects is in the trace's, with the
    // same value for what the trace does not observe; and the shared lines are identical.
    #expect(Set(lintDocument.keys).isSubset(of: Set(document.keys)))
    let pairs = zip(Self.statements(lintDocument), Self.statements(document))
    #expect(Self.statements(lintDocument).count == Self.statements(document).count)
    for (lint, trace) in pairs {
      #expect(Set(lint.statement.keys).isSubset(of: Set(trace.statement.keys)))
      for key in [
        "line", "column", "endLine", "endColumn", "sql", "kind", "compatibility", "phase",
      ] {
        #expect("\(lint.statement[key] ?? "")" == "\(trace.statement[key] ?? "")", "\(key)")
      }
    }
    let lintLines = Set(linted.output.split(separator: "\n"))
    let sharedLines = traced.output.split(separator: "\n").filter { lintLines.contains($0) }
    #expect(sharedLines.contains { $0.contains("\"sql\": \"CREATE INDEX users_email_idx") })
    #expect(
      sharedLines.contains {
        $0.contains("\"locks\": [{\"relation\": \"users\", \"mode\": \"ACCESS EXCLUSIVE\"}]")
          && $0.contains("\"rewritesTable\": true")
      }
    )
  }

  @Test(
    "a failing statement names file:line:col and its SQLSTATE, exits 2 and drops the scratch database",
    .timeLimit(.minutes(1))
  )
  func failingStatement() throws {
    let url = try Self.requireURL()
    let scratch = try ScratchDirectory()
    let schema = try scratch.write("schema.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n")
    let path = try scratch.write(
      "0001.sql",
      "ALTER TABLE users ADD COLUMN a int;\n"
        + "  ALTER TABLE no_such_table ADD COLUMN b int;\n"
        + "ALTER TABLE users ADD COLUMN c int;\n"
    )
    let result = runSafeShift([
      "trace", "--format", "json", "--scratch-url", url, "--schema", schema, path,
    ])
    #expect(result.code == 2)
    #expect(result.error.contains("0001.sql:2:3: error:"), "\(result.error)")
    #expect(result.error.contains("(42P01)"), "\(result.error)")
    let document = try Self.json(result.output)
    let failed = try Self.statement(document, file: "0001.sql", line: 2)
    #expect(failed["execution"] as? String == "failed")
    #expect((failed["error"] as? [String: Any])?["code"] as? String == "42P01")
    let after = try Self.statement(document, file: "0001.sql", line: 3)
    #expect(after["execution"] as? String == "not_run")
    #expect(try Self.leftoverScratchDatabases(url).isEmpty)
  }

  @Test(
    "--database-url copies the live schema (pg_dump) into the scratch database; the live one is untouched",
    .timeLimit(.minutes(1))
  )
  func liveSchemaIsCopied() throws {
    let url = try Self.requireURL()
    let binDirectory = ProcessInfo.processInfo.environment["SAFESHIFT_TEST_PG_BINDIR"]
    let pgDump = binDirectory.map { $0 + "/pg_dump" } ?? "pg_dump"
    var connection = try PostgresConnection(connectingTo: url)
    try connection.execute(
      "DROP SCHEMA IF EXISTS cli_trace CASCADE; CREATE SCHEMA cli_trace; "
        + "CREATE TABLE cli_trace.accounts (id bigint PRIMARY KEY, email text NOT NULL); "
        + "INSERT INTO cli_trace.accounts SELECT g, 'a' || g FROM generate_series(1, 5) g"
    )
    defer { try? connection.execute("DROP SCHEMA IF EXISTS cli_trace CASCADE") }
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "0001.sql",
      "ALTER TABLE cli_trace.accounts ADD COLUMN plan text;\n"
        + "CREATE INDEX CONCURRENTLY accounts_email_idx ON cli_trace.accounts (email);\n"
    )
    let result = runSafeShift([
      "trace", "--format", "json", "--compare", "--database-url", url, "--pg-dump", pgDump, path,
    ])
    #expect(result.code == 0, "\(result.error)\n\(result.output)")
    let document = try Self.json(result.output)
    let add = try Self.statement(document, file: "0001.sql", line: 1)
    #expect(Self.locks(add) == ["cli_trace.accounts": "ACCESS EXCLUSIVE"])
    let index = try Self.statement(document, file: "0001.sql", line: 2)
    #expect(index["execution"] as? String == "outside_transaction")
    // The live table has neither the column nor the index: they were made in the copy.
    let columns = try connection.query(
      "SELECT count(*) FROM information_schema.columns "
        + "WHERE table_schema = 'cli_trace' AND column_name = 'plan'",
      []
    )
    #expect(columns.first?.first == "0")
    let indexes = try connection.query(
      "SELECT count(*) FROM pg_indexes WHERE indexname = 'accounts_email_idx'",
      []
    )
    #expect(indexes.first?.first == "0")
    #expect(try Self.leftoverScratchDatabases(url).isEmpty)
  }

  @Test(
    "--use-real-data traces on the live database, rolls back and does not run CONCURRENTLY",
    .timeLimit(.minutes(1))
  )
  func realDataIsRolledBack() throws {
    let url = try Self.requireURL()
    var connection = try PostgresConnection(connectingTo: url)
    try connection.execute(
      "DROP SCHEMA IF EXISTS cli_real CASCADE; CREATE SCHEMA cli_real; "
        + "CREATE TABLE cli_real.items (id bigint PRIMARY KEY, n int NOT NULL); "
        + "INSERT INTO cli_real.items SELECT g, g FROM generate_series(1, 500) g; "
        + "ANALYZE cli_real.items"
    )
    defer { try? connection.execute("DROP SCHEMA IF EXISTS cli_real CASCADE") }
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "0001.sql",
      "ALTER TABLE cli_real.items ALTER COLUMN n TYPE bigint;\n"
        + "CREATE INDEX CONCURRENTLY items_n_idx ON cli_real.items (n);\n"
    )
    let result = runSafeShift([
      "trace", "--format", "json", "--use-real-data", "--database-url", url, path,
    ])
    #expect(result.code == 0, "\(result.error)")
    let document = try Self.json(result.output)
    let change = try Self.statement(document, file: "0001.sql", line: 1)
    #expect(change["rewritesTable"] as? Bool == true)
    let scans = try #require(change["scans"] as? [[String: Any]])
    // The rewrite reads the 500 rows (and the index rebuild reads the new heap again).
    #expect((scans.first?["rowsRead"] as? Int ?? 0) >= 500)
    let index = try Self.statement(document, file: "0001.sql", line: 2)
    #expect(index["execution"] as? String == "skipped")
    let type = try connection.query(
      "SELECT data_type FROM information_schema.columns "
        + "WHERE table_schema = 'cli_real' AND column_name = 'n'",
      []
    )
    #expect(type.first?.first == "integer")
  }

  @Test(
    "a goose folder: per-file transactions accumulate locks, NO TRANSACTION files commit each statement",
    .timeLimit(.minutes(1))
  )
  func runnerTransactionModes() throws {
    let url = try Self.requireURL()
    let scratch = try ScratchDirectory()
    let body = "ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;\n"
    try scratch.write(
      "db/00001_users.sql",
      "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE users;\n"
    )
    try scratch.write("db/00002_in_tx.sql", "-- +goose Up\n" + body)
    try scratch.write(
      "db/00003_no_tx.sql",
      "-- +goose NO TRANSACTION\n-- +goose Up\n"
        + body.replacing(" a int", with: " c int").replacing(" b int", with: " d int")
    )
    let directory = scratch.url.appendingPathComponent("db").path
    let result = runSafeShift([
      "trace", "--format", "json", "--compare", "--scratch-url", url, directory,
    ])
    #expect(result.code == 0, "\(result.error)\n\(result.output)")
    let document = try Self.json(result.output)
    // In one transaction the second ALTER takes nothing new: ACCESS EXCLUSIVE is held.
    let held = try Self.statement(document, file: "00002_in_tx.sql", line: 3)
    #expect(Self.locks(held).isEmpty)
    // Committed one by one, the second ALTER takes ACCESS EXCLUSIVE again.
    let own = try Self.statement(document, file: "00003_no_tx.sql", line: 4)
    #expect(Self.locks(own) == ["users": "ACCESS EXCLUSIVE"])
    let files = try #require(document["files"] as? [[String: Any]])
    #expect(files.map { $0["transactionMode"] as? String } == ["per-file", "per-file", "none"])
  }

  @Test(
    "SIGINT during a statement cancels it on the server, drops the scratch database, exits 2",
    .timeLimit(.minutes(1))
  )
  func interrupted() throws {
    let url = try Self.requireURL()
    let executable = try #require(
      ExecutableTests.executable,
      "safeshift binary not built next to the tests"
    )
    let scratch = try ScratchDirectory()
    let path = try scratch.write("0001.sql", "SELECT pg_catalog.pg_sleep(30);\nSELECT 1;\n")
    let process = Process()
    process.executableURL = executable
    process.arguments = ["trace", "--format", "json", "--rows", "0", "--scratch-url", url, path]
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    let start = ContinuousClock.now
    try process.run()
    // Wait until the statement runs: its scratch database exists and a session sleeps.
    var connection = try PostgresConnection(connectingTo: url)
    var sleeping = false
    while !sleeping, start.duration(to: .now) < .seconds(20) {
      let rows = try connection.query(
        "SELECT count(*) FROM pg_catalog.pg_stat_activity "
          + "WHERE datname LIKE 'safeshift\\_trace\\_%' AND query LIKE '%pg_sleep(30)%'",
        []
      )
      sleeping = rows.first?.first != "0"
      if !sleeping { usleep(100_000) }
    }
    #expect(sleeping)
    kill(process.processIdentifier, SIGINT)
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(start.duration(to: .now) < .seconds(20), "the sleep was not cancelled")
    let text = String(decoding: outputData, as: UTF8.self)
    #expect(text.contains("interrupted by signal 2"), "\(text)")
    #expect(String(decoding: errorData, as: UTF8.self).contains("(57014)"))
    #expect(try Self.leftoverScratchDatabases(url).isEmpty)
  }

  @Test("connection errors exit 2 and never print the password", .timeLimit(.minutes(1)))
  func badURL() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write("0001.sql", "SELECT 1;\n")
    let secret = "postgresql://alice:Hunter2-Secret@127.0.0.1:1/nodb?connect_timeout=2"
    for flag in ["--scratch-url", "--database-url"] {
      let result = runSafeShift(["trace", flag, secret, path])
      #expect(result.code == 2, "\(flag)")
      #expect(result.error.contains(flag), "\(result.error)")
      #expect(!result.error.contains("Hunter2-Secret"))
      #expect(!result.output.contains("Hunter2-Secret"))
    }
    let malformed = runSafeShift(["trace", "--scratch-url", "postgresql://[oops", path])
    #expect(malformed.code == 2)
    let none = runSafeShift(["trace", path])
    #expect(none.code == 64, "\(none.error)")
  }
}
