import Foundation
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import Testing

@Suite
struct LockModeTests {
  @Test("modes are ordered by strength and spelled as in the docs")
  func orderAndSpelling() {
    #expect(LockMode.allCases.sorted() == LockMode.allCases)
    #expect(LockMode.allCases.max() == .accessExclusive)
    #expect(LockMode.shareRowExclusive.rawValue == "SHARE ROW EXCLUSIVE")
    #expect(LockMode(rawValue: "ACCESS EXCLUSIVE") == .accessExclusive)
    #expect("\(LockMode.shareUpdateExclusive)" == "SHARE UPDATE EXCLUSIVE")
  }

  @Test("pg_locks names map both ways", arguments: LockMode.allCases)
  func postgresNames(_ mode: LockMode) {
    #expect(LockMode(postgresName: mode.postgresName) == mode)
    #expect(mode.postgresName.hasSuffix("Lock"))
  }

  @Test("names that are not table lock modes are rejected")
  func unknownNames() {
    #expect(LockMode(postgresName: "SIReadLock") == nil)
    #expect(LockMode(postgresName: "ACCESS EXCLUSIVE") == nil)
  }

  @Test("the conflict table is symmetric and matches the documented rows")
  func conflictTable() {
    for mode in LockMode.allCases {
      for other in LockMode.allCases {
        #expect(mode.conflicts(with: other) == other.conflicts(with: mode), "\(mode) \(other)")
      }
    }
    func conflicting(_ mode: LockMode) -> [LockMode] {
      LockMode.allCases.filter(mode.conflicts(with:))
    }
    #expect(conflicting(.accessShare) == [.accessExclusive])
    #expect(conflicting(.rowShare) == [.exclusive, .accessExclusive])
    #expect(
      conflicting(.rowExclusive) == [.share, .shareRowExclusive, .exclusive, .accessExclusive]
    )
    #expect(
      conflicting(.shareUpdateExclusive) == [
        .shareUpdateExclusive, .share, .shareRowExclusive, .exclusive, .accessExclusive,
      ]
    )
    #expect(
      conflicting(.share) == [
        .rowExclusive, .shareUpdateExclusive, .shareRowExclusive, .exclusive, .accessExclusive,
      ]
    )
    #expect(conflicting(.accessExclusive) == LockMode.allCases)
  }

  @Test("only ACCESS EXCLUSIVE blocks reads; SHARE and up block writes")
  func blocking() {
    #expect(LockMode.allCases.filter(\.blocksReads) == [.accessExclusive])
    #expect(
      LockMode.allCases.filter(\.blocksWrites) == [
        .share, .shareRowExclusive, .exclusive, .accessExclusive,
      ]
    )
  }
}

@Suite
struct PostgresIdentifierTests {
  @Test(
    "identifiers are always quoted, embedded quotes doubled",
    arguments: [
      ("users", #""users""#),
      ("Users", #""Users""#),
      ("my table", #""my table""#),
      (#"a"b"#, #""a""b""#),
      (#""""#, #""""""""#),
      ("select", #""select""#),
      ("", #""""#),
      ("ünïcödé", #""ünïcödé""#),
    ]
  )
  func quoting(_ name: String, _ quoted: String) {
    #expect(PostgresIdentifier.quote(name) == quoted)
  }

  @Test("qualified names quote both parts")
  func qualified() {
    let name = RelationName(schema: "My Schema", name: #"t"1"#)
    #expect(PostgresIdentifier.quote(name) == #""My Schema"."t""1""#)
  }
}

@Suite
struct TransactionBlockRuleTests {
  @Test(
    "statements PostgreSQL refuses inside a transaction block are recognised",
    arguments: [
      ("CREATE INDEX CONCURRENTLY i ON t (a)", true),
      ("create unique index concurrently if not exists i on t (a)", true),
      ("DROP INDEX CONCURRENTLY i", true),
      ("REINDEX INDEX CONCURRENTLY i", true),
      ("REINDEX (VERBOSE) TABLE CONCURRENTLY t", true),
      ("REINDEX SCHEMA s", true),
      ("VACUUM FULL t", true),
      ("vacuum (analyze) t", true),
      ("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", true),
      ("CLUSTER", true),
      ("CREATE DATABASE d", true),
      ("ALTER SYSTEM SET work_mem = '1MB'", true),
      ("-- CREATE INDEX CONCURRENTLY\n/* VACUUM */ CREATE INDEX i ON t (a)", false),
      ("CREATE INDEX i ON t (a)", false),
      ("CREATE INDEX \"concurrently\" ON t (a)", false),
      ("REFRESH MATERIALIZED VIEW CONCURRENTLY v", false),
      ("REINDEX TABLE t", false),
      ("ALTER TABLE p DETACH PARTITION c", false),
      ("ALTER TABLE t ADD COLUMN c text DEFAULT 'VACUUM CONCURRENTLY'", false),
      ("ALTER TYPE mood ADD VALUE 'x'", false),
      ("CLUSTER t USING i", false),
      ("SELECT $$ DETACH CONCURRENTLY $$", false),
    ]
  )
  func classification(_ sql: String, _ forbidden: Bool) {
    #expect(StatementTracer.cannotRunInTransactionBlock(sql) == forbidden)
  }
}

/// A scratch database for the tracer's own tests, created once per test process.
enum TracerDatabase {
  static let url: Result<String, any Error> = Result {
    try TestDatabase.createScratchDatabase("safeshift_tracer")
  }

  /// A session on a fresh `tracer` schema holding `accounts` (3 rows).
  static func connect() throws -> PostgresConnection {
    var connection = try PostgresConnection(connectingTo: try url.get())
    try connection.execute(
      """
      SET client_min_messages = warning;
      DROP SCHEMA IF EXISTS tracer CASCADE;
      CREATE SCHEMA tracer;
      SET search_path = tracer;
      CREATE TABLE accounts (id integer PRIMARY KEY, name text);
      INSERT INTO accounts VALUES (1, 'a'), (2, 'b'), (3, 'c');
      """
    )
    return connection
  }

  static func value(_ connection: inout PostgresConnection, _ sql: String) throws -> String? {
    try connection.query(sql, []).first?.first ?? nil
  }
}

@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct StatementTracerTests {
  static let accounts = RelationName(schema: "tracer", name: "accounts")

  @Test("the traced statement is rolled back", .timeLimit(.minutes(1)))
  func rollsBack() throws {
    var connection = try TracerDatabase.connect()
    let tracer = StatementTracer()
    let added = try tracer.trace("ALTER TABLE accounts ADD COLUMN extra integer", on: &connection)
    #expect(added.execution == .rolledBack)
    #expect(added.tableLocks == [Self.accounts: .accessExclusive])
    #expect(added.alteredRelations.map(\.name).contains(Self.accounts))
    let deleted = try tracer.trace("DELETE FROM accounts", on: &connection)
    #expect(deleted.tableLocks == [Self.accounts: .rowExclusive])
    #expect(try TracerDatabase.value(&connection, "SELECT count(*) FROM accounts") == "3")
    let columns = try TracerDatabase.value(
      &connection,
      "SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attnum > 0"
    )
    #expect(columns == "2")
  }

  @Test("with .commit the statement persists", .timeLimit(.minutes(1)))
  func commits() throws {
    var connection = try TracerDatabase.connect()
    let result = try StatementTracer(completion: .commit)
      .trace("INSERT INTO accounts VALUES (4, 'd')", on: &connection)
    #expect(result.execution == .committed)
    #expect(try TracerDatabase.value(&connection, "SELECT count(*) FROM accounts") == "4")
  }

  @Test(
    "the statement's own scans show in the transaction's statistics (PostgreSQL 15)",
    .timeLimit(.minutes(1))
  )
  func ownScansAreVisible() throws {
    var connection = try TracerDatabase.connect()
    let result = try StatementTracer().trace("SELECT count(*) FROM accounts", on: &connection)
    let scan = try #require(result.scans.first { $0.table == Self.accounts })
    #expect(scan.sequentialScans == 1)
    #expect(scan.rowsRead == 3)
    #expect(result.scannedTables == [Self.accounts])
    #expect(result.tableLocks == [Self.accounts: .accessShare])
    #expect(result.rewrittenRelations.isEmpty)
    #expect(result.alteredRelations.isEmpty)
  }

  @Test("the tracer's own queries leave no trace", .timeLimit(.minutes(1)))
  func noSelfObservation() throws {
    var connection = try TracerDatabase.connect()
    let result = try StatementTracer().trace("SELECT 1", on: &connection)
    #expect(result.locksObserved)
    #expect(result.locks.isEmpty)
    #expect(result.scans.isEmpty)
    #expect(result.rewrittenRelations.isEmpty)
    #expect(result.createdRelations.isEmpty)
    #expect(result.droppedRelations.isEmpty)
    #expect(result.alteredRelations.isEmpty)
    #expect(result.notes.isEmpty)
    #expect(result.serverVersion >= 150_000)
  }

  @Test(
    "CREATE INDEX CONCURRENTLY runs outside a transaction and persists",
    .timeLimit(.minutes(1))
  )
  func concurrentlyRunsOutsideTransaction() throws {
    var connection = try TracerDatabase.connect()
    let result = try StatementTracer().trace(
      "CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name)",
      on: &connection
    )
    #expect(result.execution == .outsideTransaction)
    #expect(!result.locksObserved)
    #expect(result.locks.isEmpty)
    #expect(result.notes.contains { $0.contains("could not be observed") })
    let index = ObservedRelation(
      name: RelationName(schema: "tracer", name: "accounts_name_idx"),
      kind: .index,
      table: Self.accounts
    )
    #expect(result.createdRelations == [index])
    #expect(result.scannedTables == [Self.accounts])
    let valid = try TracerDatabase.value(
      &connection,
      "SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_name_idx'::regclass"
    )
    #expect(valid == "t")
  }

  @Test(
    "a statement that needs to run outside a transaction is refused when not allowed",
    .timeLimit(.minutes(1))
  )
  func outsideTransactionCanBeRefused() throws {
    var connection = try TracerDatabase.connect()
    let tracer = StatementTracer(allowsOutsideTransaction: false)
    let error = #expect(throws: DriverError.self) {
      try tracer.trace(
        "CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name)",
        on: &connection
      )
    }
    #expect(error?.sqlstate == "25001")
    #expect(try TracerDatabase.value(&connection, "SELECT to_regclass('accounts_name_idx')") == nil)
  }

  @Test(
    "transaction control and multi-statement text are refused",
    .timeLimit(.minutes(1)),
    arguments: [
      ("COMMIT", "0A000"), ("begin", "0A000"), ("SAVEPOINT s", "0A000"),
      ("SELECT 1; SELECT 2", "42601"),
    ]
  )
  func refusals(_ sql: String, _ sqlstate: String) throws {
    var connection = try TracerDatabase.connect()
    let error = #expect(throws: DriverError.self) {
      try StatementTracer().trace(sql, on: &connection)
    }
    #expect(error?.sqlstate == sqlstate)
    // The session is idle and usable again.
    #expect(try StatementTracer().trace("SELECT 1", on: &connection).execution == .rolledBack)
  }

  @Test("a caller's open transaction is left alone", .timeLimit(.minutes(1)))
  func callersTransactionIsLeftAlone() throws {
    var connection = try TracerDatabase.connect()
    try connection.execute("BEGIN")
    try connection.execute("INSERT INTO accounts VALUES (5, 'e')")
    let error = #expect(throws: DriverError.self) {
      try StatementTracer().trace("SELECT 1", on: &connection)
    }
    #expect(error?.sqlstate == "25001")
    try connection.execute("COMMIT")
    #expect(try TracerDatabase.value(&connection, "SELECT count(*) FROM accounts") == "4")
  }

  @Test(
    "a failing statement is rolled back and its SQLSTATE reported",
    .timeLimit(.minutes(1))
  )
  func failingStatement() throws {
    var connection = try TracerDatabase.connect()
    let error = #expect(throws: DriverError.self) {
      try StatementTracer().trace(
        "ALTER TABLE accounts ADD COLUMN required integer NOT NULL",
        on: &connection
      )
    }
    #expect(error?.sqlstate == "23502")
    #expect(try StatementTracer().trace("SELECT 1", on: &connection).locks.isEmpty)
    let columns = try TracerDatabase.value(
      &connection,
      "SELECT count(*) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attnum > 0"
    )
    #expect(columns == "2")
  }

  @Test("settings apply to the traced statement only", .timeLimit(.minutes(1)))
  func settingsAreScoped() throws {
    var connection = try TracerDatabase.connect()
    let before = try TracerDatabase.value(&connection, "SHOW TimeZone")
    let inside = StatementTracer(settings: [.init("TimeZone", "America/New_York")])
    _ = try inside.trace("SELECT 1", on: &connection)
    #expect(try TracerDatabase.value(&connection, "SHOW TimeZone") == before)
    let outside = StatementTracer(settings: [.init("TimeZone", "Asia/Tokyo")])
    _ = try outside.trace("VACUUM accounts", on: &connection)
    #expect(try TracerDatabase.value(&connection, "SHOW TimeZone") == before)
  }

  @Test("renamed and dropped relations keep their names from before", .timeLimit(.minutes(1)))
  func namesFromBefore() throws {
    var connection = try TracerDatabase.connect()
    let renamed = try StatementTracer().trace(
      "ALTER TABLE accounts RENAME TO clients",
      on: &connection
    )
    #expect(renamed.tableLocks == [Self.accounts: .accessExclusive])
    let change = try #require(renamed.alteredRelations.first { $0.name == Self.accounts })
    #expect(change.newName == RelationName(schema: "tracer", name: "clients"))

    let dropped = try StatementTracer().trace("DROP TABLE accounts", on: &connection)
    #expect(dropped.tableLocks == [Self.accounts: .accessExclusive])
    let droppedKinds = dropped.droppedRelations.map(\.kind)
    #expect(dropped.droppedRelations.contains { $0.name == Self.accounts && $0.kind == .table })
    #expect(droppedKinds.contains(.index))
    #expect(droppedKinds.contains(.toastTable))
    let pkey = try #require(dropped.droppedRelations.first { $0.name.name == "accounts_pkey" })
    #expect(pkey.table == Self.accounts)
    #expect(dropped.droppedRelations.filter(\.kind.isTOAST).count == 2)
    #expect(
      dropped.droppedRelations.filter(\.kind.isTOAST).allSatisfy { $0.table == Self.accounts }
    )
  }

  @Test(
    "quoted identifiers round-trip through the server",
    .timeLimit(.minutes(1)),
    arguments: ["Mixed Case", #"with "quotes""#, "select", "spaced name", "ünïcödé", "a.b"]
  )
  func identifierRoundTrip(_ name: String) throws {
    var connection = try TracerDatabase.connect()
    let relation = RelationName(schema: "tracer", name: name)
    try connection.execute("CREATE TABLE \(PostgresIdentifier.quote(relation)) (id integer)")
    let rows = try connection.query(
      """
      SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2
      """,
      ["tracer", name]
    )
    #expect(rows == [[name]])
    // The server quotes these names the same way.
    #expect(
      try connection.query("SELECT quote_ident($1)", [name]) == [[PostgresIdentifier.quote(name)]]
    )
  }
}

/// ``LockMode/conflicts(with:)`` against the server: a second session asks for each mode
/// with `NOWAIT` while the first holds one.
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct LockConflictTests {
  @Test(
    "the conflict table matches PostgreSQL",
    .timeLimit(.minutes(1)),
    arguments: LockMode.allCases
  )
  func conflicts(_ held: LockMode) throws {
    let url = try TracerDatabase.url.get()
    var holder = try PostgresConnection(connectingTo: url)
    var asker = try PostgresConnection(connectingTo: url)
    try holder.execute(
      """
      SET client_min_messages = warning;
      CREATE SCHEMA IF NOT EXISTS conflicts;
      CREATE TABLE IF NOT EXISTS conflicts.target (id integer)
      """
    )
    let table = PostgresIdentifier.quote(RelationName(schema: "conflicts", name: "target"))
    try holder.execute("BEGIN")
    try holder.execute("LOCK TABLE \(table) IN \(held.rawValue) MODE")
    for requested in LockMode.allCases {
      try asker.execute("BEGIN")
      var waited = false
      do {
        try asker.execute("LOCK TABLE \(table) IN \(requested.rawValue) MODE NOWAIT")
      } catch {
        #expect(error.sqlstate == "55P03")
        waited = true
      }
      try asker.execute("ROLLBACK")
      #expect(waited == held.conflicts(with: requested), "held \(held), asked \(requested)")
    }
    try holder.execute("ROLLBACK")
  }
}
