#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The time source of a backfill run, injected so tests can drive time by hand.
///
/// Workers are plain threads that block in the database driver, so sleeping blocks too.
public protocol BackfillClock: Sendable {
  /// Time since an arbitrary fixed origin (monotonic).
  var now: Duration { get }
  /// Blocks the calling thread for `duration`.
  func sleep(for duration: Duration)
}

/// The real monotonic clock (`CLOCK_MONOTONIC`).
public struct MonotonicClock: BackfillClock {
  /// Creates the clock.
  public init() {}

  public var now: Duration {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
  }

  public func sleep(for duration: Duration) {
    guard duration > .zero else { return }
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
  }
}

extension Duration {
  /// The duration in seconds, as a `Double`.
  var seconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) / 1e18
  }

  /// A duration from seconds given as a `Double`.
  static func seconds(double value: Double) -> Duration {
    .nanoseconds(Int64((value * 1e9).rounded()))
  }
}
