import Foundation
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import Testing

/// One operation and what PostgreSQL does when it runs on the fixture: the ground truth the
/// analyzer's lock/rewrite/scan model must reproduce. Every expectation is written down, not
/// computed, so the suite keeps checking that the server behaves as the model assumes.
struct LockFact: Sendable, CustomTestStringConvertible {
  /// Short id, also the first column of docs/postgres-lock-facts.md.
  var id: String
  /// Reference row(s) in reference/postgres-hazards.md, `—` when the reference has none.
  var row: String
  var sql: String
  /// Strongest lock per table-like relation that existed before (by name before the
  /// statement); empty for statements run outside a transaction block (not observable).
  var locks: [String: LockMode]
  /// Tables whose heap got new storage.
  var rewrites: Set<String> = []
  /// Tables whose existing rows a sequential scan read.
  var scans: Set<String> = []
  /// Strongest lock per pre-existing index, when the case checks it.
  var indexLocks: [String: LockMode]? = nil
  /// Indexes whose storage was replaced, when the case checks it.
  var rebuiltIndexes: Set<String>? = nil
  /// Relations the statement created (TOAST storage aside), when the case checks it.
  var created: Set<String>? = nil
  /// Run outside a transaction block (`CONCURRENTLY`, `VACUUM`): locks are not observable.
  var outside = false
  var settings: [StatementTracer.Setting] = []
  /// Where the server adds to or disagrees with the reference; shown in the document.
  var note = ""

  var testDescription: String { id }
}

/// The fixture every case runs on, rebuilt before each case in schema `facts` of the
/// scratch database `safeshift_lock_facts`.
enum LockFactsFixture {
  static let schema = "facts"

  /// The scratch database's URL, created once per test process.
  static let database: Result<String, any Error> = Result {
    try TestDatabase.createScratchDatabase("safeshift_lock_facts")
  }

  static let sql = """
    DROP SCHEMA IF EXISTS facts CASCADE;
    CREATE SCHEMA facts;
    SET search_path = facts;
    CREATE TYPE mood AS ENUM ('happy', 'sad');
    CREATE TABLE users (
      id bigint PRIMARY KEY,
      email varchar(40) NOT NULL,
      name text CONSTRAINT users_name_not_null CHECK (name IS NOT NULL),
      nickname varchar(10),
      score integer,
      balance numeric(10, 2),
      created_at timestamp,
      mood mood,
      bio text
    );
    CREATE UNIQUE INDEX users_email_idx ON users (email);
    CREATE INDEX users_score_idx ON users (score);
    INSERT INTO users
    SELECT g, 'user' || g || '@example.com', 'User ' || g, 'u' || g, g, g * 1.5,
      timestamp '2024-01-01' + g * interval '1 hour', 'happy', repeat('x', 10)
    FROM generate_series(1, 50) g;
    ALTER TABLE users ADD CONSTRAINT users_score_nonnegative CHECK (score >= 0) NOT VALID;
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric(10, 2),
      note text);
    INSERT INTO orders SELECT g, 1 + g % 50, g * 2.5, 'order ' || g
    FROM generate_series(1, 200) g;
    CREATE TABLE parents (id integer PRIMARY KEY, name text);
    CREATE TABLE children (id integer PRIMARY KEY, parent_id integer);
    INSERT INTO parents SELECT g, 'p' || g FROM generate_series(1, 20) g;
    INSERT INTO children SELECT g, 1 + g % 20 FROM generate_series(1, 60) g;
    ALTER TABLE children ADD CONSTRAINT children_parent_fk
      FOREIGN KEY (parent_id) REFERENCES parents NOT VALID;
    CREATE TABLE tags (id integer NOT NULL, code integer, label text);
    CREATE UNIQUE INDEX tags_id_idx ON tags (id);
    CREATE UNIQUE INDEX tags_code_idx ON tags (code);
    INSERT INTO tags SELECT g, g, 't' || g FROM generate_series(1, 30) g;
    CREATE UNLOGGED TABLE sessions (id integer PRIMARY KEY, token text);
    INSERT INTO sessions SELECT g, md5(g::text) FROM generate_series(1, 10) g;
    CREATE TABLE events (id integer NOT NULL, happened_on date NOT NULL)
      PARTITION BY RANGE (happened_on);
    CREATE TABLE events_2024 PARTITION OF events
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE events_2025 PARTITION OF events
      FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    CREATE TABLE events_2026 (id integer NOT NULL, happened_on date NOT NULL);
    CREATE TABLE events_2027 (id integer NOT NULL, happened_on date NOT NULL,
      CONSTRAINT events_2027_range
        CHECK (happened_on >= '2027-01-01' AND happened_on < '2028-01-01'));
    INSERT INTO events SELECT g, date '2024-01-01' + g * 7 FROM generate_series(0, 100) g;
    INSERT INTO events_2026 SELECT g, date '2026-01-01' + g FROM generate_series(0, 30) g;
    INSERT INTO events_2027 SELECT g, date '2027-01-01' + g FROM generate_series(0, 30) g;
    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
    CREATE TRIGGER orders_touch BEFORE UPDATE ON orders
      FOR EACH ROW EXECUTE FUNCTION touch();
    ALTER TABLE orders DISABLE TRIGGER orders_touch;
    CREATE MATERIALIZED VIEW order_totals AS
      SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
    CREATE UNIQUE INDEX order_totals_user_idx ON order_totals (user_id);
    ANALYZE users, orders, parents, children, tags, sessions, events, events_2026,
      events_2027, order_totals;
    """

  /// A session on a freshly built fixture, with `search_path` set to its schema.
  static func connect() throws -> PostgresConnection {
    var connection = try PostgresConnection(connectingTo: try database.get())
    try connection.execute("SET client_min_messages = warning")
    try connection.execute(sql)
    return connection
  }
}

@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct PostgresLockFactsTests {
  // Abbreviations for the table below.
  static let accessShare = LockMode.accessShare
  static let rowShare = LockMode.rowShare
  static let rowExclusive = LockMode.rowExclusive
  static let shareUpdateExclusive = LockMode.shareUpdateExclusive
  static let share = LockMode.share
  static let shareRowExclusive = LockMode.shareRowExclusive
  static let exclusive = LockMode.exclusive
  static let accessExclusive = LockMode.accessExclusive

  /// Measured on PostgreSQL 15.18. Keep docs/postgres-lock-facts.md in step (a test below
  /// checks it).
  static let facts: [LockFact] = [
    // MARK: ADD COLUMN
    LockFact(
      id: "add-column-nullable",
      row: "1",
      sql: "ALTER TABLE users ADD COLUMN nick2 text",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "add-column-constant-default",
      row: "2, 5",
      sql: "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "add-column-volatile-default",
      row: "3",
      sql: "ALTER TABLE users ADD COLUMN token double precision DEFAULT random()",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"],
      rebuiltIndexes: ["users_pkey", "users_email_idx", "users_score_idx"]
    ),
    LockFact(
      id: "add-column-serial",
      row: "6",
      sql: "ALTER TABLE users ADD COLUMN seq_no serial",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"],
      created: ["users_seq_no_seq"]
    ),
    LockFact(
      id: "add-column-identity",
      row: "7",
      sql: "ALTER TABLE users ADD COLUMN ident bigint GENERATED ALWAYS AS IDENTITY",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"],
      created: ["users_ident_seq"]
    ),
    LockFact(
      id: "add-column-stored-generated",
      row: "8",
      sql:
        "ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"]
    ),

    // MARK: NOT NULL and DEFAULT
    LockFact(
      id: "set-not-null",
      row: "16",
      sql: "ALTER TABLE users ALTER COLUMN bio SET NOT NULL",
      locks: ["users": accessExclusive],
      scans: ["users"]
    ),
    LockFact(
      id: "set-not-null-with-valid-check",
      row: "16",
      sql: "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
      locks: ["users": accessExclusive],
      note: "no scan: the valid CHECK (name IS NOT NULL) proves it"
    ),
    LockFact(
      id: "drop-not-null",
      row: "17",
      sql: "ALTER TABLE users ALTER COLUMN email DROP NOT NULL",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "set-default",
      row: "18",
      sql: "ALTER TABLE users ALTER COLUMN score SET DEFAULT 0",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "drop-default",
      row: "19",
      sql: "ALTER TABLE users ALTER COLUMN score DROP DEFAULT",
      locks: ["users": accessExclusive]
    ),

    // MARK: SET DATA TYPE
    LockFact(
      id: "type-varchar-widen",
      row: "14",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE varchar(20)",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "type-varchar-to-text",
      row: "14",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE text",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "type-varchar-to-text-indexed",
      row: "14",
      sql: "ALTER TABLE users ALTER COLUMN email TYPE text",
      locks: ["users": accessExclusive],
      indexLocks: ["users_email_idx": accessExclusive],
      rebuiltIndexes: [],
      note: "the index is dropped and recreated on its old storage: no rebuild, no scan"
    ),
    LockFact(
      id: "type-int-to-bigint",
      row: "13",
      sql: "ALTER TABLE users ALTER COLUMN score TYPE bigint",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"],
      rebuiltIndexes: ["users_pkey", "users_email_idx", "users_score_idx"]
    ),
    LockFact(
      id: "type-numeric-widen",
      row: "14",
      sql: "ALTER TABLE users ALTER COLUMN balance TYPE numeric(12, 2)",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "type-varchar-narrow",
      row: "13",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE varchar(5)",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"]
    ),
    LockFact(
      id: "type-enum-to-text",
      row: "13",
      sql: "ALTER TABLE users ALTER COLUMN mood TYPE text",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"]
    ),
    LockFact(
      id: "type-timestamp-to-timestamptz-utc",
      row: "14",
      sql: "ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz",
      locks: ["users": accessExclusive],
      settings: [.init("TimeZone", "UTC")]
    ),
    LockFact(
      id: "type-timestamp-to-timestamptz-other-zone",
      row: "11, 13",
      sql: "ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"],
      settings: [.init("TimeZone", "America/New_York")],
      note: "TimeZone=America/New_York"
    ),

    // MARK: CHECK and FOREIGN KEY
    LockFact(
      id: "add-check",
      row: "20",
      sql: "ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (length(email) > 0)",
      locks: ["users": accessExclusive],
      scans: ["users"]
    ),
    LockFact(
      id: "add-check-not-valid",
      row: "20",
      sql: "ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (length(email) > 0) NOT VALID",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "validate-check",
      row: "22",
      sql: "ALTER TABLE users VALIDATE CONSTRAINT users_score_nonnegative",
      locks: ["users": shareUpdateExclusive],
      scans: ["users"]
    ),
    // The reference says the referencing table is scanned; the validation query is a join,
    // and on this fixture it reads the referenced table sequentially too.
    LockFact(
      id: "add-foreign-key",
      row: "21",
      sql:
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users",
      locks: ["orders": shareRowExclusive, "users": shareRowExclusive],
      scans: ["orders", "users"],
      note: "the validation join also reads the referenced table"
    ),
    LockFact(
      id: "add-foreign-key-not-valid",
      row: "21",
      sql: """
        ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users \
        NOT VALID
        """,
      locks: ["orders": shareRowExclusive, "users": shareRowExclusive]
    ),
    LockFact(
      id: "validate-foreign-key",
      row: "22",
      sql: "ALTER TABLE children VALIDATE CONSTRAINT children_parent_fk",
      locks: ["children": shareUpdateExclusive, "parents": rowShare],
      scans: ["children", "parents"],
      note: "the validation join also reads the referenced table"
    ),
    // Server adds to the reference (row 41 says only ACCESS EXCLUSIVE): the referenced table
    // is locked ACCESS EXCLUSIVE too (its RI triggers are dropped).
    LockFact(
      id: "drop-foreign-key",
      row: "41",
      sql: "ALTER TABLE children DROP CONSTRAINT children_parent_fk",
      locks: ["children": accessExclusive, "parents": accessExclusive],
      note: "ACCESS EXCLUSIVE on the referenced table too"
    ),

    // MARK: UNIQUE and PRIMARY KEY
    LockFact(
      id: "add-unique",
      row: "24",
      sql: "ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name)",
      locks: ["users": accessExclusive],
      scans: ["users"],
      created: ["users_name_key"]
    ),
    LockFact(
      id: "add-unique-using-index",
      row: "24",
      sql: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx",
      locks: ["users": accessExclusive],
      indexLocks: ["users_email_idx": shareUpdateExclusive],
      created: []
    ),
    LockFact(
      id: "add-primary-key",
      row: "25",
      sql: "ALTER TABLE tags ADD PRIMARY KEY (id)",
      locks: ["tags": accessExclusive],
      scans: ["tags"],
      created: ["tags_pkey"]
    ),
    LockFact(
      id: "add-primary-key-nullable",
      row: "25",
      sql: "ALTER TABLE tags ADD PRIMARY KEY (code)",
      locks: ["tags": accessExclusive],
      scans: ["tags"],
      created: ["tags_pkey"],
      note: "two sequential scans: SET NOT NULL and the index build"
    ),
    LockFact(
      id: "add-primary-key-using-index",
      row: "26",
      sql: "ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_id_idx",
      locks: ["tags": accessExclusive],
      indexLocks: ["tags_id_idx": shareUpdateExclusive]
    ),
    LockFact(
      id: "add-primary-key-using-index-nullable",
      row: "26",
      sql: "ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY USING INDEX tags_code_idx",
      locks: ["tags": accessExclusive],
      scans: ["tags"],
      indexLocks: ["tags_code_idx": shareUpdateExclusive]
    ),

    // MARK: Indexes
    LockFact(
      id: "create-index",
      row: "28",
      sql: "CREATE INDEX users_name_idx ON users (name)",
      locks: ["users": share],
      scans: ["users"],
      created: ["users_name_idx"]
    ),
    LockFact(
      id: "create-index-concurrently",
      row: "29, 30",
      sql: "CREATE INDEX CONCURRENTLY users_name_idx ON users (name)",
      locks: [:],
      scans: ["users"],
      created: ["users_name_idx"],
      outside: true
    ),
    LockFact(
      id: "drop-index",
      row: "31",
      sql: "DROP INDEX users_score_idx",
      locks: ["users": accessExclusive],
      indexLocks: ["users_score_idx": accessExclusive]
    ),
    LockFact(
      id: "drop-index-concurrently",
      row: "29",
      sql: "DROP INDEX CONCURRENTLY users_score_idx",
      locks: [:],
      outside: true
    ),
    // Server vs reference: the reference lists REINDEX under ACCESS EXCLUSIVE; PostgreSQL 15
    // takes SHARE on the table and ACCESS EXCLUSIVE only on the index being rebuilt.
    LockFact(
      id: "reindex-index",
      row: "32",
      sql: "REINDEX INDEX users_email_idx",
      locks: ["users": share],
      scans: ["users"],
      indexLocks: ["users_email_idx": accessExclusive],
      rebuiltIndexes: ["users_email_idx"],
      note: "SHARE on the table (the reference says ACCESS EXCLUSIVE); AE on the index"
    ),
    LockFact(
      id: "reindex-table",
      row: "32",
      sql: "REINDEX TABLE users",
      locks: ["users": share],
      scans: ["users"],
      indexLocks: [
        "users_pkey": accessExclusive, "users_email_idx": accessExclusive,
        "users_score_idx": accessExclusive,
      ],
      rebuiltIndexes: ["users_pkey", "users_email_idx", "users_score_idx"],
      note: "SHARE on the table (the reference says ACCESS EXCLUSIVE); AE on each index"
    ),
    LockFact(
      id: "reindex-concurrently",
      row: "32",
      sql: "REINDEX INDEX CONCURRENTLY users_email_idx",
      locks: [:],
      scans: ["users"],
      rebuiltIndexes: ["users_email_idx"],
      outside: true
    ),
    // Not in the reference: renaming an index takes SHARE UPDATE EXCLUSIVE on the index only.
    LockFact(
      id: "rename-index",
      row: "—",
      sql: "ALTER INDEX users_email_idx RENAME TO users_email_index",
      locks: [:],
      indexLocks: ["users_email_idx": shareUpdateExclusive],
      note: "no table lock; SHARE UPDATE EXCLUSIVE on the index"
    ),

    // MARK: Rewrites and storage
    LockFact(
      id: "cluster",
      row: "33",
      sql: "CLUSTER users USING users_pkey",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"],
      rebuiltIndexes: ["users_pkey", "users_email_idx", "users_score_idx"]
    ),
    LockFact(
      id: "vacuum-full",
      row: "33",
      sql: "VACUUM FULL users",
      locks: [:],
      rewrites: ["users"],
      scans: ["users"],
      rebuiltIndexes: ["users_pkey", "users_email_idx", "users_score_idx"],
      outside: true
    ),
    LockFact(
      id: "vacuum",
      row: "—",
      sql: "VACUUM users",
      locks: [:],
      outside: true
    ),
    LockFact(
      id: "set-unlogged",
      row: "34",
      sql: "ALTER TABLE users SET UNLOGGED",
      locks: ["users": accessExclusive],
      rewrites: ["users"],
      scans: ["users"]
    ),
    LockFact(
      id: "set-logged",
      row: "34",
      sql: "ALTER TABLE sessions SET LOGGED",
      locks: ["sessions": accessExclusive],
      rewrites: ["sessions"],
      scans: ["sessions"]
    ),
    // Server vs reference (row 34, "data moved"): nothing moves when the table is already in
    // that tablespace; the lock is taken regardless.
    LockFact(
      id: "set-tablespace-unchanged",
      row: "34",
      sql: "ALTER TABLE users SET TABLESPACE pg_default",
      locks: ["users": accessExclusive],
      note: "already in pg_default: nothing moves, the lock is still taken"
    ),
    // Not in the reference: TRUNCATE swaps in new, empty storage (new relfilenode for the
    // heap, indexes and TOAST), which the relfilenode measure reports as a rewrite.
    LockFact(
      id: "truncate",
      row: "42",
      sql: "TRUNCATE orders",
      locks: ["orders": accessExclusive],
      rewrites: ["orders"],
      note: "new, empty storage (relfilenode changes); nothing is read"
    ),

    // MARK: Triggers
    LockFact(
      id: "create-trigger",
      row: "51",
      sql:
        "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()",
      locks: ["users": shareRowExclusive]
    ),
    LockFact(
      id: "enable-trigger",
      row: "51",
      sql: "ALTER TABLE orders ENABLE TRIGGER orders_touch",
      locks: ["orders": shareRowExclusive]
    ),

    // MARK: LOCK TABLE
    LockFact(
      id: "lock-access-share",
      row: "—",
      sql: "LOCK TABLE users IN ACCESS SHARE MODE",
      locks: ["users": accessShare]
    ),
    LockFact(
      id: "lock-row-share",
      row: "—",
      sql: "LOCK TABLE users IN ROW SHARE MODE",
      locks: ["users": rowShare]
    ),
    LockFact(
      id: "lock-row-exclusive",
      row: "—",
      sql: "LOCK TABLE users IN ROW EXCLUSIVE MODE",
      locks: ["users": rowExclusive]
    ),
    LockFact(
      id: "lock-share-update-exclusive",
      row: "—",
      sql: "LOCK TABLE users IN SHARE UPDATE EXCLUSIVE MODE",
      locks: ["users": shareUpdateExclusive]
    ),
    LockFact(
      id: "lock-share",
      row: "—",
      sql: "LOCK TABLE users IN SHARE MODE",
      locks: ["users": share]
    ),
    LockFact(
      id: "lock-share-row-exclusive",
      row: "—",
      sql: "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE",
      locks: ["users": shareRowExclusive]
    ),
    LockFact(
      id: "lock-exclusive",
      row: "—",
      sql: "LOCK TABLE users IN EXCLUSIVE MODE",
      locks: ["users": exclusive]
    ),
    LockFact(
      id: "lock-access-exclusive",
      row: "—",
      sql: "LOCK TABLE users",
      locks: ["users": accessExclusive]
    ),

    // MARK: Renames and drops
    LockFact(
      id: "rename-column",
      row: "35",
      sql: "ALTER TABLE users RENAME COLUMN bio TO about",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "rename-table",
      row: "36",
      sql: "ALTER TABLE users RENAME TO people",
      locks: ["users": accessExclusive]
    ),
    LockFact(
      id: "drop-column",
      row: "38",
      sql: "ALTER TABLE users DROP COLUMN bio",
      locks: ["users": accessExclusive]
    ),
    // Server adds to the reference (row 39): dropping a table with a foreign key also locks
    // the referenced table ACCESS EXCLUSIVE.
    LockFact(
      id: "drop-table",
      row: "39",
      sql: "DROP TABLE children",
      locks: ["children": accessExclusive, "parents": accessExclusive],
      note: "ACCESS EXCLUSIVE on the table its foreign key references too"
    ),

    // MARK: Data changes
    LockFact(
      id: "update-without-where",
      row: "49",
      sql: "UPDATE users SET score = 0",
      locks: ["users": rowExclusive],
      scans: ["users"],
      indexLocks: [
        "users_pkey": rowExclusive, "users_email_idx": rowExclusive,
        "users_score_idx": rowExclusive,
      ]
    ),
    LockFact(
      id: "delete-without-where",
      row: "49",
      sql: "DELETE FROM orders",
      locks: ["orders": rowExclusive],
      scans: ["orders"]
    ),

    // MARK: Partitions
    LockFact(
      id: "attach-partition",
      row: "50",
      sql: """
        ALTER TABLE events ATTACH PARTITION events_2026 \
        FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
        """,
      locks: ["events": shareUpdateExclusive, "events_2026": accessExclusive],
      scans: ["events_2026"]
    ),
    LockFact(
      id: "attach-partition-with-check",
      row: "50",
      sql: """
        ALTER TABLE events ATTACH PARTITION events_2027 \
        FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')
        """,
      locks: ["events": shareUpdateExclusive, "events_2027": accessExclusive],
      note: "no scan: a valid CHECK implies the partition constraint"
    ),
    LockFact(
      id: "detach-partition",
      row: "50",
      sql: "ALTER TABLE events DETACH PARTITION events_2024",
      locks: ["events": accessExclusive, "events_2024": accessExclusive]
    ),
    LockFact(
      id: "detach-partition-concurrently",
      row: "50",
      sql: "ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY",
      locks: [:],
      outside: true
    ),

    // MARK: Types, views, settings
    LockFact(
      id: "enum-add-value",
      row: "43",
      sql: "ALTER TYPE mood ADD VALUE 'angry'",
      locks: [:],
      note: "no relation lock at all (the type is locked as an object)"
    ),
    LockFact(
      id: "create-materialized-view",
      row: "—",
      sql: "CREATE MATERIALIZED VIEW user_names AS SELECT id, name FROM users",
      locks: ["users": accessShare],
      scans: ["users"],
      created: ["user_names"]
    ),
    LockFact(
      id: "refresh-materialized-view",
      row: "—",
      sql: "REFRESH MATERIALIZED VIEW order_totals",
      locks: ["order_totals": accessExclusive, "orders": accessShare],
      rewrites: ["order_totals"],
      scans: ["orders", "order_totals"],
      note: "the view gets new storage; its index is rebuilt from it"
    ),
    LockFact(
      id: "refresh-materialized-view-concurrently",
      row: "—",
      sql: "REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals",
      locks: ["order_totals": exclusive, "orders": accessShare],
      scans: ["orders", "order_totals"],
      note: "runs in a transaction block; the diff reads the old contents"
    ),
    LockFact(
      id: "set-statistics",
      row: "—",
      sql: "ALTER TABLE users ALTER COLUMN score SET STATISTICS 500",
      locks: ["users": shareUpdateExclusive]
    ),
    LockFact(
      id: "set-fillfactor",
      row: "—",
      sql: "ALTER TABLE users SET (fillfactor = 70)",
      locks: ["users": shareUpdateExclusive]
    ),
  ]

  /// Unqualified names of the fixture's relations; others keep their schema so that an
  /// unexpected one shows up in a failure.
  static func names(_ relations: some Sequence<RelationName>) -> Set<String> {
    Set(relations.map { $0.schema == LockFactsFixture.schema ? $0.name : "\($0)" })
  }

  static func names(_ locks: [RelationName: LockMode]) -> [String: LockMode] {
    Dictionary(
      uniqueKeysWithValues: locks.map {
        ($0.key.schema == LockFactsFixture.schema ? $0.key.name : "\($0.key)", $0.value)
      }
    )
  }

  @Test(
    "PostgreSQL takes the documented locks, rewrites and scans",
    .timeLimit(.minutes(1)),
    arguments: facts
  )
  func fact(_ fact: LockFact) throws {
    var connection = try LockFactsFixture.connect()
    let result = try StatementTracer(settings: fact.settings).trace(fact.sql, on: &connection)
    let context = Comment(rawValue: "\(fact.id): \(result)")
    #expect(result.execution == (fact.outside ? .outsideTransaction : .rolledBack), context)
    #expect(result.locksObserved == !fact.outside, context)
    #expect(Self.names(result.tableLocks) == fact.locks, context)
    #expect(Self.names(result.rewrittenTables) == fact.rewrites, context)
    #expect(Self.names(result.scannedTables) == fact.scans, context)
    if let indexLocks = fact.indexLocks {
      #expect(Self.names(result.indexLocks) == indexLocks, context)
    }
    if let rebuilt = fact.rebuiltIndexes {
      #expect(Self.names(result.rebuiltIndexes) == rebuilt, context)
    }
    if let created = fact.created {
      let relations = result.createdRelations.filter { !$0.kind.isTOAST }
      #expect(Self.names(relations.map(\.name)) == created, context)
    }
  }

  @Test("every case has a unique id")
  func uniqueIDs() {
    #expect(Set(Self.facts.map(\.id)).count == Self.facts.count)
  }
}

/// docs/postgres-lock-facts.md carries the table above; this keeps it from going stale.
/// `RECORD_SNAPSHOTS=1` rewrites the generated part.
@Suite
struct LockFactsDocumentTests {
  static let begin = "<!-- BEGIN GENERATED: PostgresLockFactsTests.facts -->"
  static let end = "<!-- END GENERATED -->"

  static var documentURL: URL {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/postgres-lock-facts.md")
  }

  static func cell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
  }

  static func table() -> String {
    var lines = [
      "| id | ref. row | statement | lock per table | rewrite | scan | note |",
      "|---|---|---|---|---|---|---|",
    ]
    for fact in PostgresLockFactsTests.facts {
      let locks =
        fact.outside
        ? "not observable (outside a transaction)"
        : fact.locks.isEmpty
          ? "none"
          : fact.locks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            .joined(separator: ", ")
      var note = fact.note
      if !fact.settings.isEmpty, note.isEmpty {
        note = fact.settings.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
      }
      let sql = fact.sql.replacingOccurrences(of: "\n", with: " ")
      lines.append(
        "| \(fact.id) | \(fact.row) | `\(cell(sql))` | \(locks) | "
          + "\(fact.rewrites.isEmpty ? "no" : fact.rewrites.sorted().joined(separator: ", ")) | "
          + "\(fact.scans.isEmpty ? "no" : fact.scans.sorted().joined(separator: ", ")) | "
          + "\(cell(note)) |"
      )
    }
    return lines.joined(separator: "\n")
  }

  @Test("docs/postgres-lock-facts.md shows the tested table")
  func documentIsCurrent() throws {
    let document = try String(contentsOf: Self.documentURL, encoding: .utf8)
    guard let start = document.range(of: Self.begin), let stop = document.range(of: Self.end)
    else {
      Issue.record("markers missing in \(Self.documentURL.path)")
      return
    }
    let current = document[start.upperBound..<stop.lowerBound]
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let expected = Self.table()
    if current != expected, ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      let updated =
        document[..<start.upperBound] + "\n" + expected + "\n" + document[stop.lowerBound...]
      try String(updated).write(to: Self.documentURL, atomically: true, encoding: .utf8)
      return
    }
    #expect(current == expected, "re-record with RECORD_SNAPSHOTS=1")
  }
}
