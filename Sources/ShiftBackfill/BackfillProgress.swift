/// The figures of a running backfill, across all its workers (from the ledger).
public struct BackfillProgress: Sendable, Hashable {
  /// Keys walked (rows visited in key order), by every worker so far.
  public var keysDone: Int
  /// Rows changed.
  public var rowsChanged: Int
  /// Keys given up on.
  public var failedKeys: Int
  /// The estimated keys to walk (0 if unknown).
  public var keysEstimated: Int
  /// Key ranges done, and in all.
  public var rangesDone: Int
  /// Key ranges in all.
  public var ranges: Int
  /// Keys walked per second by this process's run.
  public var keysPerSecond: Double
  /// Time since this process started working.
  public var elapsed: Duration
  /// Why the run waits, if it does.
  public var throttleReason: ThrottleReason?
  /// The ledger state (`running`, `done`, `failed`).
  public var state: String

  /// Creates a progress value.
  public init(
    keysDone: Int = 0,
    rowsChanged: Int = 0,
    failedKeys: Int = 0,
    keysEstimated: Int = 0,
    rangesDone: Int = 0,
    ranges: Int = 0,
    keysPerSecond: Double = 0,
    elapsed: Duration = .zero,
    throttleReason: ThrottleReason? = nil,
    state: String = "running"
  ) {
    self.keysDone = keysDone
    self.rowsChanged = rowsChanged
    self.failedKeys = failedKeys
    self.keysEstimated = keysEstimated
    self.rangesDone = rangesDone
    self.ranges = ranges
    self.keysPerSecond = keysPerSecond
    self.elapsed = elapsed
    self.throttleReason = throttleReason
    self.state = state
  }

  /// The share done, 0…1 (1 when done, whatever the estimate said).
  public var fraction: Double {
    if state == "done" { return 1 }
    guard keysEstimated > 0 else { return 0 }
    return min(1, Double(keysDone) / Double(keysEstimated))
  }

  /// The estimated time left, when a rate is known.
  public var eta: Duration? {
    guard keysPerSecond > 0, keysEstimated > 0 else { return nil }
    return .seconds(double: Double(max(0, keysEstimated - keysDone)) / keysPerSecond)
  }

  /// One structured line (`key=value` pairs) for logs.
  public var line: String {
    var text = "backfill state=\(state) rows=\(keysDone) estimated=\(keysEstimated)"
    text += " percent=\(Self.percent(fraction)) changed=\(rowsChanged)"
    text += " rate=\(Int(keysPerSecond.rounded()))/s"
    if let eta { text += " eta=\(Self.clock(eta))" }
    text += " ranges=\(rangesDone)/\(ranges) failed=\(failedKeys)"
    if let throttleReason {
      text += " throttle=\(throttleReason.name) reason=\"\(throttleReason)\""
    }
    return text
  }

  /// A one-line bar for terminals, `width` characters of bar.
  public func bar(width: Int = 30) -> String {
    let filled = Int((fraction * Double(width)).rounded(.down))
    var text = "[" + String(repeating: "#", count: filled)
    text += String(repeating: ".", count: max(0, width - filled)) + "] "
    text += "\(Self.percent(fraction))% \(keysDone)/\(keysEstimated) rows"
    text += " \(Int(keysPerSecond.rounded())) rows/s"
    text += " ETA " + (eta.map(Self.clock) ?? "--:--")
    if let throttleReason { text += " paused: \(throttleReason)" }
    return text
  }

  static func percent(_ fraction: Double) -> String {
    String(Double(Int((fraction * 1000).rounded())) / 10)
  }

  static func clock(_ duration: Duration) -> String {
    let total = Int(duration.seconds.rounded())
    let hours = total / 3600
    let minutes = (total % 3600) / 60
    let seconds = total % 60
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0
      ? "\(hours):\(two(minutes)):\(two(seconds))" : "\(two(minutes)):\(two(seconds))"
  }
}
