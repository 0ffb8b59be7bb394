import Foundation
import ShiftDatabase
import ShiftSQLite
import ShiftSchema
import Testing

/// Real database files: journal modes, the busy timeout against a second connection's
/// lock, typed errors with result codes, and the sizes introspection reads.
@Suite
struct SQLiteConnectionTests {
  /// A fresh directory for database files, removed afterwards.
  final class Directory {
    let url: URL

    init() throws {
      url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "safeshift-sqlite-\(UUID().uuidString)"
      )
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  }

  @Test("the journal mode is read: delete by default, wal once set", .timeLimit(.minutes(1)))
  func journalModes() throws {
    let directory = try Directory()
    var plain = try SQLiteConnection(path: directory.path("plain.db"))
    try plain.execute("CREATE TABLE t (id integer PRIMARY KEY)")
    #expect(try plain.journalMode() == "delete")
    var wal = try SQLiteConnection(path: directory.path("wal.db"))
    try wal.execute("PRAGMA journal_mode = WAL; CREATE TABLE t (id integer PRIMARY KEY)")
    #expect(try wal.journalMode() == "wal")
    // WAL is persistent: a new connection (read-only, as lint opens it) sees it too.
    var reader = try SQLiteConnection(path: directory.path("wal.db"), readOnly: true)
    #expect(try SQLiteIntrospector.introspect(&reader).journalMode == "wal")
    var plainReader = try SQLiteConnection(path: directory.path("plain.db"), readOnly: true)
    #expect(try SQLiteIntrospector.introspect(&plainReader).journalMode == "delete")
  }

  @Test(
    "a write lock held by another connection gives a typed busy error after the timeout",
    .timeLimit(.minutes(1))
  )
  func busyTimeout() throws {
    let directory = try Directory()
    let path = directory.path("busy.db")
    var holder = try SQLiteConnection(path: path)
    try holder.execute("CREATE TABLE t (id integer PRIMARY KEY)")
    try holder.execute("BEGIN IMMEDIATE")
    try holder.execute("INSERT INTO t VALUES (1)")
    var waiter = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 400)
    #expect(waiter.busyTimeoutMilliseconds == 400)
    let start = ContinuousClock.now
    let error = #expect(throws: DriverError.self) { try waiter.execute("BEGIN IMMEDIATE") }
    let waited = ContinuousClock.now - start
    #expect(error?.kind == .lockTimeout)
    #expect(error.map { $0.resultCode.map { $0 & 0xFF } } == 5)  // SQLITE_BUSY
    #expect(waited >= .milliseconds(350), "gave up after \(waited)")
    #expect(waited < .seconds(5), "waited \(waited)")
    #expect(error.map { "\($0)".contains("SQLite result code 5") } == true)
    // With no timeout the same attempt fails at once.
    waiter.setBusyTimeout(milliseconds: 0)
    let quick = ContinuousClock.now
    #expect(throws: DriverError.self) { try waiter.execute("BEGIN IMMEDIATE") }
    #expect(ContinuousClock.now - quick < .milliseconds(300))
    // Once the holder commits, the waiter gets the lock.
    try holder.execute("COMMIT")
    waiter.setBusyTimeout(milliseconds: 2_000)
    try waiter.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT")
    #expect(try waiter.query("SELECT count(*) FROM t", []) == [["2"]])
  }

  @Test(
    "an exclusive writer blocks readers in rollback-journal mode, not in WAL mode",
    .timeLimit(.minutes(1)),
    arguments: ["delete", "wal"]
  )
  func readersAndWriters(mode: String) throws {
    let directory = try Directory()
    let path = directory.path("\(mode).db")
    var writer = try SQLiteConnection(path: path)
    try writer.execute(
      "PRAGMA journal_mode = \(mode); CREATE TABLE t (id integer PRIMARY KEY); "
        + "INSERT INTO t VALUES (1)"
    )
    var reader = try SQLiteConnection(path: path, busyTimeoutMilliseconds: 200)
    #expect(try reader.query("SELECT count(*) FROM t", []) == [["1"]])
    // EXCLUSIVE: in rollback-journal mode no other connection may read until COMMIT; in
    // WAL mode it is the same as IMMEDIATE, and readers see the last committed data.
    try writer.execute("BEGIN EXCLUSIVE; INSERT INTO t VALUES (2)")
    if mode == "wal" {
      #expect(try reader.query("SELECT count(*) FROM t", []) == [["1"]])
    } else {
      let error = #expect(throws: DriverError.self) {
        _ = try reader.query("SELECT count(*) FROM t", [])
      }
      #expect(error?.kind == .lockTimeout)
    }
    try writer.execute("COMMIT")
    #expect(try reader.query("SELECT count(*) FROM t", []) == [["2"]])
  }

  @Test("errors are typed and carry SQLite's result code", .timeLimit(.minutes(1)))
  func typedErrors() throws {
    let directory = try Directory()
    let missing = #expect(throws: DriverError.self) {
      _ = try SQLiteConnection(path: directory.path("absent.db"), readOnly: true)
    }
    #expect(missing?.kind == .connectionFailed)
    #expect(missing.map { $0.resultCode.map { $0 & 0xFF } } == 14)  // SQLITE_CANTOPEN
    var connection = try SQLiteConnection(path: ":memory:")
    let syntax = #expect(throws: DriverError.self) { try connection.execute("SELEC 1") }
    #expect(syntax?.kind == .sqliteError(code: 1))
    try connection.execute("CREATE TABLE t (id integer PRIMARY KEY, v text UNIQUE)")
    try connection.execute("INSERT INTO t VALUES (1, 'a')")
    let unique = #expect(throws: DriverError.self) {
      _ = try connection.query("INSERT INTO t VALUES (2, ?)", ["a"])
    }
    #expect(unique?.kind == .sqliteError(code: 19))  // SQLITE_CONSTRAINT
    #expect(unique?.resultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
    #expect(unique?.sql == "INSERT INTO t VALUES (2, ?)")
  }

  @Test("introspection reads row counts after ANALYZE and sizes from dbstat")
  func sizes() throws {
    let directory = try Directory()
    var connection = try SQLiteConnection(path: directory.path("sizes.db"))
    try connection.execute(
      """
      CREATE TABLE big (id integer PRIMARY KEY, payload text);
      CREATE INDEX big_payload ON big (payload);
      CREATE TABLE small (id integer PRIMARY KEY);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO big SELECT i, printf('%0200d', i) FROM n;
      INSERT INTO small VALUES (1), (2);
      ANALYZE;
      """
    )
    let database = try SQLiteIntrospector.introspect(&connection)
    let big = try #require(database.catalog.tables[ObjectName(schema: "main", name: "big")])
    let small = try #require(database.catalog.tables[ObjectName(schema: "main", name: "small")])
    #expect(big.estimatedRows == 5000)
    #expect(small.estimatedRows == 2)
    let hasDBStat = (try? connection.query("SELECT count(*) FROM dbstat", [])) != nil
    if hasDBStat {
      // 5,000 rows of 200+ bytes, in the table and again in the index.
      #expect((big.sizeBytes ?? 0) > 2 * 1_000_000)
      #expect((small.sizeBytes ?? 0) > 0)
    } else {
      #expect(big.sizeBytes == nil)
    }
  }
}
