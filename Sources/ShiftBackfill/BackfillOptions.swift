public import ShiftPlanner

/// How one process runs a backfill.
public struct BackfillOptions: Sendable {
  /// Workers in this process (threads, each with its own connection).
  public var workers: Int
  /// This process's worker name in the ledger (`host:pid` by default); workers append
  /// `/1`, `/2`, ….
  public var workerName: String
  /// Batch sizing and retries.
  public var tuning: BackfillTuning
  /// Throttle thresholds.
  public var policy: ThrottlePolicy
  /// While this file exists the backfill pauses.
  public var pauseFile: String?
  /// Keys per ledger range when the work is first split (more ranges when more workers).
  public var keysPerRange: Int
  /// The least number of ranges to split into (for other processes that will join).
  public var minRanges: Int
  /// How often progress is read from the ledger and reported.
  public var progressInterval: Duration
  /// SQLite: seconds without a checkpoint after which another worker may take a range over.
  public var leaseSeconds: Int
  /// After each batch, rest this fraction of the batch's time before the next one (0: none),
  /// so that other writers waiting on SQLite's single write lock get in.
  public var restRatio: Double
  /// SQLite: whether the worker of that name is known to be gone (its process ended), so its
  /// ranges can be taken over at once instead of after the lease.
  public var isWorkerGone: @Sendable (String) -> Bool
  /// A fixed jitter seed (tests); `nil` draws one.
  public var seed: UInt64?

  /// Creates options.
  public init(
    workers: Int = 1,
    workerName: String = "worker",
    tuning: BackfillTuning = BackfillTuning(),
    policy: ThrottlePolicy = ThrottlePolicy(),
    pauseFile: String? = nil,
    keysPerRange: Int = 250_000,
    minRanges: Int = 1,
    progressInterval: Duration = .seconds(1),
    leaseSeconds: Int = 60,
    restRatio: Double = 0,
    isWorkerGone: @escaping @Sendable (String) -> Bool = { _ in false },
    seed: UInt64? = nil
  ) {
    self.workers = max(1, workers)
    self.workerName = workerName
    self.tuning = tuning
    self.policy = policy
    self.pauseFile = pauseFile
    self.keysPerRange = max(1, keysPerRange)
    self.minRanges = max(1, minRanges)
    self.progressInterval = progressInterval
    self.leaseSeconds = max(1, leaseSeconds)
    self.restRatio = max(0, restRatio)
    self.isWorkerGone = isWorkerGone
    self.seed = seed
  }

  /// The tuning a spec's batch settings ask for, with the other values of `tuning`.
  public static func tuning(
    for settings: BackfillSpec.BatchSettings,
    base: BackfillTuning = BackfillTuning()
  ) -> BackfillTuning {
    BackfillTuning(
      targetBatchTime: .milliseconds(settings.targetBatchMilliseconds),
      initialBatchSize: settings.initialBatchSize,
      minBatchSize: settings.minBatchSize,
      maxBatchSize: settings.maxBatchSize,
      maxGrowthFactor: base.maxGrowthFactor,
      slowFactor: base.slowFactor,
      maxAttempts: base.maxAttempts,
      halveAfterFailures: base.halveAfterFailures,
      initialRetryDelay: base.initialRetryDelay,
      maxRetryDelay: base.maxRetryDelay,
      hasJitter: base.hasJitter,
      maxErrorRatio: base.maxErrorRatio
    )
  }
}
