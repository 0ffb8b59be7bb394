import Foundation
import ShiftCLI
import ShiftSQLite
import ShiftTestSupport
import Testing

@Suite
struct BackfillCommandTests {
  struct Usage: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    var testDescription: String { message }
  }

  static let usage: [Usage] = [
    Usage(
      arguments: ["backfill", "--database-url", "sqlite:x.db"],
      message: "Give a backfill spec"
    ),
    Usage(
      arguments: ["backfill", "s.json", "--table", "t", "--set", "a = 1", "--database-url", "x"],
      message: "not both"
    ),
    Usage(arguments: ["backfill", "--table", "t", "--database-url", "x"], message: "--set"),
    Usage(
      arguments: ["backfill", "--table", "t", "--set", "no equals", "--database-url", "x"],
      message: "column = expression"
    ),
    Usage(
      arguments: [
        "backfill", "--table", "t", "--set", "a = 1", "--workers", "0", "--database-url", "x",
      ],
      message: "--workers"
    ),
    Usage(arguments: ["backfill", "--table", "t", "--set", "a = 1"], message: "--database-url"),
  ]

  @Test(arguments: usage) func usageErrorsExit64(_ example: Usage) {
    let result = runSafeShift(example.arguments)
    #expect(result.code == 64)
    #expect(result.error.contains(example.message), "\(result.error)")
  }

  @Test func runsThePlannedSpecOnSQLiteThenAgainAsANoOp() throws {
    let scratch = try ScratchDirectory()
    let examples = Fixtures.root.appendingPathComponent("migrations-examples/sqlite")
    let database = scratch.url.appendingPathComponent("app.db").path
    do {
      var connection = try SQLiteConnection(path: database)
      for name in ["0001_create_initial_schema.sql", "0002_add_users_full_name.sql"] {
        try connection.execute(
          try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
        )
      }
      try connection.execute(
        """
        INSERT INTO accounts (id, name) VALUES (1, 'a');
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
        INSERT INTO users (account_id, email, first_name, last_name)
          SELECT 1, 'u' || i || '@example.com', 'First' || i, 'Last' || i FROM n;
        """
      )
    }
    let out = scratch.url.appendingPathComponent("plan").path
    let plan = runSafeShift([
      "plan", "--dialect", "sqlite", "--schema",
      examples.appendingPathComponent("0001_create_initial_schema.sql").path,
      examples.appendingPathComponent("0002_add_users_full_name.sql").path,
      examples.appendingPathComponent("0003_backfill_users_full_name.sql").path, "--out", out,
    ])
    #expect(plan.code == 0 || plan.code == 1, "\(plan.error)")
    let specs = try FileManager.default.contentsOfDirectory(atPath: out + "/backfills")
    let spec = out + "/backfills/" + (try #require(specs.first))

    let dry = runSafeShift(["backfill", spec, "--database-url", "sqlite:" + database, "--dry-run"])
    #expect(dry.code == 0, "\(dry.error)")
    #expect(dry.output.contains("dry run: nothing is changed"))
    #expect(dry.output.contains("walk: keyset on (id INTEGER)"))

    let run = runSafeShift([
      "backfill", spec, "--database-url", "sqlite:" + database, "--progress", "lines",
      "--batch-size", "100", "--max-batch-size", "300",
    ])
    #expect(run.code == 0, "\(run.error)")
    #expect(run.output.contains(": done, 2500 rows walked and 2500 changed"), "\(run.output)")
    #expect(run.error.contains("backfill state=done rows=2500"), "\(run.error)")
    var connection = try SQLiteConnection(path: database)
    #expect(
      try connection.query(
        "SELECT count(*) FROM users WHERE full_name = first_name || ' ' || last_name",
        []
      ) == [["2500"]]
    )
    let again = runSafeShift(["backfill", spec, "--database-url", "sqlite:" + database])
    #expect(again.code == 0, "\(again.error)")
    #expect(again.output.contains(": done, 0 rows walked"), "\(again.output)")

    // `status` shows the backfill from the ledger, also without a deploy.
    let status = runSafeShift(["status", "--database-url", "sqlite:" + database])
    #expect(status.code == 0, "\(status.error)")
    #expect(status.output.contains("Backfills:"), "\(status.output)")
    #expect(
      status.output.contains("on users: done, 2500 of ~2500 rows (2500 changed)"),
      "\(status.output)"
    )
    let json = runSafeShift(["status", "--database-url", "sqlite:" + database, "--format", "json"])
    #expect(json.code == 0, "\(json.error)")
    #expect(json.output.contains("\"rowsDone\" : 2500"), "\(json.output)")
    #expect(json.output.contains("\"state\" : \"done\""), "\(json.output)")
  }
}
