import Foundation
import ShiftAnalysis
import ShiftBackfill
import ShiftCore
import ShiftDatabase
import ShiftPlanner
import ShiftSQLite
import ShiftSyntax
import ShiftTestSupport
import Testing

/// The SQLite examples 0002-0009 planned as one migration and applied to a database with
/// data: the old version's queries work after expand, the backfill fills the new column, the
/// table rebuild runs whole with foreign keys off around it, and the new version's queries
/// work after contract.
@Suite struct SQLitePlanRoundTripTests {
  @Test func examplesPlanAppliesWithBothVersionsWorking() throws {
    let files = Fixtures.files(in: "migrations-examples/sqlite")
    let schema = try #require(files.first)
    let parse: (URL) throws -> ParsedFile = { url in
      SQLParser.parse(
        SourceFile(path: url.lastPathComponent, bytes: try Fixtures.bytes(url)),
        dialect: .sqlite
      )
    }
    var analyzer = EffectAnalyzer(dialect: .sqlite)
    analyzer.replaySchema(try parse(schema))
    let plan = Planner().plan(files: try files.dropFirst().map(parse), analyzer: analyzer)

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "safeshift-plan-\(UUID().uuidString)"
    )
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var database = try SQLiteConnection(path: directory.appendingPathComponent("app.db").path)
    try database.execute(String(decoding: try Fixtures.bytes(schema), as: UTF8.self))
    try database.execute(
      """
      INSERT INTO accounts (id, name) VALUES (1, 'Acme');
      INSERT INTO users (id, account_id, email, first_name, last_name) VALUES
        (1, 1, 'ada@example.com', 'Ada', 'Lovelace'), (2, 1, 'alan@example.com', 'Alan', 'Turing');
      INSERT INTO orders (id, user_id, amount, currency) VALUES (1, 1, 100, 'EUR'), (2, 2, 250, NULL);
      """
    )

    try run(.expand, of: plan, on: &database)
    // The old version.
    try database.execute(
      "INSERT INTO users (id, account_id, email, first_name, last_name) VALUES (3, 1, 'grace@example.com', 'Grace', 'Hopper')"
    )
    try database.execute("INSERT INTO orders (id, user_id, amount) VALUES (3, 3, 5)")
    _ = try database.query("SELECT first_name, last_name FROM users", [])
    _ = try database.query("SELECT amount FROM orders", [])

    try run(.migrate, of: plan, on: &database)
    #expect(
      try database.query("SELECT full_name FROM users ORDER BY id", []).map { $0[0] } == [
        "Ada Lovelace", "Alan Turing", "Grace Hopper",
      ]
    )

    try run(.contract, of: plan, on: &database)
    // The new version.
    try database.execute("INSERT INTO orders (id, user_id, amount_cents) VALUES (4, 1, 7)")
    _ = try database.query("SELECT full_name, updated_at FROM users", [])
    #expect(try database.query("SELECT count(*) FROM orders WHERE currency IS NULL", []) == [["0"]])
    #expect(try database.query("PRAGMA foreign_keys", []) == [["1"]])
    #expect(
      try database.query("SELECT name FROM pragma_table_info('users') ORDER BY cid", []).map {
        $0[0]
      }
        == ["id", "account_id", "email", "created_at", "full_name", "updated_at"]
    )
    #expect(try database.query("PRAGMA integrity_check", []) == [["ok"]])
  }

  /// Runs a phase: SQL steps in `BEGIN IMMEDIATE … COMMIT` (or as listed, for steps that
  /// manage their own transaction), backfills through the backfill engine
  /// (first batch of two keys).
  private func run(_ phase: MigrationPhase, of plan: Plan, on database: inout SQLiteConnection)
    throws
  {
    for step in plan.steps(in: phase) {
      if let spec = step.backfill {
        try backfill(spec, on: &database)
        continue
      }
      if step.isInTransaction { try database.execute("BEGIN IMMEDIATE") }
      for statement in step.statements { try database.execute(statement) }
      if step.isInTransaction { try database.execute("COMMIT") }
    }
  }

  /// Runs a backfill with the real engine, one worker on this connection.
  private func backfill(_ spec: BackfillSpec, on database: inout SQLiteConnection) throws {
    var spec = spec
    spec.batch.initialBatchSize = 2
    spec.batch.minBatchSize = 1
    let target = try SQLiteTarget.resolve(spec, on: &database)
    let job = BackfillJob(
      sql: target.sql,
      estimatedRows: target.estimatedRows,
      options: BackfillOptions(workerName: "plan-round-trip", seed: 1)
    )
    _ = try job.runInline(on: &database)
  }
}
