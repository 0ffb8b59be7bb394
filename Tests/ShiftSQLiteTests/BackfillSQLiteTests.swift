import Foundation
import ShiftBackfill
import ShiftDatabase
import ShiftPlanner
import ShiftSQLite
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The backfill engine on real SQLite files: exactly once, concurrent writers, several
/// workers, composite text keys, rowid tables, SIGKILL and resume of the real binary.
@Suite(.timeLimit(.minutes(2)))
struct BackfillSQLiteTests {
  static func temporaryDatabase(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("safeshift-\(name)-\(getpid()).db").path
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
    return path
  }

  static func makeCounterDatabase(_ name: String, rows: Int) throws -> String {
    let path = temporaryDatabase(name)
    var connection = try SQLiteConnection(path: path)
    try connection.execute(
      """
      PRAGMA journal_mode = WAL;
      CREATE TABLE items (id INTEGER PRIMARY KEY, counter INTEGER NOT NULL DEFAULT 0, a TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows))
      INSERT INTO items (id, a) SELECT i, 'v' || i FROM n;
      """
    )
    return path
  }

  static func counterSpec(batch: Int = 300) -> BackfillSpec {
    BackfillSpec(
      name: "items-counter",
      schema: "main",
      table: "items",
      keyColumns: [],
      operation: .update,
      assignments: [.init(column: "counter", expression: "counter + 1")],
      batch: .init(
        targetBatchMilliseconds: 20,
        minBatchSize: 50,
        maxBatchSize: batch,
        initialBatchSize: batch
      )
    )
  }

  static func run(_ spec: BackfillSpec, path: String, _ options: BackfillOptions) throws
    -> BackfillJob.Summary
  {
    var session = try SQLiteConnection(path: path)
    let target = try SQLiteTarget.resolve(spec, on: &session)
    let job = BackfillJob(sql: target.sql, estimatedRows: target.estimatedRows, options: options)
    return try job.run(
      on: &session,
      connect: { () throws(DriverError) in try SQLiteConnection(path: path) }
    )
  }

  @Test func fourWorkersChangeEveryRowExactlyOnce() throws {
    let path = try Self.makeCounterDatabase("four", rows: 20_000)
    var connection = try SQLiteConnection(path: path)
    let summary = try Self.run(
      Self.counterSpec(),
      path: path,
      BackfillOptions(workers: 4, workerName: "w", keysPerRange: 1_000, seed: 1)
    )
    #expect(summary.progress.state == "done")
    #expect(summary.keysWalked == 20_000)
    #expect(
      try connection.query("SELECT counter, count(*) FROM items GROUP BY counter", [])
        == [["1", "20000"]]
    )
    let ranges = try connection.query(
      """
      SELECT count(*), sum(keys_done), sum(batches_done) >= 20
      FROM safeshift_backfill_ranges WHERE state = 'done'
      """,
      []
    )
    // SQLite has one writer at a time: which workers get ranges depends on timing (one fast
    // worker may take them all); every range is done once and every key counted once.
    #expect(ranges == [["20", "20000", "1"]])
    // Done is done: a rerun changes nothing.
    let again = try Self.run(Self.counterSpec(), path: path, BackfillOptions(seed: 1))
    #expect(again.keysWalked == 0)
  }

  @Test func aConcurrentWriterEndsWithExactlyTheRightData() throws {
    let path = Self.temporaryDatabase("writer")
    var connection = try SQLiteConnection(path: path)
    try connection.execute(
      """
      PRAGMA journal_mode = WAL;
      CREATE TABLE people (id INTEGER PRIMARY KEY, first_name TEXT NOT NULL,
        last_name TEXT NOT NULL, full_name TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
      INSERT INTO people (first_name, last_name) SELECT 'f' || i, 'l' || i FROM n;
      CREATE TRIGGER people_insert AFTER INSERT ON people BEGIN
        UPDATE people SET full_name = NEW.first_name || ' ' || NEW.last_name WHERE id = NEW.id;
      END;
      CREATE TRIGGER people_update AFTER UPDATE OF first_name, last_name ON people BEGIN
        UPDATE people SET full_name = NEW.first_name || ' ' || NEW.last_name WHERE id = NEW.id;
      END;
      """
    )
    let stop = Atomic<Bool>(false)
    let writes = Atomic<Int>(0)
    let writer = Thread {
      guard var session = try? SQLiteConnection(path: path) else { return }
      while !stop.load(ordering: .relaxed) {
        let id = String(Int.random(in: 1...20_000))
        if (try? session.query(
          "UPDATE people SET first_name = 'w' || ?1 || '-' || random() WHERE id = ?1",
          [id]
        )) != nil {
          writes.add(1, ordering: .relaxed)
        }
        _ = try? session.query("INSERT INTO people (first_name, last_name) VALUES ('n', ?1)", [id])
      }
    }
    writer.start()
    defer { stop.store(true, ordering: .relaxed) }
    let spec = BackfillSpec(
      name: "people-full-name",
      schema: "main",
      table: "people",
      keyColumns: ["id"],
      operation: .update,
      assignments: [.init(column: "full_name", expression: "first_name || ' ' || last_name")],
      rowFilter: "full_name IS NOT (first_name || ' ' || last_name)",
      batch: .init(
        targetBatchMilliseconds: 10,
        minBatchSize: 50,
        maxBatchSize: 300,
        initialBatchSize: 100
      )
    )
    let summary = try Self.run(
      spec,
      path: path,
      BackfillOptions(workers: 2, workerName: "p", keysPerRange: 5_000, seed: 2)
    )
    stop.store(true, ordering: .relaxed)
    Thread.sleep(forTimeInterval: 0.1)
    #expect(summary.progress.state == "done")
    #expect(writes.load(ordering: .relaxed) > 0)
    #expect(
      try connection.query(
        "SELECT count(*) FROM people WHERE full_name IS NOT (first_name || ' ' || last_name)",
        []
      ) == [["0"]]
    )
  }

  @Test func compositeTextKeysAndRowidTables() throws {
    let path = Self.temporaryDatabase("composite")
    var connection = try SQLiteConnection(path: path)
    try connection.execute(
      #"""
      CREATE TABLE "Odd ""Table""" ("Tenant" TEXT NOT NULL, "key, part" TEXT NOT NULL, done INTEGER,
        PRIMARY KEY ("Tenant", "key, part")) WITHOUT ROWID;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
      INSERT INTO "Odd ""Table""" SELECT t.v, 'k' || i || '''"', 0 FROM n,
        (SELECT 'a' AS v UNION ALL SELECT 'b,"c' UNION ALL SELECT 'é ü') AS t;
      CREATE TABLE heap (a TEXT, b TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
      INSERT INTO heap SELECT 'x' || i, NULL FROM n;
      """#
    )
    let odd = BackfillSpec(
      name: "odd",
      schema: "main",
      table: "Odd \"Table\"",
      keyColumns: [],
      operation: .update,
      assignments: [.init(column: "done", expression: "done + 1")],
      batch: .init(minBatchSize: 10, maxBatchSize: 200, initialBatchSize: 70)
    )
    let first = try Self.run(
      odd,
      path: path,
      BackfillOptions(workers: 2, workerName: "o", keysPerRange: 500, seed: 3)
    )
    #expect(first.keysWalked == 3_000)
    #expect(
      try connection.query("SELECT done, count(*) FROM \"Odd \"\"Table\"\"\" GROUP BY done", [])
        == [["1", "3000"]]
    )
    let heap = BackfillSpec(
      name: "heap",
      schema: "main",
      table: "heap",
      keyColumns: [],
      operation: .update,
      assignments: [.init(column: "b", expression: "upper(a)")],
      batch: .init(minBatchSize: 10, maxBatchSize: 500, initialBatchSize: 100)
    )
    var session = try SQLiteConnection(path: path)
    #expect(try SQLiteTarget.resolve(heap, on: &session).sql.keys.map(\.name) == ["rowid"])
    _ = try Self.run(heap, path: path, BackfillOptions(seed: 4))
    #expect(try connection.query("SELECT count(*) FROM heap WHERE b = upper(a)", []) == [["3000"]])
  }

  /// The `safeshift` executable built next to this test bundle.
  static let binary: URL? = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("safeshift")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return nil
  }()

  @Test func killedAtRandomMomentsThenResumedChangesEveryRowExactlyOnce() throws {
    let path = try Self.makeCounterDatabase("kill", rows: 300_000)
    var connection = try SQLiteConnection(path: path)
    let binary: URL = try #require(Self.binary, "safeshift binary not built")
    func arguments(_ extra: [String]) -> [String] {
      [
        "backfill", "--table", "items", "--set", "counter = counter + 1", "--name", "kill",
        "--database-url", "sqlite:" + path, "--batch-size", "200", "--max-batch-size", "400",
        "--target-batch-ms", "10", "--progress", "none", "--worker-id", "killed",
      ] + extra
    }
    var moments: [Double] = []
    for run in 0..<8 {
      let process = Process()
      process.executableURL = binary
      // The first runs go full speed (a kill lands inside a write transaction); the others
      // are rate-limited so that they are killed part way through the table.
      process.arguments = arguments(run < 2 ? [] : ["--max-rows-per-second", "20000"])
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let moment = Double.random(in: run < 2 ? 0.02...0.08 : 0.05...0.5)
      moments.append(moment)
      Thread.sleep(forTimeInterval: moment)
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
    }
    let before = try connection.query(
      "SELECT coalesce(sum(keys_done), 0) FROM safeshift_backfill_ranges",
      []
    )
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments([])
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(before != [["300000"]], "the killed runs finished the work (moments \(moments))")
    #expect(
      try connection.query("SELECT counter, count(*) FROM items GROUP BY counter", [])
        == [["1", "300000"]],
      "kill moments \(moments)"
    )
    #expect(try connection.query("PRAGMA integrity_check", []) == [["ok"]])
  }
}
