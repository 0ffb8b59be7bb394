import ShiftPlanner

/// The plan of work `backfill --dry-run` prints: what would be walked, how, and each batch's
/// SQL, with nothing changed.
public enum BackfillDryRun {
  /// The text of the plan.
  ///
  /// - Parameters:
  ///   - job: the resolved job.
  ///   - ledger: the backfill's progress in the ledger, if a run registered it already.
  /// - Returns: the plan, ending with a newline.
  public static func describe(_ job: BackfillJob, ledger: BackfillProgress?) -> String {
    let sql = job.sql
    let spec = sql.spec
    let options = job.options
    var text = "backfill \(spec.name) (dry run: nothing is changed)\n"
    text += "table: \(sql.table), \(spec.operation.rawValue), ~\(job.estimatedRows) rows\n"
    switch sql.walk {
    case .keyset(let keys):
      let list = keys.map { $0.type.isEmpty ? $0.name : "\($0.name) \($0.type)" }
      text += "walk: keyset on (\(list.joined(separator: ", "))), upper bound frozen at start\n"
    case .blocks:
      text += "walk: ctid block ranges (no primary key or unique NOT NULL key)\n"
    }
    if let ledger {
      text += "ledger: already registered, \(ledger.state), \(ledger.keysDone) rows walked, "
      text += "\(ledger.rangesDone)/\(ledger.ranges) ranges done; a run resumes there\n"
    } else {
      text += "ledger: new; the work is split into \(job.rangeCount()) key range(s)\n"
    }
    let tuning = options.tuning
    text += "batches: \(tuning.initialBatchSize) keys first, adapted to "
    text += "\(Int(tuning.targetBatchTime.seconds * 1000)) ms within "
    text += "\(tuning.minBatchSize)…\(tuning.maxBatchSize); lock_timeout "
    text += "\(spec.batch.lockTimeout), statement_timeout \(spec.batch.statementTimeout)\n"
    text += "workers: \(options.workers) in this process (more processes may join)\n"
    let policy = options.policy
    var throttles: [String] = []
    if let value = policy.pauseReplicaLag {
      throttles.append("pause at replica lag \(ThrottleReason.format(value))")
    }
    if let value = policy.abortReplicaLag {
      throttles.append("abort at replica lag \(ThrottleReason.format(value))")
    }
    if let value = policy.pauseTransactionAge {
      throttles.append("pause at transaction age \(ThrottleReason.format(value))")
    }
    if let value = policy.abortTransactionAge {
      throttles.append("abort at transaction age \(ThrottleReason.format(value))")
    }
    if let value = policy.pauseActiveBackends {
      throttles.append("pause at \(value) active backends")
    }
    if let value = policy.abortActiveBackends {
      throttles.append("abort at \(value) active backends")
    }
    if policy.pausesForAutovacuum { throttles.append("pause during autovacuum") }
    if let value = policy.maxRowsPerSecond { throttles.append("at most \(Int(value)) rows/s") }
    if let file = options.pauseFile { throttles.append("pause while \(file) exists") }
    throttles.append("pause while the ledger's pause_requested is set")
    text += "throttles: " + throttles.joined(separator: "; ") + "\n\n"
    text += "each batch (first batch of a range without a lower bound, then with one):\n"
    switch sql.dialect {
    case .postgres:
      text += "BEGIN;\n\(BackfillSQL.localTimeoutsQuery);  -- $1, $2 = timeouts\n"
      if case .keyset = sql.walk {
        text += sql.batchEndQuery(hasLower: true) + ";\n"
      }
      text += sql.changeAndCheckpointStatement(hasLower: true) + ";\nCOMMIT;\n"
    case .sqlite:
      text += "BEGIN IMMEDIATE;\n" + sql.batchEndQuery(hasLower: true) + ";\n"
      text += sql.changeStatement(hasLower: true) + ";\n"
      text += "-- checkpoint: UPDATE safeshift_backfill_ranges SET cursor_key = … WHERE …;\n"
      text += "COMMIT;\n"
    }
    return text
  }
}
