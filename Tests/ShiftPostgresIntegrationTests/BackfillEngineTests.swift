import Foundation
import ShiftBackfill
import ShiftDatabase
import ShiftPlanner
import ShiftPostgres
import Synchronization
import Testing

/// The backfill engine on the real PostgreSQL: concurrent writers, kill -9 and resume, lock
/// timeouts, composite and text keys, tables without a key, parallel workers.
@Suite(.enabled(if: TestDatabase.isAvailable), .timeLimit(.minutes(3)))
struct BackfillEngineTests {
  static func url() throws -> String {
    guard let url = TestDatabase.url else { throw TestDatabase.Missing() }
    return url
  }

  static func run(
    _ spec: BackfillSpec,
    _ options: BackfillOptions = BackfillOptions(seed: 1)
  ) throws -> BackfillJob.Summary {
    let url = try url()
    var session = try PostgresConnection(connectingTo: url)
    let target = try PostgresTarget.resolve(spec, on: &session)
    let job = BackfillJob(sql: target.sql, estimatedRows: target.estimatedRows, options: options)
    return try job.run(
      on: &session,
      connect: { () throws(DriverError) in try PostgresConnection(connectingTo: url) }
    )
  }

  static func value(_ sql: String, on connection: inout PostgresConnection) throws -> String? {
    try connection.query(sql, []).first?.first ?? nil
  }

  /// A fresh table `name` (id, counter, a, b) with `rows` rows and no backfill of that name
  /// in the ledger.
  static func makeCounterTable(_ name: String, rows: Int) throws -> PostgresConnection {
    var connection = try TestDatabase.connect()
    try connection.execute("DROP TABLE IF EXISTS \(name)")
    try connection.execute(
      "CREATE TABLE \(name) (id bigint PRIMARY KEY, counter integer NOT NULL DEFAULT 0, a text, b text)"
    )
    try connection.execute(
      "INSERT INTO \(name) (id, a) SELECT g, 'v' || g FROM generate_series(1, \(rows)) g"
    )
    try connection.execute("ANALYZE \(name)")
    if try value("SELECT to_regclass('safeshift.backfills')::text", on: &connection) != nil {
      _ = try connection.query("DELETE FROM safeshift.backfills WHERE name = $1", [name])
    }
    return connection
  }

  /// A non-idempotent change: applied twice to a row, the counter shows 2.
  static func counterSpec(_ table: String, batch: Int = 500) -> BackfillSpec {
    BackfillSpec(
      name: table,
      schema: "public",
      table: table,
      keyColumns: [],
      operation: .update,
      assignments: [.init(column: "counter", expression: "counter + 1")],
      batch: .init(
        targetBatchMilliseconds: 50,
        minBatchSize: 50,
        maxBatchSize: batch,
        initialBatchSize: batch
      )
    )
  }

  @Test func everyRowIsChangedExactlyOnceAndTheLedgerSaysDone() throws {
    var connection = try Self.makeCounterTable("bf_once", rows: 20_000)
    let summary = try Self.run(Self.counterSpec("bf_once"))
    #expect(summary.progress.state == "done")
    #expect(summary.keysWalked == 20_000)
    #expect(summary.rowsChanged == 20_000)
    let counts = try connection.query(
      "SELECT counter::text, count(*)::text FROM bf_once GROUP BY counter",
      []
    )
    #expect(counts == [["1", "20000"]])
    let status = try connection.query(
      "SELECT state, keys_done::text, rows_done::text FROM safeshift.backfill_status WHERE name = 'bf_once'",
      []
    )
    #expect(status == [["done", "20000", "20000"]])
    // A rerun of a finished backfill changes nothing.
    let again = try Self.run(Self.counterSpec("bf_once"))
    #expect(again.keysWalked == 0)
    #expect(try Self.value("SELECT max(counter)::text FROM bf_once", on: &connection) == "1")
  }

  @Test func fourWorkersCoverEachKeyExactlyOnce() throws {
    var connection = try Self.makeCounterTable("bf_four", rows: 40_000)
    let summary = try Self.run(
      Self.counterSpec("bf_four", batch: 300),
      BackfillOptions(workers: 4, workerName: "four", keysPerRange: 2_000, seed: 1)
    )
    #expect(summary.progress.state == "done")
    #expect(summary.keysWalked == 40_000)
    #expect(
      try connection.query("SELECT counter::text, count(*)::text FROM bf_four GROUP BY counter", [])
        == [["1", "40000"]]
    )
    let workers = try connection.query(
      "SELECT DISTINCT worker FROM safeshift.backfill_ranges WHERE backfill = 'bf_four' ORDER BY 1",
      []
    )
    #expect(workers.count == 4)
    let ranges = try connection.query(
      """
      SELECT count(*)::text, sum(keys_done)::text FROM safeshift.backfill_ranges
      WHERE backfill = 'bf_four' AND state = 'done'
      """,
      []
    )
    #expect(ranges == [["20", "40000"]])
  }

  @Test func concurrentWritersEndWithExactlyTheRightData() throws {
    var connection = try TestDatabase.connect()
    try connection.execute("DROP TABLE IF EXISTS bf_people")
    try connection.execute(
      """
      CREATE TABLE bf_people (id bigserial PRIMARY KEY, first_name text NOT NULL,
        last_name text NOT NULL, full_name text);
      INSERT INTO bf_people (first_name, last_name)
        SELECT 'f' || g, 'l' || g FROM generate_series(1, 30000) g;
      -- What the plan's expand phase adds: new writes keep full_name right.
      CREATE FUNCTION bf_people_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.full_name := NEW.first_name || ' ' || NEW.last_name; RETURN NEW; END $$;
      CREATE TRIGGER bf_people_sync BEFORE INSERT OR UPDATE OF first_name, last_name
        ON bf_people FOR EACH ROW EXECUTE FUNCTION bf_people_sync();
      """
    )
    if try Self.value("SELECT to_regclass('safeshift.backfills')::text", on: &connection) != nil {
      _ = try connection.query("DELETE FROM safeshift.backfills WHERE name = 'bf_people'", [])
    }
    let spec = BackfillSpec(
      name: "bf_people",
      schema: "public",
      table: "bf_people",
      keyColumns: ["id"],
      operation: .update,
      assignments: [.init(column: "full_name", expression: "first_name || ' ' || last_name")],
      rowFilter: "full_name IS DISTINCT FROM (first_name || ' ' || last_name)",
      batch: .init(
        targetBatchMilliseconds: 20,
        minBatchSize: 50,
        maxBatchSize: 400,
        initialBatchSize: 200
      )
    )
    let url = try Self.url()
    let stop = Atomic<Bool>(false)
    let writes = Atomic<Int>(0)
    let writer = Thread {
      guard var session = try? PostgresConnection(connectingTo: url) else { return }
      var random = SystemRandomNumberGenerator()
      while !stop.load(ordering: .relaxed) {
        let id = String(Int.random(in: 1...30_000, using: &random))
        _ = try? session.query(
          "UPDATE bf_people SET first_name = 'w' || $1 || '-' || clock_timestamp()::text WHERE id = $1::bigint",
          [id]
        )
        _ = try? session.query(
          "INSERT INTO bf_people (first_name, last_name) VALUES ('new', $1)",
          [id]
        )
        writes.add(2, ordering: .relaxed)
      }
    }
    writer.start()
    defer { stop.store(true, ordering: .relaxed) }
    let summary = try Self.run(
      spec,
      BackfillOptions(workers: 2, workerName: "people", keysPerRange: 5_000, seed: 1)
    )
    stop.store(true, ordering: .relaxed)
    Thread.sleep(forTimeInterval: 0.2)
    #expect(summary.progress.state == "done")
    #expect(writes.load(ordering: .relaxed) > 0)
    let wrong = try Self.value(
      "SELECT count(*)::text FROM bf_people WHERE full_name IS DISTINCT FROM first_name || ' ' || last_name",
      on: &connection
    )
    #expect(wrong == "0")
  }

  @Test func lockTimeoutsAreRetriedUntilTheLockGoes() throws {
    var connection = try Self.makeCounterTable("bf_locked", rows: 3_000)
    var holder = try TestDatabase.connect()
    try holder.execute("BEGIN")
    _ = try holder.query("SELECT id FROM bf_locked WHERE id BETWEEN 1000 AND 1100 FOR UPDATE", [])
    let url = try Self.url()
    try holder.execute("SET application_name = 'bf_locked_holder'")
    var spec = Self.counterSpec("bf_locked", batch: 200)
    spec.batch.lockTimeout = "100ms"
    let options = BackfillOptions(
      tuning: BackfillTuning(
        targetBatchTime: .milliseconds(50),
        initialBatchSize: 200,
        minBatchSize: 50,
        maxBatchSize: 200,
        maxAttempts: 30,
        initialRetryDelay: .milliseconds(50),
        maxRetryDelay: .milliseconds(400)
      ),
      seed: 3
    )
    // The locks go after 1.5 s: a helper thread terminates the holder's session.
    let terminator = Thread {
      Thread.sleep(forTimeInterval: 1.5)
      guard var other = try? PostgresConnection(connectingTo: url) else { return }
      _ = try? other.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'bf_locked_holder'",
        []
      )
    }
    terminator.start()
    let summary = try Self.run(spec, options)
    #expect(summary.progress.state == "done")
    #expect(summary.failedBatches > 0)
    #expect(
      try connection.query(
        "SELECT counter::text, count(*)::text FROM bf_locked GROUP BY counter",
        []
      )
        == [["1", "3000"]]
    )
  }

  @Test func aLockHeldPastTheLastAttemptFailsTheRunNamingTheKeys() throws {
    var connection = try Self.makeCounterTable("bf_stuck", rows: 2_000)
    var holder = try TestDatabase.connect()
    try holder.execute("BEGIN")
    _ = try holder.query("SELECT id FROM bf_stuck WHERE id = 1500 FOR UPDATE", [])
    var spec = Self.counterSpec("bf_stuck", batch: 100)
    spec.batch.lockTimeout = "50ms"
    let options = BackfillOptions(
      tuning: BackfillTuning(
        initialBatchSize: 100,
        minBatchSize: 100,
        maxBatchSize: 100,
        maxAttempts: 3,
        initialRetryDelay: .milliseconds(10),
        maxRetryDelay: .milliseconds(20)
      ),
      seed: 4
    )
    let error = try #require(throws: BackfillError.self) { try Self.run(spec, options) }
    // (1400, 1500] failed twice and was halved: (1400, 1450] went through, (1450, 1500] holds
    // the locked row and is given up on after the last attempt.
    #expect(error.kind == .tooManyFailedKeys(failed: 50, walked: 1_500))
    #expect(error.failedRanges == ["(1450, 1500]"])
    #expect(error.description.contains("(1450, 1500]"))
    try holder.execute("ROLLBACK")
    let state = try connection.query(
      "SELECT state, failed_keys::text FROM safeshift.backfill_status WHERE name = 'bf_stuck'",
      []
    )
    #expect(state == [["failed", "50"]])
    let failure = try connection.query(
      "SELECT lower_key, upper_key, sqlstate FROM safeshift.backfill_failures WHERE backfill = 'bf_stuck'",
      []
    )
    #expect(failure == [[#"["1450"]"#, #"["1500"]"#, "55P03"]])
  }

  @Test func compositeAndTextKeysWithAwkwardValues() throws {
    var connection = try TestDatabase.connect()
    try connection.execute("DROP TABLE IF EXISTS \"BF Composite\"")
    try connection.execute(
      """
      CREATE TABLE "BF Composite" ("Tenant" text, "key, part" uuid, note text, done boolean,
        PRIMARY KEY ("Tenant", "key, part"));
      INSERT INTO "BF Composite"
        SELECT t, md5(t || g)::uuid, 'n', false
        FROM generate_series(1, 1500) g,
          unnest(ARRAY['a', 'b"q', 'c,d', 'é ü', '{x}', '''s']) t;
      ANALYZE "BF Composite";
      """
    )
    if try Self.value("SELECT to_regclass('safeshift.backfills')::text", on: &connection) != nil {
      _ = try connection.query("DELETE FROM safeshift.backfills WHERE name = 'bf-composite'", [])
    }
    let spec = BackfillSpec(
      name: "bf-composite",
      schema: "public",
      table: "BF Composite",
      keyColumns: [],
      operation: .update,
      assignments: [.init(column: "done", expression: "NOT done")],
      batch: .init(
        targetBatchMilliseconds: 20,
        minBatchSize: 10,
        maxBatchSize: 250,
        initialBatchSize: 100
      )
    )
    let summary = try Self.run(
      spec,
      BackfillOptions(workers: 3, workerName: "composite", keysPerRange: 1_000, seed: 5)
    )
    #expect(summary.progress.state == "done")
    #expect(summary.keysWalked == 9_000)
    #expect(
      try Self.value(
        "SELECT count(*) FILTER (WHERE done)::text FROM \"BF Composite\"",
        on: &connection
      )
        == "9000"
    )
    let key = try connection.query(
      "SELECT key_columns::text FROM safeshift.backfills WHERE name = 'bf-composite'",
      []
    )
    #expect(key == [[#"{Tenant,"key, part"}"#]])
  }

  @Test func tablesWithoutAKeyAreWalkedByBlocks() throws {
    var connection = try TestDatabase.connect()
    try connection.execute("DROP TABLE IF EXISTS bf_heap")
    try connection.execute(
      """
      CREATE TABLE bf_heap (a integer, b integer);
      INSERT INTO bf_heap SELECT g, NULL FROM generate_series(1, 20000) g;
      ANALYZE bf_heap;
      """
    )
    if try Self.value("SELECT to_regclass('safeshift.backfills')::text", on: &connection) != nil {
      _ = try connection.query("DELETE FROM safeshift.backfills WHERE name = 'bf_heap'", [])
    }
    let spec = BackfillSpec(
      name: "bf_heap",
      schema: "public",
      table: "bf_heap",
      keyColumns: [],
      operation: .update,
      assignments: [.init(column: "b", expression: "a * 2")],
      rowFilter: "b IS DISTINCT FROM a * 2",
      batch: .init(
        targetBatchMilliseconds: 20,
        minBatchSize: 100,
        maxBatchSize: 2000,
        initialBatchSize: 500
      )
    )
    var session = try PostgresConnection(connectingTo: try Self.url())
    let target = try PostgresTarget.resolve(spec, on: &session)
    #expect(target.sql.walk == .blocks)
    let summary = try Self.run(
      spec,
      BackfillOptions(workers: 2, workerName: "heap", keysPerRange: 5_000, seed: 6)
    )
    #expect(summary.progress.state == "done")
    #expect(summary.rowsChanged == 20_000)
    #expect(
      try Self.value("SELECT count(*)::text FROM bf_heap WHERE b = a * 2", on: &connection)
        == "20000"
    )
  }

  @Test func aChangedSpecUnderTheSameNameIsRefused() throws {
    _ = try Self.makeCounterTable("bf_changed", rows: 100)
    _ = try Self.run(Self.counterSpec("bf_changed"))
    var changed = Self.counterSpec("bf_changed")
    changed.assignments = [.init(column: "counter", expression: "counter + 2")]
    let error = try #require(throws: BackfillError.self) { try Self.run(changed) }
    #expect(error.kind == .specChanged)
  }

  @Test func aPauseFilePausesTheRunWithItsReasonUntilItGoes() throws {
    var connection = try Self.makeCounterTable("bf_paused", rows: 1_000)
    let pauseFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("safeshift-pause-\(getpid())").path
    #expect(FileManager.default.createFile(atPath: pauseFile, contents: Data()))
    let unpause = Thread {
      Thread.sleep(forTimeInterval: 1.5)
      try? FileManager.default.removeItem(atPath: pauseFile)
    }
    unpause.start()
    let url = try Self.url()
    var session = try PostgresConnection(connectingTo: url)
    let target = try PostgresTarget.resolve(Self.counterSpec("bf_paused"), on: &session)
    let job = BackfillJob(
      sql: target.sql,
      estimatedRows: target.estimatedRows,
      options: BackfillOptions(
        policy: ThrottlePolicy(
          pausePollInterval: .milliseconds(100),
          checkInterval: .milliseconds(100)
        ),
        pauseFile: pauseFile,
        progressInterval: .milliseconds(200),
        seed: 1
      )
    )
    let reasons = Mutex<[String]>([])
    let summary = try job.run(
      on: &session,
      connect: { () throws(DriverError) in try PostgresConnection(connectingTo: url) },
      report: { progress in
        if let reason = progress.throttleReason { reasons.withLock { $0.append(reason.name) } }
      }
    )
    #expect(summary.progress.state == "done")
    #expect(reasons.withLock { $0 }.contains("pause-requested"))
    #expect(summary.progress.elapsed >= .seconds(1))
    #expect(
      try connection.query(
        "SELECT counter::text, count(*)::text FROM bf_paused GROUP BY counter",
        []
      )
        == [["1", "1000"]]
    )
  }

  @Test func aCheckpointFromAStaleCursorMatchesNothingAndIsRolledBack() throws {
    var connection = try Self.makeCounterTable("bf_stale", rows: 100)
    _ = try Self.run(Self.counterSpec("bf_stale"))
    // Pretend another worker took the range over and moved its cursor to 50.
    _ = try connection.query(
      """
      UPDATE safeshift.backfill_ranges SET state = 'running', worker = 'me', cursor_key = '["50"]'
      WHERE backfill = 'bf_stale'
      """,
      []
    )
    let target = try PostgresTarget.resolve(Self.counterSpec("bf_stale"), on: &connection)
    try connection.execute("BEGIN")
    // This worker still believes the cursor is at 40.
    let rows = try connection.query(
      target.sql.changeAndCheckpointStatement(hasLower: true),
      ["40", "60", #"["60"]"#, "20", "false", "bf_stale", "0", "me", #"["40"]"#]
    )
    try connection.execute("ROLLBACK")
    #expect(rows.isEmpty)
    #expect(try Self.value("SELECT max(counter)::text FROM bf_stale", on: &connection) == "1")
  }

  @Test func thePauseFlagInTheLedgerPausesEveryWorker() throws {
    var connection = try Self.makeCounterTable("bf_flag", rows: 4_000)
    let url = try Self.url()
    let paused = Atomic<Bool>(false)
    // Sets the flag as soon as the backfill is registered, clears it a second later.
    let flagger = Thread {
      guard var other = try? PostgresConnection(connectingTo: url) else { return }
      for _ in 0..<2_000 {
        let rows =
          (try? other.query(
            "UPDATE safeshift.backfills SET pause_requested = true WHERE name = 'bf_flag' RETURNING 1",
            []
          )) ?? []
        if !rows.isEmpty {
          paused.store(true, ordering: .relaxed)
          break
        }
        Thread.sleep(forTimeInterval: 0.002)
      }
      Thread.sleep(forTimeInterval: 1)
      _ = try? other.query(
        "UPDATE safeshift.backfills SET pause_requested = false WHERE name = 'bf_flag'",
        []
      )
    }
    flagger.start()
    var session = try PostgresConnection(connectingTo: url)
    let target = try PostgresTarget.resolve(Self.counterSpec("bf_flag", batch: 50), on: &session)
    let job = BackfillJob(
      sql: target.sql,
      estimatedRows: target.estimatedRows,
      options: BackfillOptions(
        workers: 2,
        workerName: "flag",
        policy: ThrottlePolicy(
          maxRowsPerSecond: 5_000,
          pausePollInterval: .milliseconds(100),
          checkInterval: .milliseconds(50)
        ),
        minRanges: 4,
        progressInterval: .milliseconds(100),
        seed: 9
      )
    )
    let reasons = Mutex<[String]>([])
    let summary = try job.run(
      on: &session,
      connect: { () throws(DriverError) in try PostgresConnection(connectingTo: url) },
      report: { progress in
        if let reason = progress.throttleReason { reasons.withLock { $0.append(reason.name) } }
      }
    )
    let wasPaused = paused.load(ordering: .relaxed)
    #expect(wasPaused)
    #expect(summary.progress.state == "done")
    #expect(reasons.withLock { $0 }.contains("pause-requested"))
    #expect(
      try connection.query("SELECT counter::text, count(*)::text FROM bf_flag GROUP BY counter", [])
        == [["1", "4000"]]
    )
  }

  @Test func workersReconnectAfterTheServerEndsTheirSessions() throws {
    var connection = try Self.makeCounterTable("bf_reconnect", rows: 20_000)
    let url = try Self.url()
    let terminated = Atomic<Int>(0)
    // Ends a worker's session (as a failover or an admin would) twice during the run.
    let killer = Thread {
      guard var other = try? PostgresConnection(connectingTo: url) else { return }
      for _ in 0..<500 where terminated.load(ordering: .relaxed) < 2 {
        Thread.sleep(forTimeInterval: 0.01)
        let rows =
          (try? other.query(
            """
            SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
            WHERE application_name = 'safeshift-backfill' AND query LIKE '%bf_reconnect%'
              AND pid <> pg_backend_pid()
            LIMIT 1
            """,
            []
          )) ?? []
        if rows.contains(where: { $0.first == "true" }) {
          terminated.add(1, ordering: .relaxed)
          Thread.sleep(forTimeInterval: 0.3)
        }
      }
    }
    killer.start()
    let summary = try Self.run(
      Self.counterSpec("bf_reconnect", batch: 200),
      BackfillOptions(
        workers: 2,
        workerName: "reconnect",
        policy: ThrottlePolicy(maxRowsPerSecond: 8_000),
        keysPerRange: 5_000,
        seed: 11
      )
    )
    let ended = terminated.load(ordering: .relaxed)
    #expect(ended >= 1)
    #expect(summary.progress.state == "done")
    #expect(
      try connection.query(
        "SELECT counter::text, count(*)::text FROM bf_reconnect GROUP BY counter",
        []
      ) == [["1", "20000"]]
    )
  }
}
