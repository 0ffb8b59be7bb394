/// The decisions of one backfill worker, as a pure value: events in, actions out.
///
/// The runner owns the database connection and the clock; it reports what happened (a
/// health sample, a batch done or failed, a wait over) with the current time, and does what
/// the returned ``Action`` says. Nothing here does I/O, so every decision — adaptive batch
/// size, backoff with jitter, halving, pausing, aborting — is tested without a database.
///
/// Batch sizes are in keys. After a batch that took `t` for `n` keys the next size is
/// `n × target / t`, at most `maxGrowthFactor` times the current size, and at once (no growth
/// bound) when the batch was slower than `target × slowFactor`; always within
/// `minBatchSize…maxBatchSize`.
public struct BackfillStateMachine: Sendable {
  /// What the runner does next.
  public enum Action: Sendable, Hashable {
    /// Sample the database's health and report it with ``healthChecked(_:at:)``.
    case checkHealth
    /// Run the next batch of at most `size` keys, then report ``batchSucceeded(keys:rows:elapsed:at:)``
    /// or ``batchFailed(_:at:)``.
    case runBatch(size: Int)
    /// Wait, then report ``waited(at:)``; `reason` says why (shown in progress).
    case wait(Duration, reason: ThrottleReason)
    /// Give up on the next `size` keys: record them as failed, move past them, then report
    /// ``batchSkipped(keys:at:)``.
    case skipBatch(size: Int)
    /// Stop with an error.
    case fail(BackfillError.Kind)
  }

  /// The sizing and retry settings.
  public let tuning: BackfillTuning
  /// The throttle thresholds.
  public let policy: ThrottlePolicy
  /// The current batch size (keys), adapted after each batch.
  public private(set) var batchSize: Int
  /// Keys walked by successful batches.
  public private(set) var keysDone = 0
  /// Rows changed by successful batches.
  public private(set) var rowsChanged = 0
  /// Keys given up on.
  public private(set) var failedKeys = 0
  /// Why the run is waiting, if it is.
  public private(set) var throttleReason: ThrottleReason?

  private var random: SeededRandom
  private let expectedKeys: Int
  private var attempt = 0
  private var retrySize: Int?
  private var lastHealthCheck: Duration?
  private var pausedSince: Duration?
  private var rateStart: Duration?
  private var rowsSinceRateStart = 0
  private var afterWait: Action = .checkHealth

  /// Creates the machine.
  ///
  /// - Parameters:
  ///   - tuning: batch sizing and retries.
  ///   - policy: throttle thresholds.
  ///   - expectedKeys: the keys this worker expects to walk (the error ratio's denominator
  ///     until more have been walked); 0 if unknown.
  ///   - random: the jitter source; pass a fixed seed in tests.
  public init(
    tuning: BackfillTuning = BackfillTuning(),
    policy: ThrottlePolicy = ThrottlePolicy(),
    expectedKeys: Int = 0,
    random: SeededRandom = SeededRandom()
  ) {
    self.tuning = tuning
    self.policy = policy
    self.batchSize = tuning.initialBatchSize
    self.expectedKeys = max(0, expectedKeys)
    self.random = random
  }

  /// The first action of a run: a health check.
  public mutating func start(at now: Duration) -> Action {
    rateStart = now
    return .checkHealth
  }

  /// Decides on a health sample: abort, pause, or go on.
  public mutating func healthChecked(_ sample: HealthSample, at now: Duration) -> Action {
    lastHealthCheck = now
    if let reason = policy.abortReason(for: sample) {
      throttleReason = reason
      return .fail(.aborted(reason))
    }
    let reasons = policy.pauseReasons(for: sample)
    guard let reason = reasons.first else {
      if pausedSince != nil {
        pausedSince = nil
        throttleReason = nil
        // A pause does not count against the rate limit.
        rateStart = now
        rowsSinceRateStart = 0
      }
      return nextBatch(at: now)
    }
    let since = pausedSince ?? now
    pausedSince = since
    throttleReason = reason
    if let limit = policy.maxPause, now - since >= limit {
      return .fail(.pausedTooLong(reason, for: now - since))
    }
    afterWait = .checkHealth
    return .wait(policy.pausePollInterval, reason: reason)
  }

  /// Decides after a committed batch: adapts the size and goes on.
  ///
  /// - Parameters:
  ///   - keys: keys the batch walked.
  ///   - rows: rows it changed.
  ///   - elapsed: the batch's time, from `BEGIN` to `COMMIT`.
  ///   - now: the current time.
  /// - Returns: what to do next.
  public mutating func batchSucceeded(keys: Int, rows: Int, elapsed: Duration, at now: Duration)
    -> Action
  {
    keysDone += keys
    rowsChanged += rows
    rowsSinceRateStart += rows
    attempt = 0
    retrySize = nil
    if throttleReason.map({ if case .retryBackoff = $0 { true } else { false } }) == true {
      throttleReason = nil
    }
    if throttleReason.map({ if case .rateLimit = $0 { true } else { false } }) == true {
      throttleReason = nil
    }
    adapt(keys: keys, elapsed: elapsed)
    return nextBatch(at: now)
  }

  /// Decides after a failed (rolled back) batch: retry after a delay, halve, skip or fail.
  public mutating func batchFailed(_ failure: BatchFailure, at now: Duration) -> Action {
    attempt += 1
    let size = retrySize ?? batchSize
    switch failure {
    case .fatal:
      return .fail(.batchFailed(failure))
    case .statementTimeout:
      // Too big for the statement timeout: smaller at once, for this batch and the next.
      batchSize = max(tuning.minBatchSize, batchSize / 2)
      if attempt >= tuning.maxAttempts { return giveUp(size) }
      retrySize = max(1, size / 2)
      return .runBatch(size: retrySize ?? 1)
    case .dataError:
      // Isolate the failing keys by halving down to a single key.
      guard size > 1 else { return giveUp(size) }
      retrySize = size / 2
      return .runBatch(size: retrySize ?? 1)
    case .lockTimeout, .deadlock, .serializationFailure, .connectionLost:
      if attempt >= tuning.maxAttempts { return giveUp(size) }
      if attempt % tuning.halveAfterFailures == 0 {
        retrySize = max(1, size / 2)
      }
      let delay = backoff(attempt: attempt)
      throttleReason = .retryBackoff(attempt: attempt)
      afterWait = .runBatch(size: retrySize ?? size)
      return .wait(delay, reason: .retryBackoff(attempt: attempt))
    }
  }

  /// Decides after the runner recorded skipped keys as failed.
  public mutating func batchSkipped(keys: Int, at now: Duration) -> Action {
    failedKeys += keys
    attempt = 0
    retrySize = nil
    if let stop = errorRatioExceeded() { return .fail(stop) }
    return nextBatch(at: now)
  }

  /// Decides after a wait: what was pending before it.
  public mutating func waited(at now: Duration) -> Action {
    let next = afterWait
    afterWait = .checkHealth
    if case .runBatch = next, shouldCheckHealth(at: now) { return .checkHealth }
    return next
  }

  /// Whether the run may end successfully now that the work is exhausted: `nil` if so, else
  /// why not (too many failed keys).
  public func finish() -> BackfillError.Kind? {
    errorRatioExceeded()
  }

  /// The retry delay before attempt `attempt + 1`: doubling from the initial delay up to the
  /// maximum, then with jitter a uniform draw between half of it and all of it.
  mutating func backoff(attempt: Int) -> Duration {
    let initial = tuning.initialRetryDelay.seconds
    let ceiling = tuning.maxRetryDelay.seconds
    let exponent = min(attempt - 1, 40)
    var delay = min(ceiling, initial * Double(1 << exponent))
    if tuning.hasJitter {
      let unit = Double(random.next() >> 11) / Double(1 << 53)
      delay = delay / 2 + unit * delay / 2
    }
    return .seconds(double: delay)
  }

  private mutating func giveUp(_ size: Int) -> Action {
    attempt = 0
    retrySize = nil
    return .skipBatch(size: size)
  }

  private func errorRatioExceeded() -> BackfillError.Kind? {
    guard failedKeys > 0 else { return nil }
    let walked = max(keysDone + failedKeys, expectedKeys)
    guard Double(failedKeys) > tuning.maxErrorRatio * Double(walked) else { return nil }
    return .tooManyFailedKeys(failed: failedKeys, walked: keysDone + failedKeys)
  }

  private func shouldCheckHealth(at now: Duration) -> Bool {
    guard let last = lastHealthCheck else { return true }
    return now - last >= policy.checkInterval
  }

  private mutating func nextBatch(at now: Duration) -> Action {
    if shouldCheckHealth(at: now) { return .checkHealth }
    if let limit = policy.maxRowsPerSecond, limit > 0, let start = rateStart {
      let earliest = start + .seconds(double: Double(rowsSinceRateStart) / limit)
      if earliest > now {
        throttleReason = .rateLimit(rowsPerSecond: limit)
        afterWait = .runBatch(size: batchSize)
        return .wait(earliest - now, reason: .rateLimit(rowsPerSecond: limit))
      }
    }
    return .runBatch(size: batchSize)
  }

  private mutating func adapt(keys: Int, elapsed: Duration) {
    let target = tuning.targetBatchTime.seconds
    let took = elapsed.seconds
    let grown = Double(batchSize) * tuning.maxGrowthFactor
    var next: Double
    if took <= 0 || keys <= 0 {
      next = keys <= 0 ? Double(batchSize) : grown
    } else {
      let ideal = Double(keys) * target / took
      next = took > target * tuning.slowFactor ? ideal : min(ideal, grown)
    }
    next = min(max(next, Double(tuning.minBatchSize)), Double(tuning.maxBatchSize))
    batchSize = Int(next.rounded())
  }
}
