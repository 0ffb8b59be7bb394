import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftPlanner
import ShiftPostgres
import ShiftSyntax
import Testing

/// One rewrite exercised on a real server: a schema with data, the migration, and the
/// queries each application version runs.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
  var id: String
  /// Creates the tables and their rows (also the planner's schema context).
  var schema: String
  var migration: String
  /// The old version's writes (run once, after expand) and reads (after expand and after
  /// migrate).
  var oldQueries: [String]
  /// The new version's writes (run once, after migrate) and reads (after migrate and after
  /// contract).
  var newQueries: [String]
  /// New-version writes that only work once contract made the change visible (a wider type).
  var newQueriesAfterContract: [String] = []
  /// `(query, expected first column of every row)` after the backfills.
  var afterMigrate: [(String, [String?])] = []
  /// `(query, expected first column of every row)` after contract.
  var afterContract: [(String, [String?])] = []

  var testDescription: String { id }
}

let roundTripCases: [RoundTripCase] = [
  RoundTripCase(
    id: "full-name-story",
    schema: """
      CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, first_name text, last_name text);
      INSERT INTO users (first_name, last_name) VALUES ('Ada', 'Lovelace'), ('Alan', 'Turing'), ('Grace', 'Hopper');
      """,
    migration: """
      ALTER TABLE users ADD COLUMN full_name text;
      UPDATE users SET full_name = first_name || ' ' || last_name;
      ALTER TABLE users DROP COLUMN first_name;
      ALTER TABLE users DROP COLUMN last_name;
      """,
    oldQueries: [
      "INSERT INTO users (first_name, last_name) VALUES ('Old', 'Writer')",
      "UPDATE users SET last_name = 'King' WHERE first_name = 'Ada'",
      "SELECT id, first_name, last_name FROM users ORDER BY id",
    ],
    newQueries: [
      "INSERT INTO users (full_name) VALUES ('New Writer')",
      "SELECT id, full_name FROM users ORDER BY id",
    ],
    afterMigrate: [
      (
        "SELECT count(*)::text FROM users WHERE first_name IS NOT NULL AND full_name IS DISTINCT FROM first_name || ' ' || last_name",
        ["0"]
      ),
      ("SELECT full_name FROM users WHERE first_name = 'Ada'", ["Ada King"]),
    ],
    afterContract: [
      (
        "SELECT full_name FROM users ORDER BY id",
        ["Ada King", "Alan Turing", "Grace Hopper", "Old Writer", "New Writer"]
      ),
      (
        "SELECT count(*)::text FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal",
        ["0"]
      ),
    ]
  ),
  RoundTripCase(
    id: "rename-column",
    schema: """
      CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, amount integer NOT NULL);
      CREATE INDEX orders_amount_idx ON orders (amount);
      INSERT INTO orders (amount) VALUES (100), (250), (999);
      """,
    migration: "ALTER TABLE orders RENAME COLUMN amount TO amount_cents;",
    oldQueries: [
      "INSERT INTO orders (amount) VALUES (5)",
      "UPDATE orders SET amount = amount + 1 WHERE amount = 100",
      "SELECT amount FROM orders ORDER BY id",
    ],
    newQueries: [
      "INSERT INTO orders (amount_cents) VALUES (7)",
      "UPDATE orders SET amount_cents = amount_cents + 1 WHERE amount_cents = 250",
      "SELECT amount_cents FROM orders ORDER BY id",
    ],
    afterMigrate: [
      ("SELECT count(*)::text FROM orders WHERE amount IS DISTINCT FROM amount_cents", ["0"])
    ],
    afterContract: [
      (
        "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount_cents'",
        ["true"]
      ),
      (
        "SELECT count(*)::text FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount' AND NOT attisdropped",
        ["0"]
      ),
      (
        "SELECT count(*)::text FROM pg_indexes WHERE tablename = 'orders' AND indexdef LIKE '%(amount_cents)%'",
        ["1"]
      ),
    ]
  ),
  RoundTripCase(
    id: "rename-columns-with-constraints",
    schema: """
      CREATE TABLE clubs (id bigint PRIMARY KEY);
      CREATE TABLE members (
        id bigint PRIMARY KEY,
        club bigint NOT NULL REFERENCES clubs (id),
        code text UNIQUE CHECK (length(code) > 1)
      );
      CREATE INDEX members_club_idx ON members (club);
      INSERT INTO clubs VALUES (1), (2);
      INSERT INTO members VALUES (1, 1, 'aa'), (2, 2, 'bb');
      """,
    migration: """
      ALTER TABLE members RENAME COLUMN club TO club_id;
      ALTER TABLE members RENAME COLUMN code TO member_code;
      """,
    oldQueries: [
      "INSERT INTO members (id, club, code) VALUES (3, 1, 'cc')",
      "SELECT club, code FROM members",
    ],
    newQueries: [
      "INSERT INTO members (id, club_id, member_code) VALUES (4, 2, 'dd')",
      "SELECT club_id, member_code FROM members",
    ],
    afterContract: [
      (
        "SELECT string_agg(conname || '=' || pg_get_constraintdef(oid) || ':' || convalidated, '; ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'members'::regclass AND contype <> 'p'",
        [
          "members_club_fkey=FOREIGN KEY (club_id) REFERENCES clubs(id):true; members_code_check=CHECK ((length(member_code) > 1)):true; members_code_key=UNIQUE (member_code):true"
        ]
      ),
      ("SELECT string_agg(member_code, ',' ORDER BY id) FROM members", ["aa,bb,cc,dd"]),
    ]
  ),
  RoundTripCase(
    id: "type-change-keeps-name-default-index",
    schema: """
      CREATE TABLE counters (id integer PRIMARY KEY, hits integer NOT NULL DEFAULT 0 CONSTRAINT hits_positive CHECK (hits >= 0));
      CREATE INDEX counters_hits_idx ON counters (hits);
      INSERT INTO counters (id, hits) VALUES (1, 10), (2, 20), (3, 30);
      """,
    migration: "ALTER TABLE counters ALTER COLUMN hits TYPE bigint;",
    oldQueries: [
      "INSERT INTO counters (id) VALUES (4)",
      "UPDATE counters SET hits = hits + 1 WHERE id = 1",
      "SELECT hits FROM counters ORDER BY id",
    ],
    newQueries: [
      "INSERT INTO counters (id, hits) VALUES (5, 50)",
      "SELECT hits FROM counters ORDER BY id",
    ],
    newQueriesAfterContract: ["INSERT INTO counters (id, hits) VALUES (6, 3000000000)"],
    afterMigrate: [
      ("SELECT count(*)::text FROM counters WHERE hits_new IS DISTINCT FROM hits", ["0"])
    ],
    afterContract: [
      (
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'counters'::regclass AND attname = 'hits'",
        ["bigint"]
      ),
      (
        "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'counters'::regclass",
        ["0"]
      ),
      (
        "SELECT indexname FROM pg_indexes WHERE tablename = 'counters' AND indexname <> 'counters_pkey'",
        ["counters_hits_idx"]
      ),
      ("SELECT hits::text FROM counters WHERE id <= 4 ORDER BY id", ["11", "20", "30", "0"]),
      (
        "SELECT pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE conname = 'hits_positive'",
        ["CHECK ((hits >= 0)) true"]
      ),
    ]
  ),
  RoundTripCase(
    id: "primary-key-int-to-bigint",
    schema: """
      CREATE TABLE items (id integer PRIMARY KEY, name text);
      INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c');
      """,
    migration: "ALTER TABLE items ALTER COLUMN id TYPE bigint;",
    oldQueries: [
      "INSERT INTO items (id, name) VALUES (10, 'old')", "SELECT id, name FROM items WHERE id = 1",
    ],
    newQueries: [
      "INSERT INTO items (id, name) VALUES (20, 'new')", "SELECT id FROM items WHERE id = 20",
    ],
    newQueriesAfterContract: ["INSERT INTO items (id, name) VALUES (5000000000, 'big')"],
    afterContract: [
      (
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'id'",
        ["bigint"]
      ),
      (
        "SELECT conname FROM pg_constraint WHERE conrelid = 'items'::regclass AND contype = 'p'",
        ["items_pkey"]
      ),
      ("SELECT count(*)::text FROM items", ["6"]),
      ("SELECT count(*)::text FROM pg_index WHERE indrelid = 'items'::regclass", ["1"]),
    ]
  ),
  RoundTripCase(
    id: "identity-key-to-bigint",
    schema: """
      CREATE TABLE tokens (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text NOT NULL);
      INSERT INTO tokens (label) VALUES ('a'), ('b'), ('c');
      """,
    migration: "ALTER TABLE tokens ALTER COLUMN id TYPE bigint;",
    oldQueries: ["INSERT INTO tokens (label) VALUES ('old')", "SELECT id, label FROM tokens"],
    newQueries: ["INSERT INTO tokens (label) VALUES ('new')", "SELECT id FROM tokens"],
    newQueriesAfterContract: ["INSERT INTO tokens (label) VALUES ('after')"],
    afterContract: [
      (
        "SELECT format_type(atttypid, atttypmod) || ' ' || attidentity::text FROM pg_attribute WHERE attrelid = 'tokens'::regclass AND attname = 'id'",
        ["bigint a"]
      ),
      ("SELECT string_agg(id::text, ',' ORDER BY id) FROM tokens", ["1,2,3,4,5,6"]),
      (
        "SELECT conname FROM pg_constraint WHERE conrelid = 'tokens'::regclass AND contype = 'p'",
        ["tokens_pkey"]
      ),
    ]
  ),
  RoundTripCase(
    id: "serial-key-to-bigint",
    schema: """
      CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
      INSERT INTO tickets (title) VALUES ('a'), ('b'), ('c');
      """,
    migration: "ALTER TABLE tickets ALTER COLUMN id TYPE bigint;",
    oldQueries: ["INSERT INTO tickets (title) VALUES ('old')", "SELECT id, title FROM tickets"],
    newQueries: ["INSERT INTO tickets (title) VALUES ('new')", "SELECT id FROM tickets"],
    newQueriesAfterContract: ["INSERT INTO tickets (title) VALUES ('after')"],
    afterContract: [
      (
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'tickets'::regclass AND attname = 'id'",
        ["bigint"]
      ),
      ("SELECT pg_get_serial_sequence('tickets', 'id')", ["public.tickets_id_seq"]),
      ("SELECT string_agg(id::text, ',' ORDER BY id) FROM tickets", ["1,2,3,4,5,6"]),
      (
        "SELECT conname FROM pg_constraint WHERE conrelid = 'tickets'::regclass AND contype = 'p'",
        ["tickets_pkey"]
      ),
    ]
  ),
  RoundTripCase(
    id: "constraints-index-not-null",
    schema: """
      CREATE TABLE accounts (id bigint PRIMARY KEY);
      CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint, ref text, total integer, currency text);
      INSERT INTO accounts VALUES (1), (2);
      INSERT INTO invoices VALUES (1, 1, 'A-1', 10, 'EUR'), (2, 2, 'A-2', 20, 'USD'), (3, 1, 'A-3', 30, 'USD');
      """,
    migration: """
      CREATE INDEX invoices_total_idx ON invoices (total);
      ALTER TABLE invoices ADD CONSTRAINT invoices_ref_key UNIQUE (ref);
      ALTER TABLE invoices ADD CONSTRAINT invoices_account_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);
      ALTER TABLE invoices ADD CONSTRAINT invoices_total_positive CHECK (total > 0);
      ALTER TABLE invoices ALTER COLUMN currency SET NOT NULL;
      """,
    oldQueries: [
      "INSERT INTO invoices VALUES (4, 2, 'A-4', 40, 'EUR')",
      "SELECT ref FROM invoices WHERE total > 15",
    ],
    newQueries: ["SELECT ref FROM invoices WHERE account_id = 1"],
    afterContract: [
      (
        "SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'invoices'::regclass AND contype <> 'p'",
        ["invoices_account_fkey:true,invoices_ref_key:true,invoices_total_positive:true"]
      ),
      (
        "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'invoices'::regclass AND attname = 'currency'",
        ["true"]
      ),
      (
        "SELECT count(*)::text FROM pg_index WHERE indrelid = 'invoices'::regclass AND NOT indisvalid",
        ["0"]
      ),
    ]
  ),
  RoundTripCase(
    id: "volatile-default-not-null",
    schema: """
      CREATE TABLE sessions (id bigint PRIMARY KEY, started_at timestamptz);
      INSERT INTO sessions VALUES (1, now()), (2, now()), (3, now());
      """,
    migration: "ALTER TABLE sessions ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();",
    oldQueries: ["INSERT INTO sessions (id) VALUES (4)", "SELECT id FROM sessions"],
    newQueries: ["SELECT token FROM sessions WHERE id = 1"],
    afterMigrate: [("SELECT count(*)::text FROM sessions WHERE token IS NULL", ["0"])],
    afterContract: [
      (
        "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'sessions'::regclass AND attname = 'token'",
        ["true"]
      ),
      ("SELECT count(DISTINCT token)::text FROM sessions", ["4"]),
    ]
  ),
  RoundTripCase(
    id: "not-null-column-filled-by-update",
    schema: """
      CREATE TABLE people (id bigint PRIMARY KEY, first text, last text);
      INSERT INTO people VALUES (1, 'Ada', 'Lovelace'), (2, 'Alan', 'Turing');
      """,
    migration: """
      ALTER TABLE people ADD COLUMN display text NOT NULL;
      UPDATE people SET display = coalesce(first, '') || ' ' || coalesce(last, '');
      """,
    oldQueries: [
      "INSERT INTO people (id, first, last) VALUES (3, 'Grace', 'Hopper')",
      "SELECT first, last FROM people",
    ],
    newQueries: [
      "INSERT INTO people (id, display) VALUES (4, 'New')", "SELECT display FROM people",
    ],
    afterMigrate: [("SELECT count(*)::text FROM people WHERE display IS NULL", ["0"])],
    afterContract: [
      (
        "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = 'display'",
        ["true"]
      ),
      (
        "SELECT display FROM people ORDER BY id",
        ["Ada Lovelace", "Alan Turing", "Grace Hopper", "New"]
      ),
    ]
  ),
  RoundTripCase(
    id: "drop-table-and-bulk-delete",
    schema: """
      CREATE TABLE events (id bigint PRIMARY KEY, kind text);
      CREATE TABLE legacy_exports (id bigint PRIMARY KEY);
      INSERT INTO events VALUES (1, 'keep'), (2, 'spam'), (3, 'keep'), (4, 'spam'), (5, 'spam');
      INSERT INTO legacy_exports VALUES (1);
      """,
    migration: """
      DELETE FROM events WHERE kind = 'spam';
      DROP TABLE legacy_exports;
      """,
    oldQueries: ["SELECT id FROM legacy_exports", "INSERT INTO events VALUES (6, 'keep')"],
    newQueries: ["SELECT id FROM events"],
    afterMigrate: [("SELECT string_agg(id::text, ',' ORDER BY id) FROM events", ["1,3,6"])],
    afterContract: [("SELECT coalesce(to_regclass('legacy_exports')::text, 'gone')", ["gone"])]
  ),
  RoundTripCase(
    id: "rename-table-with-view",
    schema: """
      CREATE TABLE clients (id bigint PRIMARY KEY, name text NOT NULL);
      INSERT INTO clients VALUES (1, 'Acme'), (2, 'Globex');
      """,
    migration: "ALTER TABLE clients RENAME TO customers;",
    oldQueries: [
      "INSERT INTO clients VALUES (3, 'Initech')",
      "UPDATE clients SET name = 'ACME' WHERE id = 1",
      "SELECT name FROM clients ORDER BY id",
    ],
    newQueries: [
      "INSERT INTO customers VALUES (10, 'Hooli')", "SELECT name FROM customers ORDER BY id",
    ],
    afterContract: [
      ("SELECT name FROM customers ORDER BY id", ["ACME", "Globex", "Initech", "Hooli"]),
      ("SELECT coalesce(to_regclass('clients')::text, 'gone')", ["gone"]),
    ]
  ),
  RoundTripCase(
    id: "drop-not-null-column-and-bulk-update",
    schema: """
      CREATE TABLE profiles (id bigint PRIMARY KEY, legacy_code text NOT NULL, status text);
      INSERT INTO profiles VALUES (1, 'x', 'new'), (2, 'y', 'new'), (3, 'z', 'old');
      """,
    migration: """
      UPDATE profiles SET status = 'active' WHERE status = 'new';
      ALTER TABLE profiles DROP COLUMN legacy_code;
      """,
    oldQueries: [
      "INSERT INTO profiles VALUES (4, 'w', 'new')", "SELECT legacy_code FROM profiles",
    ],
    newQueries: [
      "INSERT INTO profiles (id, status) VALUES (5, 'active')", "SELECT id, status FROM profiles",
    ],
    afterMigrate: [
      ("SELECT status FROM profiles WHERE id <= 3 ORDER BY id", ["active", "active", "old"])
    ],
    afterContract: [
      (
        "SELECT count(*)::text FROM pg_attribute WHERE attrelid = 'profiles'::regclass AND attname = 'legacy_code' AND NOT attisdropped",
        ["0"]
      )
    ]
  ),
]

@Suite(.enabled(if: TestDatabase.isAvailable), .serialized, .timeLimit(.minutes(1)))
struct PlanRoundTripTests {
  @Test(arguments: roundTripCases)
  func planKeepsBothVersionsWorking(_ testCase: RoundTripCase) throws {
    let name = "safeshift_plan_" + String(testCase.id.map { $0 == "-" ? "_" : $0 })
    var connection = try PostgresConnection(
      connectingTo: try TestDatabase.createScratchDatabase(name)
    )
    try connection.execute(testCase.schema)
    var analyzer = EffectAnalyzer(settings: EffectSettings(pgVersion: 15), dialect: .postgres)
    analyzer.replaySchema(SQLParser.parse(testCase.schema, path: "schema.sql"))
    let plan = Planner(settings: PlannerSettings(pgVersion: 15)).plan(
      files: [SQLParser.parse(testCase.migration, path: "migration.sql")],
      analyzer: analyzer
    )
    #expect(!plan.hasUnsafeParts, "\(plan.allNotes.filter { $0.kind == .unsafe }.map(\.message))")

    let oldReads = testCase.oldQueries.filter { $0.hasPrefix("SELECT") }
    let newReads = testCase.newQueries.filter { $0.hasPrefix("SELECT") }
    try PlanExecutor.run(.expand, of: plan, on: &connection)
    try runAll(testCase.oldQueries, "old version after expand", &connection)
    try PlanExecutor.run(.migrate, of: plan, on: &connection)
    try runAll(oldReads, "old version after migrate", &connection)
    try runAll(testCase.newQueries, "new version after migrate", &connection)
    try check(testCase.afterMigrate, "after migrate", &connection)
    try PlanExecutor.run(.contract, of: plan, on: &connection)
    try runAll(
      newReads + testCase.newQueriesAfterContract,
      "new version after contract",
      &connection
    )
    try check(testCase.afterContract, "after contract", &connection)

    // Running every phase again changes nothing and fails nowhere.
    let before = try snapshot(&connection)
    for phase in MigrationPhase.allCases { try PlanExecutor.run(phase, of: plan, on: &connection) }
    #expect(try snapshot(&connection) == before)
  }

  @Test func generatedSQLFilesApplyStatementByStatement() throws {
    let testCase = try #require(roundTripCases.first)
    var connection = try PostgresConnection(
      connectingTo: try TestDatabase.createScratchDatabase("safeshift_plan_files")
    )
    try connection.execute(testCase.schema)
    var analyzer = EffectAnalyzer(settings: EffectSettings(pgVersion: 15), dialect: .postgres)
    analyzer.replaySchema(SQLParser.parse(testCase.schema, path: "schema.sql"))
    let plan = Planner(settings: PlannerSettings(pgVersion: 15)).plan(
      files: [SQLParser.parse(testCase.migration, path: "migration.sql")],
      analyzer: analyzer
    )
    let renderer = PlanRenderer(plan: plan)
    for phase in MigrationPhase.allCases {
      // As psql runs a file: one statement at a time.
      let file = SQLParser.parse(renderer.sql(for: phase), path: "\(phase.rawValue).sql")
      for statement in file.statements {
        try connection.execute(file.source.text(statement.range))
      }
      if phase == .migrate {
        for spec in plan.backfills { try PlanExecutor.backfill(spec, on: &connection) }
      }
    }
    let names = try connection.query("SELECT full_name FROM users ORDER BY id", []).map {
      $0.first ?? nil
    }
    #expect(names == ["Ada Lovelace", "Alan Turing", "Grace Hopper"])
  }

  @Test func failedConcurrentIndexBuildIsCleanedUpOnRetry() throws {
    var connection = try PostgresConnection(
      connectingTo: try TestDatabase.createScratchDatabase("safeshift_plan_retry")
    )
    let schema = """
      CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL);
      INSERT INTO members VALUES (1, 'a@example.com'), (2, 'b@example.com'), (3, 'a@example.com');
      """
    try connection.execute(schema)
    var analyzer = EffectAnalyzer(settings: EffectSettings(pgVersion: 15), dialect: .postgres)
    analyzer.replaySchema(SQLParser.parse(schema, path: "schema.sql"))
    let plan = Planner(settings: PlannerSettings(pgVersion: 15)).plan(
      files: [
        SQLParser.parse("CREATE UNIQUE INDEX members_email_key ON members (email);", path: "m.sql")
      ],
      analyzer: analyzer
    )
    // The duplicate makes the build fail and leaves an INVALID index behind.
    #expect(throws: DriverError.self) { try PlanExecutor.run(.expand, of: plan, on: &connection) }
    let leftover = try connection.query(
      "SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('members_email_key')",
      []
    )
    #expect(leftover == [["false"]])
    // Fix the data and retry: the cleanup drops the leftover, the build succeeds.
    try connection.execute("DELETE FROM members WHERE id = 3")
    try PlanExecutor.run(.expand, of: plan, on: &connection)
    let rebuilt = try connection.query(
      "SELECT indisvalid::text FROM pg_index WHERE indexrelid = to_regclass('members_email_key')",
      []
    )
    #expect(rebuilt == [["true"]])
  }

  private func runAll(_ queries: [String], _ moment: String, _ connection: inout PostgresConnection)
    throws
  {
    for query in queries {
      do {
        _ = try connection.query(query, [])
      } catch {
        Issue.record("\(moment): \(query) failed: \(error)")
      }
    }
  }

  private func check(
    _ checks: [(String, [String?])],
    _ moment: String,
    _ connection: inout PostgresConnection
  ) throws {
    for (query, expected) in checks {
      let rows = try connection.query(query, []).map { $0.first ?? nil }
      #expect(rows == expected, "\(moment): \(query)")
    }
  }

  /// Every user table's rows and the schema's columns, constraints and indexes, as text.
  private func snapshot(_ connection: inout PostgresConnection) throws -> [[String?]] {
    try connection.query(
      """
      SELECT c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL SELECT conname || ':' || convalidated FROM pg_constraint WHERE connamespace = 'public'::regnamespace
      UNION ALL SELECT indexrelid::regclass::text || ':' || indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        WHERE c.relnamespace = 'public'::regnamespace
      ORDER BY 1
      """,
      []
    )
  }
}
