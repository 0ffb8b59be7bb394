import Foundation
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import Testing

/// `TransactionTracer`, `ScratchDatabase` and `ScratchPopulator` against the test server.
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct TransactionTracerTests {
  static let users = RelationName(schema: "tx_trace", name: "users")

  /// A session with schema `tx_trace`: `users` (30 rows, primary key) and `orders`.
  static func connect() throws -> PostgresConnection {
    var connection = try TestDatabase.connect()
    try connection.execute(
      """
      SET client_min_messages = warning;
      DROP SCHEMA IF EXISTS tx_trace CASCADE;
      CREATE SCHEMA tx_trace;
      CREATE TABLE tx_trace.users (id bigint PRIMARY KEY, name text NOT NULL, score int);
      INSERT INTO tx_trace.users SELECT g, 'u' || g, g FROM generate_series(1, 30) g;
      CREATE TABLE tx_trace.orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
      ANALYZE tx_trace.users;
      """
    )
    return connection
  }

  @Test(
    "locks accumulate in one transaction; each statement reports the modes it added",
    .timeLimit(.minutes(1))
  )
  func locksAccumulate() throws {
    var connection = try Self.connect()
    defer { try? connection.execute("DROP SCHEMA IF EXISTS tx_trace CASCADE") }
    var tracer = TransactionTracer()
    try tracer.begin(on: &connection)
    let add = try tracer.trace("ALTER TABLE tx_trace.users ADD COLUMN a int", on: &connection)
    #expect(add.result.tableLocks == [Self.users: .accessExclusive])
    #expect(add.locksHeldBefore.isEmpty)
    // A weaker mode on a relation already locked in a stronger one still shows as added.
    let index = try tracer.trace(
      "CREATE INDEX users_score_idx ON tx_trace.users (score)",
      on: &connection
    )
    #expect(index.result.tableLocks == [Self.users: .share])
    #expect(index.result.scannedTables == [Self.users])
    #expect(index.result.scans.first?.rowsRead == 30)
    #expect(index.result.createdRelations.map(\.name.name) == ["users_score_idx"])
    #expect(index.wasHeldBefore(Self.users, mode: .accessExclusive))
    // The same mode again adds nothing: it was already held.
    let again = try tracer.trace("ALTER TABLE tx_trace.users ADD COLUMN b int", on: &connection)
    #expect(again.result.tableLocks.isEmpty)
    #expect(again.wasHeldBefore(Self.users, mode: .accessExclusive))
    #expect(
      Set(again.locksHeldAfter.filter { $0.relation.name == Self.users }.map(\.mode))
        == [.accessExclusive, .share]
    )
    // A rewrite shows as new storage.
    let rewrite = try tracer.trace(
      "ALTER TABLE tx_trace.users ALTER COLUMN score TYPE bigint",
      on: &connection
    )
    #expect(rewrite.result.rewrittenTables == [Self.users])
    try tracer.end(.rollback, on: &connection)
    #expect(!tracer.isOpen)
    let columns = try connection.query(
      "SELECT count(*) FROM information_schema.columns "
        + "WHERE table_schema = 'tx_trace' AND column_name IN ('a', 'b')",
      []
    )
    #expect(columns.first?.first == "0")
  }

  /// Statements whose catalog changes take every path: renames, dropped columns and
  /// constraints (deleted rows only), recreated indexes, rewrites, drops, new objects.
  static let varied = [
    "ALTER TABLE tx_trace.orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) "
      + "REFERENCES tx_trace.users",
    "CREATE INDEX users_name_idx ON tx_trace.users (name)",
    "ALTER TABLE tx_trace.users ALTER COLUMN name TYPE varchar(50)",
    "ALTER TABLE tx_trace.users RENAME COLUMN score TO points",
    "ALTER TABLE tx_trace.orders DROP CONSTRAINT orders_user_fk",
    "ALTER TABLE tx_trace.users DROP COLUMN points",
    "UPDATE tx_trace.users SET name = name || 'x'",
    "CREATE TABLE tx_trace.extra (id int PRIMARY KEY, note text)",
    "ALTER TABLE tx_trace.users RENAME TO people",
    "ALTER SCHEMA tx_trace RENAME TO tx_trace_renamed",
    "DROP TABLE tx_trace_renamed.orders",
  ]

  @Test(
    "reading only what the transaction changed gives the same results as rereading the catalog",
    .timeLimit(.minutes(1))
  )
  func incrementalSnapshotsAgree() throws {
    var results: [[TracedStatement]] = []
    for whole in [false, true] {
      var connection = try Self.connect()
      defer {
        try? connection.execute(
          "DROP SCHEMA IF EXISTS tx_trace CASCADE; DROP SCHEMA IF EXISTS tx_trace_renamed CASCADE"
        )
      }
      var tracer = TransactionTracer()
      tracer.rereadsWholeCatalog = whole
      try tracer.begin(on: &connection)
      var traced: [TracedStatement] = []
      for sql in Self.varied {
        var statement = try tracer.trace(sql, on: &connection)
        // TOAST tables are named after OIDs, which differ between the two runs.
        statement.result.duration = .zero
        statement.result.locks.removeAll { $0.relation.kind.isTOAST }
        statement.result.createdRelations.removeAll { $0.kind.isTOAST }
        statement.result.droppedRelations.removeAll { $0.kind.isTOAST }
        statement.result.alteredRelations.removeAll { $0.kind.isTOAST }
        statement.result.rewrittenRelations.removeAll { $0.kind.isTOAST }
        statement.locksHeldBefore.removeAll { $0.relation.kind.isTOAST }
        statement.locksHeldAfter.removeAll { $0.relation.kind.isTOAST }
        traced.append(statement)
      }
      try tracer.end(.rollback, on: &connection)
      results.append(traced)
    }
    #expect(results[0].count == Self.varied.count)
    for (index, pair) in zip(results[0], results[1]).enumerated() {
      #expect(pair.0 == pair.1, "\(Self.varied[index])")
    }
    // Spot checks: the dropped constraint alters both tables; the rename is seen.
    #expect(results[0][4].result.alteredRelations.map(\.name.name).contains("orders"))
    #expect(results[0][8].result.alteredRelations.first?.newName?.name == "people")
    #expect(results[0][10].result.droppedRelations.map(\.name.name).contains("orders"))
  }

  @Test(
    "a failing statement rolls the transaction back and reports its SQLSTATE; others are refused",
    .timeLimit(.minutes(1))
  )
  func failures() throws {
    var connection = try Self.connect()
    defer { try? connection.execute("DROP SCHEMA IF EXISTS tx_trace CASCADE") }
    var tracer = TransactionTracer()
    try tracer.begin(on: &connection)
    #expect(throws: DriverError.self) {
      try tracer.trace("CREATE INDEX CONCURRENTLY i ON tx_trace.users (name)", on: &connection)
    }
    #expect(tracer.isOpen)
    _ = try tracer.trace("ALTER TABLE tx_trace.users ADD COLUMN a int", on: &connection)
    do {
      _ = try tracer.trace("ALTER TABLE tx_trace.nope ADD COLUMN a int", on: &connection)
      Issue.record("expected an error")
    } catch {
      #expect(error.sqlstate == "42P01")
    }
    #expect(!tracer.isOpen)
    // The session is usable and nothing persisted.
    let rows = try connection.query(
      "SELECT count(*) FROM information_schema.columns "
        + "WHERE table_schema = 'tx_trace' AND column_name = 'a'",
      []
    )
    #expect(rows.first?.first == "0")
  }

  @Test(
    "a scratch database is created empty, reachable with the server's settings, and dropped",
    .timeLimit(.minutes(1))
  )
  func scratchDatabaseLifecycle() throws {
    let url = try #require(TestDatabase.url)
    let scratch = try ScratchDatabase.create(on: url)
    #expect(scratch.name.hasPrefix(ScratchDatabase.namePrefix))
    #expect(try ScratchDatabase.exists(scratch.name, on: url))
    do {
      var connection = try scratch.connect()
      let name = try connection.query("SELECT pg_catalog.current_database()", [])
      #expect(name.first?.first == scratch.name)
      let tables = try connection.query(
        "SELECT count(*) FROM pg_catalog.pg_class WHERE oid >= 16384 AND relkind = 'r'",
        []
      )
      #expect(tables.first?.first == "0")
      // Still connected: DROP … WITH (FORCE) ends the session.
      try scratch.drop()
    }
    #expect(try !ScratchDatabase.exists(scratch.name, on: url))
  }

  @Test(
    "the populator fills tables parents first, keeps tables with rows, and reports what it cannot fill",
    .timeLimit(.minutes(1))
  )
  func populator() throws {
    let url = try #require(TestDatabase.url)
    let scratch = try ScratchDatabase.create(on: url)
    defer { try? scratch.drop() }
    var connection = try scratch.connect()
    try connection.execute(
      """
      CREATE TYPE mood AS ENUM ('ok', 'sad');
      CREATE DOMAIN positive AS int CHECK (VALUE > 0);
      CREATE TABLE "Parents" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code varchar(12) UNIQUE NOT NULL, at timestamptz NOT NULL, m mood NOT NULL,
        p positive NOT NULL, doc jsonb, ok boolean NOT NULL, u uuid NOT NULL);
      CREATE TABLE children (id bigserial PRIMARY KEY,
        parent_id bigint NOT NULL REFERENCES "Parents", tags text[] NOT NULL);
      CREATE TABLE impossible (v int NOT NULL CHECK (v < 0));
      CREATE TABLE filled (v int);
      INSERT INTO filled VALUES (1);
      """
    )
    let report = try ScratchPopulator.populate(&connection, rows: 20)
    #expect(report.populated.map(\.table.name) == ["Parents", "children"])
    #expect(report.alreadyFilled.map(\.name) == ["filled"])
    #expect(report.skipped.map(\.table.name) == ["impossible"])
    let orphans = try connection.query(
      "SELECT count(*) FROM children c LEFT JOIN \"Parents\" p ON p.id = c.parent_id "
        + "WHERE p.id IS NULL",
      []
    )
    #expect(orphans.first?.first == "0")
    let counts = try connection.query(
      "SELECT (SELECT count(*) FROM children), (SELECT count(*) FROM filled)",
      []
    )
    #expect(counts.first == ["20", "1"])
  }
}

/// Connection strings become libpq environment variables for client programs.
@Suite struct ConnectionEnvironmentTests {
  @Test("a URL's parts become PG* variables, the password included (never argv)")
  func urlToEnvironment() throws {
    let variables = try ConnectionEnvironment.variables(
      for: "postgresql://alice:s3cret@db.example:5433/app?sslmode=require"
    )
    #expect(variables["PGHOST"] == "db.example")
    #expect(variables["PGPORT"] == "5433")
    #expect(variables["PGUSER"] == "alice")
    #expect(variables["PGPASSWORD"] == "s3cret")
    #expect(variables["PGDATABASE"] == "app")
    #expect(variables["PGSSLMODE"] == "require")
  }

  @Test("an unparsable string is an error without the string")
  func malformed() {
    do {
      _ = try ConnectionEnvironment.variables(for: "host=x password='Hunter2-Secret")
      Issue.record("expected an error")
    } catch {
      #expect(!error.description.contains("Hunter2-Secret"))
    }
  }
}
