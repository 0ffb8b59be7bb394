import Dispatch
import Foundation
public import ShiftDatabase
import ShiftPlanner
import Synchronization

/// A backfill run by this process: registers it in the ledger (splitting the frozen work set
/// into key ranges the first time), runs its workers, reports progress, and leaves the
/// ledger saying how far it got.
public struct BackfillJob: Sendable {
  /// What the run did, when it ends.
  public struct Summary: Sendable, Hashable {
    /// The ledger's totals at the end (all workers, all runs).
    public var progress: BackfillProgress
    /// Keys this process walked.
    public var keysWalked: Int
    /// Rows this process changed.
    public var rowsChanged: Int
    /// Key ranges this process gave up on.
    public var failedRanges: [String]
    /// Batch attempts that failed and were rolled back (lock timeouts retried, halvings).
    public var failedBatches: Int
    /// Batches this process committed.
    public var batches = 0
  }

  /// The batch SQL (spec and resolved key).
  public let sql: BackfillSQL
  /// The table's estimated rows when resolved.
  public let estimatedRows: Int
  /// How to run.
  public let options: BackfillOptions

  /// Creates a job from a resolved target (``PostgresTarget`` or ``SQLiteTarget``).
  public init(sql: BackfillSQL, estimatedRows: Int, options: BackfillOptions) {
    self.sql = sql
    self.estimatedRows = estimatedRows
    self.options = options
  }

  private var name: String { sql.spec.name }
  private var isPostgres: Bool { sql.dialect == .postgres }

  /// Runs the backfill to its end (or until this process's workers find no range left).
  ///
  /// - Parameters:
  ///   - session: the coordinating connection: ledger setup, range split, progress.
  ///   - connect: opens one connection per worker (called on the worker's thread).
  ///   - clock: the time source.
  ///   - report: called with the progress every `progressInterval` and once at the end.
  /// - Returns: the summary.
  /// - Throws: `BackfillError` when a worker failed; the ledger then says `failed` with the
  ///   error, and a rerun resumes from the last checkpoint of every range.
  public func run<Session: DatabaseSession & ~Copyable & SendableMetatype>(
    on session: inout Session,
    connect: @escaping @Sendable () throws(DriverError) -> Session,
    clock: any BackfillClock = MonotonicClock(),
    report: (BackfillProgress) -> Void = { _ in }
  ) throws(BackfillError) -> Summary {
    let keysPerBlock = try register(on: &session)
    let board = ProgressBoard()
    let outcomes = Mutex<[Result<[String], BackfillError>]>([])
    let finished = DispatchSemaphore(value: 0)
    let workerCount = options.workers
    for index in 0..<workerCount {
      let worker = BackfillWorker(
        sql: sql,
        index: index,
        workerName: workerCount == 1 && options.workerName != "worker"
          ? options.workerName : "\(options.workerName)/\(index + 1)",
        options: options,
        clock: clock,
        board: board,
        keysPerBlock: keysPerBlock
      )
      // Workers block in the driver: each gets a thread of its own, not the cooperative pool.
      let thread = Thread {
        let outcome: Result<[String], BackfillError>
        do {
          var connection = try connect()
          outcome = .success(try worker.run(&connection, reconnect: connect))
        } catch let error as BackfillError {
          outcome = .failure(error)
        } catch let error as DriverError {
          outcome = .failure(BackfillError(.database, message: "connecting", driverError: error))
        } catch {
          outcome = .failure(BackfillError(.database, message: "\(error)"))
        }
        outcomes.withLock { $0.append(outcome) }
        finished.signal()
      }
      thread.stackSize = 1 << 20
      thread.start()
    }
    let started = clock.now
    let baseline = (try? readProgress(on: &session))?.keysDone ?? 0
    /// Publishes and reports the progress; a progress that cannot be read is not reported.
    func reportProgress(_ session: inout Session) {
      if let progress = try? progress(
        board: board,
        baseline: baseline,
        since: started,
        clock: clock,
        &session
      ) {
        report(progress)
      }
    }
    var done = 0
    var nextReport = started + options.progressInterval
    while done < workerCount {
      if finished.wait(timeout: .now() + .milliseconds(50)) == .success {
        done += 1
        continue
      }
      if clock.now >= nextReport {
        nextReport = clock.now + options.progressInterval
        reportProgress(&session)
      }
    }
    let results = outcomes.withLock { $0 }
    var failedRanges: [String] = []
    var firstError: BackfillError?
    for result in results {
      switch result {
      case .success(let ranges): failedRanges += ranges
      case .failure(let error):
        failedRanges += error.failedRanges
        if firstError == nil { firstError = error }
      }
    }
    if var error = firstError {
      error.failedRanges = failedRanges
      markFailed(error, on: &session)
      reportProgress(&session)
      throw error
    }
    let finalProgress = try BackfillError.duringDatabaseStep("finishing") {
      () throws(DriverError) in
      _ = try session.query(
        isPostgres ? PostgresLedger.finishIfComplete : SQLiteLedger.finishIfComplete,
        [name]
      )
      return try progress(board: board, baseline: baseline, since: started, clock: clock, &session)
    }
    report(finalProgress)
    let totals = board.snapshot()
    return Summary(
      progress: finalProgress,
      keysWalked: totals.keys,
      rowsChanged: totals.rows,
      failedRanges: failedRanges,
      failedBatches: totals.failedBatches,
      batches: totals.batches
    )
  }

  /// Runs the backfill with one worker on `session` itself, without threads or progress
  /// reports (for callers that hold one connection, such as a deploy step).
  ///
  /// - Throws: `BackfillError`, after marking the backfill failed in the ledger.
  public func runInline(
    on session: inout some DatabaseSession & ~Copyable,
    clock: any BackfillClock = MonotonicClock()
  ) throws(BackfillError) -> Summary {
    let keysPerBlock = try register(on: &session)
    let board = ProgressBoard()
    let worker = BackfillWorker(
      sql: sql,
      index: 0,
      workerName: options.workerName,
      options: options,
      clock: clock,
      board: board,
      keysPerBlock: keysPerBlock
    )
    let started = clock.now
    let failedRanges: [String]
    do {
      failedRanges = try worker.run(&session)
    } catch {
      markFailed(error, on: &session)
      throw error
    }
    let progress = try BackfillError.duringDatabaseStep("finishing") { () throws(DriverError) in
      _ = try session.query(
        isPostgres ? PostgresLedger.finishIfComplete : SQLiteLedger.finishIfComplete,
        [name]
      )
      return try readProgress(on: &session)
    }
    let totals = board.snapshot()
    var final = progress
    final.elapsed = clock.now - started
    return Summary(
      progress: final,
      keysWalked: totals.keys,
      rowsChanged: totals.rows,
      failedRanges: failedRanges,
      failedBatches: totals.failedBatches,
      batches: totals.batches
    )
  }

  // MARK: Registration

  /// Creates the ledger, and the backfill with its ranges unless a run registered it before.
  ///
  /// - Returns: the estimated keys per block (block walks), else 1.
  func register(on session: inout some DatabaseSession & ~Copyable) throws(BackfillError)
    -> Double
  {
    let checksum = BackfillSpecJSON.checksum(sql.spec)
    let perBlock = try BackfillError.duringDatabaseStep("registering the backfill") {
      () throws(DriverError) -> Double? in
      if isPostgres {
        try PostgresLedger.prepare(&session)
        try session.execute("BEGIN")
      } else {
        try SQLiteLedger.prepare(&session)
        try session.execute("BEGIN IMMEDIATE")
      }
      do throws(DriverError) {
        if isPostgres {
          _ = try session.query(
            "SELECT pg_advisory_xact_lock(hashtext('safeshift.backfill'), hashtext($1))",
            [name]
          )
        }
        let table = isPostgres ? "safeshift.backfills" : "safeshift_backfills"
        let parameter = isPostgres ? "$1" : "?1"
        let existing = try session.query(
          "SELECT spec_checksum, upper_key, CAST(keys_estimated AS TEXT) FROM \(table) WHERE name = \(parameter)",
          [name]
        )
        if let row = existing.first {
          guard row[0] == checksum else {
            try session.execute("ROLLBACK")
            return nil
          }
          // A rerun (after a crash or a failure) resumes: the ranges keep their cursors.
          _ = try session.query(
            "UPDATE \(table) SET state = 'running', last_error = NULL WHERE name = \(parameter) AND state = 'failed'",
            [name]
          )
          try session.execute("COMMIT")
          return try keysPerBlock(&session)
        }
        try insertBackfill(checksum: checksum, on: &session)
        try session.execute("COMMIT")
        return try keysPerBlock(&session)
      } catch {
        try? session.execute("ROLLBACK")
        throw error
      }
    }
    guard let perBlock else {
      throw BackfillError(
        .specChanged,
        message: """
          the ledger has a backfill named \(name) with a different table, key, change or filter; \
          give this one another name, or delete the old one from the ledger
          """
      )
    }
    return perBlock
  }

  private func insertBackfill(checksum: String, on session: inout some DatabaseSession & ~Copyable)
    throws(DriverError)
  {
    var ranges: [(lower: [String]?, upper: [String], keys: Int)] = []
    let count = rangeCount()
    let walk: String
    switch sql.walk {
    case .keyset:
      walk = "keyset"
      if let last = try session.query(sql.lastKeyQuery, []).first {
        let upper = last.map { $0 ?? "" }
        var splits: [[String]] = []
        if count > 1, isPostgres, estimatedRows > 100 * count * 20 {
          // Big tables: split points from a sample of about 100 keys per range (reads a few
          // pages instead of numbering every key); ranges come out roughly equal.
          let percent = min(100, 100.0 * Double(100 * count) / Double(estimatedRows))
          let sample = try session.query(sql.sampleQuery, upper + [String(percent)]).map {
            $0.map { $0 ?? "" }
          }
          if sample.count >= count {
            for piece in 1..<count {
              let split = sample[sample.count * piece / count]
              if split != splits.last { splits.append(split) }
            }
          }
        }
        if count > 1, splits.isEmpty {
          let step = max(1, (estimatedRows + count - 1) / count)
          splits = try session.query(sql.splitQuery, upper + [String(step)]).map {
            $0.map { $0 ?? "" }
          }
        }
        var lower: [String]? = nil
        let perRange = max(1, estimatedRows / (splits.count + 1))
        for split in splits {
          ranges.append((lower, split, perRange))
          lower = split
        }
        ranges.append((lower, upper, perRange))
      }
    case .blocks:
      walk = "blocks"
      let relation = BackfillSQL.quote(sql.spec.schema) + "." + BackfillSQL.quote(sql.spec.table)
      let blocks =
        Int(
          try session.query(
            """
            SELECT (pg_relation_size(to_regclass($1)) / current_setting('block_size')::bigint)::text
            """,
            [relation]
          ).first?[0] ?? "0"
        ) ?? 0
      if blocks > 0 {
        let pieces = min(count, blocks)
        for piece in 0..<pieces {
          let low = blocks * piece / pieces
          let high = blocks * (piece + 1) / pieces
          ranges.append(([String(low)], [String(high)], estimatedRows / pieces))
        }
      }
    }
    let upperKey = ranges.last.map { KeyValues.encode($0.upper) }
    let insert =
      isPostgres
      ? """
      INSERT INTO safeshift.backfills (name, spec_checksum, table_schema, table_name,
        key_columns, walk, operation, state, upper_key, keys_estimated)
      VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10::bigint)
      """
      : """
      INSERT INTO safeshift_backfills (name, spec_checksum, table_schema, table_name,
        key_columns, walk, operation, state, upper_key, keys_estimated)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
      """
    let keyColumns =
      isPostgres
      ? "{"
        + sql.keys.map {
          "\"" + $0.name.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
      : KeyValues.encode(sql.keys.map(\.name))
    _ = try session.query(
      insert,
      [
        name, checksum, sql.spec.schema, sql.spec.table, keyColumns, walk,
        sql.spec.operation.rawValue, ranges.isEmpty ? "done" : "running", upperKey,
        String(estimatedRows),
      ]
    )
    for (number, range) in ranges.enumerated() {
      _ = try session.query(
        isPostgres ? PostgresLedger.insertRange : SQLiteLedger.insertRange,
        [
          name, String(number), range.lower.map(KeyValues.encode), KeyValues.encode(range.upper),
          String(range.keys),
        ]
      )
    }
  }

  /// Ranges to split a new backfill into: one per `keysPerRange` keys, at least two per
  /// worker when several run, at least `minRanges`, at most 1,000 (SQLite with one worker:
  /// `minRanges`).
  func rangeCount() -> Int {
    // SQLite has one writer at a time: ranges only serve several workers.
    if !isPostgres, options.workers == 1 { return options.minRanges }
    var count = (estimatedRows + options.keysPerRange - 1) / options.keysPerRange
    if options.workers > 1 { count = max(count, options.workers * 2) }
    return min(1000, max(count, options.minRanges, 1))
  }

  private func keysPerBlock(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError)
    -> Double
  {
    guard case .blocks = sql.walk else { return 1 }
    let relation = BackfillSQL.quote(sql.spec.schema) + "." + BackfillSQL.quote(sql.spec.table)
    let row = try session.query(
      """
      SELECT (greatest(c.reltuples, 0) / greatest(c.relpages, 1))::text
      FROM pg_class c WHERE c.oid = to_regclass($1)
      """,
      [relation]
    )
    let value = row.first?[0].flatMap { Double($0) } ?? 0
    return value > 0 ? value : 100
  }

  // MARK: Progress

  func readProgress(on session: inout some DatabaseSession & ~Copyable) throws(DriverError)
    -> BackfillProgress
  {
    let rows = try session.query(
      isPostgres ? PostgresLedger.progress : SQLiteLedger.progress,
      [name]
    )
    guard let row = rows.first else { return BackfillProgress() }
    func int(_ index: Int) -> Int { row[index].flatMap { Int($0) } ?? 0 }
    return BackfillProgress(
      keysDone: int(0),
      rowsChanged: int(1),
      failedKeys: int(2),
      keysEstimated: int(5),
      rangesDone: int(4),
      ranges: int(3),
      state: row[6] ?? "running"
    )
  }

  private func progress(
    board: ProgressBoard,
    baseline: Int,
    since started: Duration,
    clock: any BackfillClock,
    _ session: inout some DatabaseSession & ~Copyable
  ) throws(DriverError) -> BackfillProgress {
    var progress = try readProgress(on: &session)
    let snapshot = board.snapshot()
    progress.elapsed = clock.now - started
    let seconds = progress.elapsed.seconds
    progress.keysPerSecond = seconds > 0 ? Double(progress.keysDone - baseline) / seconds : 0
    progress.throttleReason = snapshot.reasons.sorted { $0.key < $1.key }.first?.value
    _ = try session.query(
      isPostgres ? PostgresLedger.publish : SQLiteLedger.publish,
      [name, String(progress.keysPerSecond), progress.throttleReason?.description]
    )
    return progress
  }

  /// Marks the backfill failed in the ledger with the error (best effort: the error is
  /// what the caller reports either way).
  private func markFailed(
    _ error: BackfillError,
    on session: inout some DatabaseSession & ~Copyable
  ) {
    _ = try? session.query(
      isPostgres ? PostgresLedger.markFailed : SQLiteLedger.markFailed,
      [name, String(error.description.prefix(2000))]
    )
  }
}

extension BackfillJob {
  /// The backfill's progress in the ledger, or `nil` when no run registered it (read only:
  /// creates nothing).
  public func existingProgress(on session: inout some DatabaseSession & ~Copyable)
    throws(DriverError) -> BackfillProgress?
  {
    let exists =
      isPostgres ? try PostgresLedger.exists(&session) : try SQLiteLedger.exists(&session)
    guard exists else { return nil }
    let progress = try readProgress(on: &session)
    return progress.ranges == 0 && progress.state == "running" ? nil : progress
  }
}
