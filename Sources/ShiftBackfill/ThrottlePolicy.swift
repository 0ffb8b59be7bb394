/// When a backfill pauses and when it gives up, per health signal.
///
/// Pause and abort thresholds are separate: past a pause threshold the run waits and checks
/// again; past an abort threshold it stops with an error naming the signal. `nil` disables
/// a threshold.
public struct ThrottlePolicy: Sendable, Hashable {
  /// Pause while a replica lags at least this much.
  public var pauseReplicaLag: Duration?
  /// Abort when a replica lags at least this much.
  public var abortReplicaLag: Duration?
  /// Pause while another transaction has been open at least this long.
  public var pauseTransactionAge: Duration?
  /// Abort when another transaction has been open at least this long.
  public var abortTransactionAge: Duration?
  /// Pause while at least this many other backends are active.
  public var pauseActiveBackends: Int?
  /// Abort when at least this many other backends are active.
  public var abortActiveBackends: Int?
  /// Pause while autovacuum processes the table.
  public var pausesForAutovacuum: Bool
  /// The most rows per second the run may change (`nil`: no limit).
  public var maxRowsPerSecond: Double?
  /// Abort after pausing this long without interruption (`nil`: wait forever).
  public var maxPause: Duration?
  /// How long to wait before checking again while paused.
  public var pausePollInterval: Duration
  /// How often health is sampled while batches run.
  public var checkInterval: Duration

  /// Creates a policy; the defaults suit an OLTP primary.
  public init(
    pauseReplicaLag: Duration? = .seconds(10),
    abortReplicaLag: Duration? = nil,
    pauseTransactionAge: Duration? = .seconds(300),
    abortTransactionAge: Duration? = nil,
    pauseActiveBackends: Int? = nil,
    abortActiveBackends: Int? = nil,
    pausesForAutovacuum: Bool = false,
    maxRowsPerSecond: Double? = nil,
    maxPause: Duration? = nil,
    pausePollInterval: Duration = .seconds(1),
    checkInterval: Duration = .seconds(1)
  ) {
    self.pauseReplicaLag = pauseReplicaLag
    self.abortReplicaLag = abortReplicaLag
    self.pauseTransactionAge = pauseTransactionAge
    self.abortTransactionAge = abortTransactionAge
    self.pauseActiveBackends = pauseActiveBackends
    self.abortActiveBackends = abortActiveBackends
    self.pausesForAutovacuum = pausesForAutovacuum
    self.maxRowsPerSecond = maxRowsPerSecond
    self.maxPause = maxPause
    self.pausePollInterval = pausePollInterval
    self.checkInterval = checkInterval
  }

  /// The first abort reason the sample shows, if any.
  public func abortReason(for sample: HealthSample) -> ThrottleReason? {
    if let lag = sample.replicaLag, let limit = abortReplicaLag, lag >= limit {
      return .replicaLag(lag, threshold: limit)
    }
    if let age = sample.oldestTransactionAge, let limit = abortTransactionAge, age >= limit {
      return .longTransaction(age, threshold: limit)
    }
    if let count = sample.activeBackends, let limit = abortActiveBackends, count >= limit {
      return .activeBackends(count, threshold: limit)
    }
    return nil
  }

  /// Every pause reason the sample shows, most important first.
  public func pauseReasons(for sample: HealthSample) -> [ThrottleReason] {
    var reasons: [ThrottleReason] = []
    if sample.isPauseRequested { reasons.append(.pauseRequested) }
    if let lag = sample.replicaLag, let limit = pauseReplicaLag, lag >= limit {
      reasons.append(.replicaLag(lag, threshold: limit))
    }
    if let age = sample.oldestTransactionAge, let limit = pauseTransactionAge, age >= limit {
      reasons.append(.longTransaction(age, threshold: limit))
    }
    if let count = sample.activeBackends, let limit = pauseActiveBackends, count >= limit {
      reasons.append(.activeBackends(count, threshold: limit))
    }
    if pausesForAutovacuum, sample.isAutovacuumRunning { reasons.append(.autovacuum) }
    return reasons
  }
}
