/// Why a backfill is waiting or stopped; every pause and abort names one.
public enum ThrottleReason: Sendable, Hashable, CustomStringConvertible {
  /// A replica's replay lag reached the threshold.
  case replicaLag(Duration, threshold: Duration)
  /// Another session's transaction has been open this long.
  case longTransaction(Duration, threshold: Duration)
  /// This many other backends are running statements.
  case activeBackends(Int, threshold: Int)
  /// Autovacuum is processing the table.
  case autovacuum
  /// The ledger's pause flag or the pause file is set.
  case pauseRequested
  /// The run is ahead of the maximum rows per second.
  case rateLimit(rowsPerSecond: Double)
  /// A batch failed and is retried after a delay.
  case retryBackoff(attempt: Int)

  /// A stable short name for logs and the ledger (`replica-lag`, `pause-requested`, …).
  public var name: String {
    switch self {
    case .replicaLag: "replica-lag"
    case .longTransaction: "long-transaction"
    case .activeBackends: "active-backends"
    case .autovacuum: "autovacuum"
    case .pauseRequested: "pause-requested"
    case .rateLimit: "rate-limit"
    case .retryBackoff: "retry-backoff"
    }
  }

  public var description: String {
    switch self {
    case .replicaLag(let lag, let threshold):
      "replica lag \(Self.format(lag)) ≥ \(Self.format(threshold))"
    case .longTransaction(let age, let threshold):
      "a transaction open for \(Self.format(age)) ≥ \(Self.format(threshold))"
    case .activeBackends(let count, let threshold):
      "\(count) active backends ≥ \(threshold)"
    case .autovacuum: "autovacuum is processing the table"
    case .pauseRequested: "pause requested"
    case .rateLimit(let rate): "rate limit \(Int(rate)) rows/s"
    case .retryBackoff(let attempt): "retrying a failed batch (attempt \(attempt))"
    }
  }

  static func format(_ duration: Duration) -> String {
    let seconds = duration.seconds
    return seconds < 10 ? "\((seconds * 10).rounded() / 10)s" : "\(Int(seconds.rounded()))s"
  }
}
