/// How a backfill sizes its batches and retries failed ones.
///
/// Batches are measured in keys (rows walked in key order), not in rows changed: the time a
/// batch takes follows the keys it visits, whatever the row filter leaves to change.
public struct BackfillTuning: Sendable, Hashable {
  /// The time one batch should take (default 200 ms).
  public var targetBatchTime: Duration
  /// The first batch's size.
  public var initialBatchSize: Int
  /// The smallest batch.
  public var minBatchSize: Int
  /// The largest batch.
  public var maxBatchSize: Int
  /// The most a batch may grow over the previous one (1.5 = at most 50 % larger).
  public var maxGrowthFactor: Double
  /// A batch slower than `targetBatchTime × slowFactor` shrinks the next one at once to the
  /// size that would have met the target.
  public var slowFactor: Double
  /// Attempts of one batch before it counts as failed (retryable failures only).
  public var maxAttempts: Int
  /// Consecutive failures of the same batch after which it is halved.
  public var halveAfterFailures: Int
  /// The first retry delay; doubled after each failure up to `maxRetryDelay`.
  public var initialRetryDelay: Duration
  /// The longest retry delay.
  public var maxRetryDelay: Duration
  /// Randomizes each retry delay between half and all of it (so workers do not retry in step).
  public var hasJitter: Bool
  /// The share of keys that may fail (after retries and halving) before the run fails;
  /// 0 fails the run at the first key that cannot be changed.
  public var maxErrorRatio: Double

  /// Creates tuning values; sizes are clamped so that `min ≤ initial ≤ max`.
  public init(
    targetBatchTime: Duration = .milliseconds(200),
    initialBatchSize: Int = 1000,
    minBatchSize: Int = 100,
    maxBatchSize: Int = 10_000,
    maxGrowthFactor: Double = 1.5,
    slowFactor: Double = 1.5,
    maxAttempts: Int = 8,
    halveAfterFailures: Int = 2,
    initialRetryDelay: Duration = .milliseconds(250),
    maxRetryDelay: Duration = .seconds(30),
    hasJitter: Bool = true,
    maxErrorRatio: Double = 0
  ) {
    let minimum = max(1, minBatchSize)
    let maximum = max(minimum, maxBatchSize)
    self.targetBatchTime = targetBatchTime
    self.minBatchSize = minimum
    self.maxBatchSize = maximum
    self.initialBatchSize = min(max(initialBatchSize, minimum), maximum)
    self.maxGrowthFactor = max(1, maxGrowthFactor)
    self.slowFactor = max(1, slowFactor)
    self.maxAttempts = max(1, maxAttempts)
    self.halveAfterFailures = max(1, halveAfterFailures)
    self.initialRetryDelay = initialRetryDelay
    self.maxRetryDelay = max(initialRetryDelay, maxRetryDelay)
    self.hasJitter = hasJitter
    self.maxErrorRatio = max(0, maxErrorRatio)
  }
}
