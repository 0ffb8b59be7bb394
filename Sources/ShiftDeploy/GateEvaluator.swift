/// What one check of a gate found.
public enum GateObservation: Sendable, Hashable {
  /// The condition holds now.
  case ok(String)
  /// Not yet (the reason is shown while waiting and in the timeout message).
  case waiting(String)
  /// Bad enough to roll back at once (a metric past its rollback threshold).
  case rollback(String)
}

/// The waiting rules of a gate, free of clocks and I/O: a gate passes once its checks have
/// been OK without a break for the bake time (0: one OK check), fails when the timeout
/// passes first, and asks for the rollback path as soon as a check says so.
public struct GateEvaluator: Sendable {
  /// What to do after an observation.
  public enum Decision: Sendable, Hashable {
    /// Check again after the interval.
    case keepWaiting
    /// The gate passed.
    case passed
    /// The timeout passed; the last reason says what was still missing.
    case timedOut(String)
    /// Take the rollback path.
    case rollback(String)
  }

  /// Seconds the checks must stay OK.
  public var bakeSeconds: Double
  /// Seconds before the gate fails.
  public var timeoutSeconds: Double
  private var okSince: Double?
  private var started: Double?

  /// Creates an evaluator.
  public init(bakeSeconds: Double, timeoutSeconds: Double) {
    self.bakeSeconds = bakeSeconds
    self.timeoutSeconds = timeoutSeconds
  }

  /// Takes an observation made at `time` (seconds on any monotonic clock).
  public mutating func observe(_ observation: GateObservation, at time: Double) -> Decision {
    if started == nil { started = time }
    let elapsed = time - (started ?? time)
    switch observation {
    case .rollback(let reason):
      return .rollback(reason)
    case .ok(let detail):
      if okSince == nil { okSince = time }
      if time - (okSince ?? time) >= bakeSeconds { return .passed }
      if elapsed >= timeoutSeconds {
        return .timedOut(
          "OK for \(Int(time - (okSince ?? time))) s of a \(Int(bakeSeconds)) s bake (\(detail))"
        )
      }
      return .keepWaiting
    case .waiting(let reason):
      okSince = nil
      return elapsed >= timeoutSeconds ? .timedOut(reason) : .keepWaiting
    }
  }
}
