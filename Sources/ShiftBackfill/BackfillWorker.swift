import Foundation
import ShiftDatabase
import ShiftPlanner

/// One worker of a backfill: claims ranges from the ledger and runs their batches on its own
/// connection, as the state machine decides.
struct BackfillWorker: Sendable {
  let sql: BackfillSQL
  let index: Int
  let workerName: String
  let options: BackfillOptions
  let clock: any BackfillClock
  let board: ProgressBoard
  let keysPerBlock: Double

  private var name: String { sql.spec.name }
  private var isPostgres: Bool { sql.dialect == .postgres }

  private enum BatchResult {
    case committed(keys: Int, rows: Int, rangeDone: Bool)
    case failed(BatchFailure, DriverError)
  }

  /// Runs until no range is left to claim.
  ///
  /// - Parameters:
  ///   - session: the worker's connection.
  ///   - reconnect: opens a new connection after a lost one (`nil`: a lost connection ends
  ///     the worker with an error; a rerun resumes).
  /// - Returns: the key ranges given up on.
  /// - Throws: `BackfillError` when the state machine stops the run or the ledger fails.
  func run<Session: DatabaseSession & ~Copyable>(
    _ session: inout Session,
    reconnect: (() throws(DriverError) -> Session)? = nil
  ) throws(BackfillError) -> [String] {
    var failedRanges: [String] = []
    var machine = BackfillStateMachine(
      tuning: options.tuning,
      policy: options.policy,
      random: options.seed.map { SeededRandom(seed: $0 &+ UInt64(index)) } ?? SeededRandom()
    )
    try prepare(&session)
    guard var range = try claim(&session) else { return [] }
    var lastFailure: DriverError?
    /// The next range, or `nil` when none is left and the run ends well (the worker's
    /// throttle reason is then cleared).
    func claimNext(_ session: inout Session) throws(BackfillError) -> ClaimedRange? {
      if let next = try claim(&session) { return next }
      if let stop = machine.finish() {
        throw BackfillError(stop, message: "", failedRanges: failedRanges)
      }
      board.setReason(nil, worker: index)
      return nil
    }
    var reconnects = 0
    var action = machine.start(at: clock.now)
    while true {
      switch action {
      case .checkHealth:
        let sample: HealthSample
        do {
          sample = try health(&session)
        } catch {
          guard error.driverError.map({ BatchFailure($0) }) == .connectionLost, let reconnect,
            reconnects < Self.maxReconnects
          else { throw error }
          reconnects += 1
          try reestablish(&session, reconnect, attempt: reconnects)
          guard let next = try claimNext(&session) else { return failedRanges }
          range = next
          continue
        }
        action = machine.healthChecked(sample, at: clock.now)
        board.setReason(machine.throttleReason, worker: index)
      case .wait(let duration, let reason):
        board.setReason(reason, worker: index)
        clock.sleep(for: duration)
        action = machine.waited(at: clock.now)
      case .runBatch(let size):
        let started = clock.now
        switch runBatch(size: size, range: &range, on: &session) {
        case .committed(let keys, let rows, let rangeDone):
          board.record(keys: keys, rows: rows)
          if options.restRatio > 0 { clock.sleep(for: (clock.now - started) * options.restRatio) }
          action = machine.batchSucceeded(
            keys: keys,
            rows: rows,
            elapsed: clock.now - started,
            at: clock.now
          )
          board.setReason(machine.throttleReason, worker: index)
          if rangeDone {
            try release(range, &session)
            guard let next = try claimNext(&session) else { return failedRanges }
            range = next
          }
        case .failed(let failure, let error):
          lastFailure = error
          board.recordFailedBatch()
          if failure == .connectionLost, let reconnect, reconnects < Self.maxReconnects {
            // The range's lock went with the connection, and whether the last COMMIT
            // landed is unknown: reconnect, claim again and read the cursor from the ledger.
            reconnects += 1
            try reestablish(&session, reconnect, attempt: reconnects)
            guard let next = try claimNext(&session) else { return failedRanges }
            range = next
            action = .checkHealth
            continue
          }
          if failure == .connectionLost {
            // The connection is gone with the range's lock; a rerun resumes from the ledger.
            throw BackfillError(
              .database,
              message: "lost the connection during a batch of \(range.description)",
              failedRanges: failedRanges,
              driverError: error
            )
          }
          action = machine.batchFailed(failure, at: clock.now)
        }
      case .skipBatch(let size):
        let skipped = try skip(size: size, range: &range, error: lastFailure, on: &session)
        failedRanges.append(skipped.description)
        action = machine.batchSkipped(keys: skipped.keys, at: clock.now)
        if skipped.rangeDone, case .fail = action {
        } else if skipped.rangeDone {
          try release(range, &session)
          guard let next = try claim(&session) else {
            if let stop = machine.finish() {
              throw BackfillError(stop, message: "", failedRanges: failedRanges)
            }
            return failedRanges
          }
          range = next
        }
      case .fail(let kind):
        var message = ""
        if case .batchFailed = kind, let lastFailure {
          message = "in \(range.description): \(lastFailure)"
        }
        throw BackfillError(kind, message: message, failedRanges: failedRanges)
      }
    }
  }

  /// Lost connections a worker reconnects after, in all.
  static let maxReconnects = 5

  /// Replaces a lost connection after a growing delay.
  private func reestablish<Session: DatabaseSession & ~Copyable>(
    _ session: inout Session,
    _ reconnect: () throws(DriverError) -> Session,
    attempt: Int
  ) throws(BackfillError) {
    board.setReason(.retryBackoff(attempt: attempt), worker: index)
    clock.sleep(for: .milliseconds(250 << min(attempt, 6)))
    do {
      session = try reconnect()
    } catch {
      throw BackfillError(
        .database,
        message: "reconnecting after a lost connection",
        driverError: error
      )
    }
    try prepare(&session)
  }

  private func prepare(_ session: inout some DatabaseSession & ~Copyable) throws(BackfillError) {
    try BackfillError.duringDatabaseStep("preparing the session") { () throws(DriverError) in
      if isPostgres {
        try session.execute("SET application_name = 'safeshift-backfill'")
      } else if try session.query("PRAGMA journal_mode", []).first?.first == "wal" {
        // Each batch commits its change and its checkpoint together, so a commit lost to a
        // power failure is redone by the resumed run: a WAL sync per commit is not needed.
        try session.execute("PRAGMA synchronous = NORMAL")
      }
    }
  }

  // MARK: Batches

  private func runBatch(
    size: Int,
    range: inout ClaimedRange,
    on session: inout some DatabaseSession & ~Copyable
  ) -> BatchResult {
    do {
      if isPostgres {
        try session.execute("BEGIN")
        _ = try session.query(
          BackfillSQL.localTimeoutsQuery,
          [sql.spec.batch.lockTimeout, sql.spec.batch.statementTimeout]
        )
      } else {
        try session.execute("BEGIN IMMEDIATE")
      }
      let result: BatchResult
      switch sql.walk {
      case .keyset: result = try keysetBatch(size: size, range: &range, on: &session)
      case .blocks: result = try blockBatch(size: size, range: &range, on: &session)
      }
      try session.execute("COMMIT")
      return result
    } catch {
      try? session.execute("ROLLBACK")
      return .failed(BatchFailure(error), error)
    }
  }

  private func keysetBatch(
    size: Int,
    range: inout ClaimedRange,
    on session: inout some DatabaseSession & ~Copyable
  ) throws(DriverError) -> BatchResult {
    let position = range.position
    let hasLower = position != nil
    let bounds = (position ?? []) + range.upper
    let found = try session.query(sql.batchEndQuery(hasLower: hasLower), bounds + [String(size)])
    guard let row = found.first, let count = row[0].flatMap({ Int($0) }) else {
      _ = try session.query(
        isPostgres ? PostgresLedger.markDone : SQLiteLedger.markDone,
        [
          name, String(range.number),
        ]
      )
      return .committed(keys: 0, rows: 0, rangeDone: true)
    }
    let end = row.dropFirst().map { $0 ?? "" }
    let rangeDone = count < size || end == range.upper
    let keyBounds = (position ?? []) + end
    let rows: Int
    if isPostgres {
      let parameters: [String?] =
        keyBounds + [
          KeyValues.encode(end), String(count), rangeDone ? "true" : "false", name,
          String(range.number), workerName,
        ]
      let checkpoint = try session.query(
        sql.changeAndCheckpointStatement(hasLower: hasLower),
        parameters + [range.cursor.map(KeyValues.encode)]
      )
      guard let changed = checkpoint.first?.first.flatMap({ $0 }).flatMap({ Int($0) }) else {
        throw lostRange(range)
      }
      rows = changed
    } else {
      try sqliteChange(sql.changeStatement(hasLower: hasLower), keyBounds, on: &session)
      rows = Int(try session.query("SELECT CAST(changes() AS TEXT)", []).first?[0] ?? "0") ?? 0
      let checkpoint = try session.query(
        SQLiteLedger.checkpoint,
        [
          KeyValues.encode(end), String(count), String(rows), rangeDone ? "true" : "false", name,
          String(range.number), workerName, range.cursor.map(KeyValues.encode),
        ]
      )
      if checkpoint.isEmpty { throw lostRange(range) }
    }
    range.cursor = end
    return .committed(keys: count, rows: rows, rangeDone: rangeDone)
  }

  /// Runs a SQLite change statement through `query` (which binds), ignoring its rows.
  private func sqliteChange(
    _ statement: String,
    _ parameters: [String],
    on session: inout some DatabaseSession & ~Copyable
  ) throws(DriverError) {
    _ = try session.query(statement, parameters)
  }

  private func blockBatch(
    size: Int,
    range: inout ClaimedRange,
    on session: inout some DatabaseSession & ~Copyable
  ) throws(DriverError) -> BatchResult {
    let low = Int(range.position?.first ?? "0") ?? 0
    let upper = Int(range.upper.first ?? "0") ?? 0
    guard low < upper else {
      _ = try session.query(PostgresLedger.markDone, [name, String(range.number)])
      return .committed(keys: 0, rows: 0, rangeDone: true)
    }
    let blocks = max(1, Int(Double(size) / max(keysPerBlock, 1)))
    let high = min(low + blocks, upper)
    let keys = Int((Double(high - low) * keysPerBlock).rounded())
    let rangeDone = high >= upper
    let checkpoint = try session.query(
      sql.changeAndCheckpointStatement(hasLower: true),
      [
        String(low), String(high), KeyValues.encode([String(high)]), String(keys),
        rangeDone ? "true" : "false", name, String(range.number), workerName,
        range.cursor.map(KeyValues.encode),
      ]
    )
    guard let changed = checkpoint.first?.first.flatMap({ $0 }).flatMap({ Int($0) }) else {
      throw lostRange(range)
    }
    range.cursor = [String(high)]
    return .committed(keys: keys, rows: changed, rangeDone: rangeDone)
  }

  private func lostRange(_ range: ClaimedRange) -> DriverError {
    DriverError(
      .statementFailed(sqlstate: "XX000"),
      message: "range \(range.number) is no longer this worker's in the ledger"
    )
  }

  /// Records the next `size` keys as failed and moves the cursor past them.
  private func skip(
    size: Int,
    range: inout ClaimedRange,
    error: DriverError?,
    on session: inout some DatabaseSession & ~Copyable
  ) throws(BackfillError) -> (keys: Int, rangeDone: Bool, description: String) {
    try BackfillError.duringDatabaseStep("recording failed keys") { () throws(DriverError) in
      let position = range.position
      let end: [String]
      let keys: Int
      switch sql.walk {
      case .keyset:
        let bounds = (position ?? []) + range.upper
        let found = try session.query(
          sql.batchEndQuery(hasLower: position != nil),
          bounds + [String(size)]
        )
        guard let row = found.first, let count = row[0].flatMap({ Int($0) }) else {
          return (0, true, range.description)
        }
        end = row.dropFirst().map { $0 ?? "" }
        keys = count
      case .blocks:
        let low = Int(position?.first ?? "0") ?? 0
        let upper = Int(range.upper.first ?? "0") ?? 0
        let high = min(upper, low + max(1, Int(Double(size) / max(keysPerBlock, 1))))
        end = [String(high)]
        keys = max(1, Int(Double(high - low) * keysPerBlock))
      }
      let rangeDone = end == range.upper || keys < size
      let code: String? =
        switch error?.kind {
        case .sqliteError(let code)?: String(code)
        default: error?.sqlstate
        }
      let lower = position.map(KeyValues.encode)
      let parameters: [String?] = [
        name, String(range.number), lower, KeyValues.encode(end), String(keys), code,
        error?.message,
      ]
      if isPostgres {
        _ = try session.query(
          PostgresLedger.recordFailure,
          parameters + [rangeDone ? "true" : "false"]
        )
      } else {
        try session.execute("BEGIN IMMEDIATE")
        _ = try session.query(SQLiteLedger.insertFailure, parameters)
        _ = try session.query(
          SQLiteLedger.skipRange,
          [
            name, String(range.number), KeyValues.encode(end), String(keys),
            rangeDone ? "true" : "false",
          ]
        )
        try session.execute("COMMIT")
      }
      let description = KeyValues.describeRange(lower: position, upper: end)
      range.cursor = end
      return (keys, rangeDone, description)
    }
  }

  // MARK: Ledger

  private func claim(_ session: inout some DatabaseSession & ~Copyable) throws(BackfillError)
    -> ClaimedRange?
  {
    try BackfillError.duringDatabaseStep("claiming a key range") {
      () throws(DriverError) -> ClaimedRange? in
      isPostgres ? try claimPostgres(&session) : try claimSQLite(&session)
    }
  }

  private func claimPostgres(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError)
    -> ClaimedRange?
  {
    try session.inTransaction { session throws(DriverError) -> ClaimedRange? in
      var after = "-1"
      while let row = try session.query(PostgresLedger.claimCandidates, [name, after]).first,
        let number = row[0]
      {
        after = number
        // A range whose worker is alive holds that worker's advisory lock.
        let locked = try session.query(PostgresLedger.tryLockRange, [name, number])
        guard locked.first?.first == "true" else { continue }
        _ = try session.query(PostgresLedger.markRunning, [name, number, workerName])
        return Self.range(row)
      }
      return nil
    }
  }

  private func claimSQLite(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError)
    -> ClaimedRange?
  {
    try session.inTransaction("BEGIN IMMEDIATE") { session throws(DriverError) -> ClaimedRange? in
      let others = try session.query(SQLiteLedger.runningWorkers, [name, workerName])
      for case let worker? in others.map({ $0[0] }) where options.isWorkerGone(worker) {
        _ = try session.query(SQLiteLedger.expireWorker, [name, worker])
      }
      let rows = try session.query(
        SQLiteLedger.claimCandidate,
        [name, workerName, String(options.leaseSeconds)]
      )
      guard let row = rows.first, let number = row[0] else { return nil }
      _ = try session.query(SQLiteLedger.markRunning, [name, number, workerName])
      return Self.range(row)
    }
  }

  private static func range(_ row: [String?]) -> ClaimedRange? {
    guard let number = row[0].flatMap({ Int($0) }), let upper = KeyValues.decode(row[2]) else {
      return nil
    }
    return ClaimedRange(
      number: number,
      lower: KeyValues.decode(row[1]),
      upper: upper,
      cursor: KeyValues.decode(row[3]),
      keysEstimated: row[4].flatMap { Int($0) } ?? 0
    )
  }

  private func release(_ range: ClaimedRange, _ session: inout some DatabaseSession & ~Copyable)
    throws(BackfillError)
  {
    guard isPostgres else { return }
    try BackfillError.duringDatabaseStep("releasing a key range") { () throws(DriverError) in
      _ = try session.query(PostgresLedger.unlockRange, [name, String(range.number)])
    }
  }

  private func health(_ session: inout some DatabaseSession & ~Copyable) throws(BackfillError)
    -> HealthSample
  {
    var sample = HealthSample()
    if let file = options.pauseFile, FileManager.default.fileExists(atPath: file) {
      sample.isPauseRequested = true
    }
    try BackfillError.duringDatabaseStep("sampling health") { () throws(DriverError) in
      if isPostgres {
        let relation = BackfillSQL.quote(sql.spec.schema) + "." + BackfillSQL.quote(sql.spec.table)
        guard let row = try session.query(PostgresLedger.health, [relation, name]).first else {
          return
        }
        sample.replicaLag = row[0].flatMap { Double($0) }.map { .seconds(double: $0) }
        sample.oldestTransactionAge = row[1].flatMap { Double($0) }.map { .seconds(double: $0) }
        sample.activeBackends = row[2].flatMap { Int($0) }
        sample.isAutovacuumRunning = (row[3].flatMap { Int($0) } ?? 0) > 0
        if row[4] == "true" { sample.isPauseRequested = true }
      } else {
        let flag = try session.query(SQLiteLedger.pauseFlag, [name]).first?.first
        if flag == "1" { sample.isPauseRequested = true }
      }
    }
    return sample
  }
}
