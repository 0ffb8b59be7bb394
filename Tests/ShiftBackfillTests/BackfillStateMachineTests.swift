import Testing

@testable import ShiftBackfill

/// A hand-driven clock for the state machine: time moves only when a test says so.
private struct Timeline {
  var now: Duration = .zero
  mutating func advance(_ duration: Duration) -> Duration {
    now += duration
    return now
  }
}

private func machine(
  _ tuning: BackfillTuning = BackfillTuning(hasJitter: false),
  policy: ThrottlePolicy = ThrottlePolicy(checkInterval: .seconds(3600)),
  expectedKeys: Int = 0
) -> (BackfillStateMachine, BackfillStateMachine.Action) {
  var machine = BackfillStateMachine(
    tuning: tuning,
    policy: policy,
    expectedKeys: expectedKeys,
    random: SeededRandom(seed: 42)
  )
  let first = machine.start(at: .zero)
  #expect(first == .checkHealth)
  let next = machine.healthChecked(HealthSample(), at: .zero)
  return (machine, next)
}

@Suite struct AdaptiveBatchSizeTests {
  @Test func startsAtTheInitialSizeAfterAHealthCheck() {
    let (_, action) = machine()
    #expect(action == .runBatch(size: 1000))
  }

  @Test func growsAtMostByTheGrowthFactorWhenBatchesAreFast() {
    var (m, _) = machine()
    // 1000 keys in 20 ms would allow 10,000 at 200 ms; growth is bounded to 1.5×.
    #expect(
      m.batchSucceeded(keys: 1000, rows: 1000, elapsed: .milliseconds(20), at: .zero)
        == .runBatch(size: 1500)
    )
    #expect(
      m.batchSucceeded(keys: 1500, rows: 1500, elapsed: .milliseconds(20), at: .zero)
        == .runBatch(size: 2250)
    )
  }

  @Test func convergesOnTheTargetBatchTime() {
    var (m, _) = machine()
    // A table where each key costs 0.05 ms: 4,000 keys meet the 200 ms target.
    var size = 1000
    for _ in 0..<20 {
      let action = m.batchSucceeded(
        keys: size,
        rows: size,
        elapsed: .microseconds(size * 50),
        at: .zero
      )
      guard case .runBatch(let next) = action else {
        Issue.record("expected a batch, got \(action)")
        return
      }
      size = next
    }
    #expect(size == 4000)
  }

  @Test func shrinksAtOnceWhenABatchIsSlow() {
    var (m, _) = machine()
    // 1000 keys took 2 s, ten times the target: the next batch is 100 keys at once.
    #expect(
      m.batchSucceeded(keys: 1000, rows: 1000, elapsed: .seconds(2), at: .zero)
        == .runBatch(size: 100)
    )
  }

  @Test func staysWithinTheLimits() {
    var (m, _) = machine(
      BackfillTuning(initialBatchSize: 500, minBatchSize: 200, maxBatchSize: 600)
    )
    #expect(
      m.batchSucceeded(keys: 500, rows: 0, elapsed: .milliseconds(1), at: .zero)
        == .runBatch(size: 600)
    )
    #expect(
      m.batchSucceeded(keys: 600, rows: 0, elapsed: .seconds(60), at: .zero)
        == .runBatch(size: 200)
    )
  }

  @Test func countsKeysAndRowsSeparately() {
    var (m, _) = machine()
    _ = m.batchSucceeded(keys: 1000, rows: 10, elapsed: .milliseconds(200), at: .zero)
    #expect(m.keysDone == 1000)
    #expect(m.rowsChanged == 10)
  }

  @Test func tuningClampsInconsistentSizes() {
    let tuning = BackfillTuning(initialBatchSize: 5, minBatchSize: 50, maxBatchSize: 10)
    #expect(tuning.minBatchSize == 50)
    #expect(tuning.maxBatchSize == 50)
    #expect(tuning.initialBatchSize == 50)
  }
}

@Suite struct RetryTests {
  @Test func lockTimeoutsBackOffExponentiallyWithoutJitter() {
    var (m, _) = machine(BackfillTuning(initialRetryDelay: .milliseconds(100), hasJitter: false))
    var delays: [Duration] = []
    for _ in 0..<5 {
      let action = m.batchFailed(.lockTimeout, at: .zero)
      guard case .wait(let delay, let reason) = action else {
        Issue.record("expected a wait, got \(action)")
        return
      }
      #expect(reason.name == "retry-backoff")
      delays.append(delay)
    }
    #expect(delays == [100, 200, 400, 800, 1600].map { .milliseconds($0) })
  }

  @Test func backoffIsCappedAtTheMaximumDelay() {
    var (m, _) = machine(
      BackfillTuning(
        maxAttempts: 20,
        initialRetryDelay: .seconds(1),
        maxRetryDelay: .seconds(5),
        hasJitter: false
      )
    )
    var last: Duration = .zero
    for _ in 0..<10 {
      if case .wait(let delay, _) = m.batchFailed(.deadlock, at: .zero) { last = delay }
    }
    #expect(last == .seconds(5))
  }

  @Test func jitterDrawsBetweenHalfAndAllOfTheDelay() {
    let tuning = BackfillTuning(
      maxAttempts: 1000,
      initialRetryDelay: .seconds(8),
      maxRetryDelay: .seconds(8),
      hasJitter: true
    )
    var m = BackfillStateMachine(tuning: tuning, random: SeededRandom(seed: 7))
    var seen = Set<Duration>()
    for attempt in 1...200 {
      let delay = m.backoff(attempt: attempt)
      #expect(delay >= .seconds(4) && delay <= .seconds(8))
      seen.insert(delay)
    }
    #expect(seen.count > 150)
  }

  @Test func jitterIsAPureFunctionOfTheSeed() {
    let tuning = BackfillTuning(hasJitter: true)
    var a = BackfillStateMachine(tuning: tuning, random: SeededRandom(seed: 1))
    var b = BackfillStateMachine(tuning: tuning, random: SeededRandom(seed: 1))
    #expect((1...5).map { a.backoff(attempt: $0) } == (1...5).map { b.backoff(attempt: $0) })
  }

  @Test func theRetriedBatchRunsAfterTheWait() {
    var (m, _) = machine()
    _ = m.batchFailed(.lockTimeout, at: .zero)
    #expect(m.waited(at: .milliseconds(300)) == .runBatch(size: 1000))
  }

  @Test func aBatchThatKeepsFailingIsHalved() {
    var (m, _) = machine(BackfillTuning(halveAfterFailures: 2, hasJitter: false))
    var sizes: [Int] = []
    for _ in 0..<6 {
      _ = m.batchFailed(.lockTimeout, at: .zero)
      if case .runBatch(let size) = m.waited(at: .zero) { sizes.append(size) }
    }
    #expect(sizes == [1000, 500, 500, 250, 250, 125])
  }

  @Test func successAfterRetriesResetsTheAttemptCount() {
    var (m, _) = machine(BackfillTuning(initialRetryDelay: .milliseconds(100), hasJitter: false))
    _ = m.batchFailed(.lockTimeout, at: .zero)
    _ = m.batchFailed(.lockTimeout, at: .zero)
    _ = m.batchSucceeded(keys: 250, rows: 250, elapsed: .milliseconds(200), at: .zero)
    #expect(
      m.batchFailed(.lockTimeout, at: .zero)
        == .wait(.milliseconds(100), reason: .retryBackoff(attempt: 1))
    )
  }

  @Test func statementTimeoutsHalveAtOnceWithoutWaiting() {
    var (m, _) = machine()
    #expect(m.batchFailed(.statementTimeout, at: .zero) == .runBatch(size: 500))
    #expect(m.batchFailed(.statementTimeout, at: .zero) == .runBatch(size: 250))
    #expect(m.batchSize == 250)
  }

  @Test func givesUpOnABatchAfterTheLastAttempt() {
    var (m, _) = machine(BackfillTuning(maxAttempts: 3, halveAfterFailures: 10, hasJitter: false))
    _ = m.batchFailed(.lockTimeout, at: .zero)
    _ = m.batchFailed(.lockTimeout, at: .zero)
    #expect(m.batchFailed(.lockTimeout, at: .zero) == .skipBatch(size: 1000))
  }

  @Test func fatalErrorsStopTheRunAtOnce() {
    var (m, _) = machine()
    #expect(m.batchFailed(.fatal, at: .zero) == .fail(.batchFailed(.fatal)))
  }
}

@Suite struct ErrorRatioTests {
  @Test func dataErrorsAreIsolatedByHalvingDownToOneKey() {
    var (m, _) = machine(BackfillTuning(initialBatchSize: 8, minBatchSize: 4))
    #expect(m.batchFailed(.dataError, at: .zero) == .runBatch(size: 4))
    #expect(m.batchFailed(.dataError, at: .zero) == .runBatch(size: 2))
    #expect(m.batchFailed(.dataError, at: .zero) == .runBatch(size: 1))
    #expect(m.batchFailed(.dataError, at: .zero) == .skipBatch(size: 1))
  }

  @Test func withRatioZeroTheFirstFailedKeyFailsTheRun() {
    var (m, _) = machine()
    _ = m.batchSucceeded(keys: 1000, rows: 1000, elapsed: .milliseconds(200), at: .zero)
    #expect(
      m.batchSkipped(keys: 1, at: .zero) == .fail(.tooManyFailedKeys(failed: 1, walked: 1001))
    )
  }

  @Test func failedKeysWithinTheRatioAreSkipped() {
    var (m, _) = machine(
      BackfillTuning(hasJitter: false, maxErrorRatio: 0.01),
      expectedKeys: 10_000
    )
    #expect(m.batchSkipped(keys: 50, at: .zero) == .runBatch(size: 1000))
    #expect(m.finish() == nil)
    #expect(
      m.batchSkipped(keys: 60, at: .zero) == .fail(.tooManyFailedKeys(failed: 110, walked: 110))
    )
  }

  @Test func theRatioIsCheckedAgainAtTheEnd() {
    var (m, _) = machine(BackfillTuning(hasJitter: false, maxErrorRatio: 0.5), expectedKeys: 10)
    _ = m.batchSkipped(keys: 4, at: .zero)
    _ = m.batchSucceeded(keys: 2, rows: 2, elapsed: .milliseconds(1), at: .zero)
    #expect(m.finish() == nil)
    var (n, _) = machine(BackfillTuning(hasJitter: false, maxErrorRatio: 0.5), expectedKeys: 10)
    _ = n.batchSkipped(keys: 5, at: .zero)
    _ = n.batchSkipped(keys: 1, at: .zero)
    #expect(n.finish() == .tooManyFailedKeys(failed: 6, walked: 6))
  }

  @Test func errorDescriptionsNameTheFailedKeys() {
    let error = BackfillError(
      .tooManyFailedKeys(failed: 1, walked: 10),
      message: "",
      failedRanges: ["(41, 42]"]
    )
    #expect(error.description.contains("(41, 42]"))
  }
}

@Suite struct ThrottleTests {
  private let policy = ThrottlePolicy(
    pauseReplicaLag: .seconds(5),
    abortReplicaLag: .seconds(60),
    pauseTransactionAge: .seconds(30),
    abortTransactionAge: .seconds(600),
    pauseActiveBackends: 20,
    abortActiveBackends: 100,
    pausesForAutovacuum: true,
    maxPause: .seconds(120),
    pausePollInterval: .seconds(2),
    checkInterval: .seconds(1)
  )

  struct Case: Sendable, CustomTestStringConvertible {
    var id: String
    var sample: HealthSample
    var pause: String?
    var abort: String?
    var testDescription: String { id }
  }

  static let cases: [Case] = [
    Case(id: "healthy", sample: HealthSample(replicaLag: .seconds(1), activeBackends: 3)),
    Case(id: "lag pauses", sample: HealthSample(replicaLag: .seconds(5)), pause: "replica-lag"),
    Case(id: "lag aborts", sample: HealthSample(replicaLag: .seconds(61)), abort: "replica-lag"),
    Case(
      id: "old transaction pauses",
      sample: HealthSample(oldestTransactionAge: .seconds(45)),
      pause: "long-transaction"
    ),
    Case(
      id: "very old transaction aborts",
      sample: HealthSample(oldestTransactionAge: .seconds(601)),
      abort: "long-transaction"
    ),
    Case(id: "busy pauses", sample: HealthSample(activeBackends: 20), pause: "active-backends"),
    Case(
      id: "overload aborts",
      sample: HealthSample(activeBackends: 100),
      abort: "active-backends"
    ),
    Case(
      id: "autovacuum pauses",
      sample: HealthSample(isAutovacuumRunning: true),
      pause: "autovacuum"
    ),
    Case(id: "flag pauses", sample: HealthSample(isPauseRequested: true), pause: "pause-requested"),
    Case(
      id: "flag named first",
      sample: HealthSample(replicaLag: .seconds(6), isPauseRequested: true),
      pause: "pause-requested"
    ),
  ]

  @Test(arguments: cases) func decidesOnEachSignal(_ example: Case) {
    var m = BackfillStateMachine(policy: policy, random: SeededRandom(seed: 1))
    _ = m.start(at: .zero)
    let action = m.healthChecked(example.sample, at: .zero)
    switch action {
    case .runBatch:
      #expect(example.pause == nil && example.abort == nil)
    case .wait(let delay, let reason):
      #expect(delay == .seconds(2))
      #expect(reason.name == example.pause)
      #expect(m.throttleReason == reason)
    case .fail(.aborted(let reason)):
      #expect(reason.name == example.abort)
    default:
      Issue.record("unexpected \(action)")
    }
  }

  @Test func aPausedRunChecksAgainAfterThePollIntervalAndResumes() {
    var m = BackfillStateMachine(policy: policy, random: SeededRandom(seed: 1))
    var time = Timeline()
    _ = m.start(at: time.now)
    _ = m.healthChecked(HealthSample(isPauseRequested: true), at: time.now)
    #expect(m.waited(at: time.advance(.seconds(2))) == .checkHealth)
    #expect(m.healthChecked(HealthSample(), at: time.now) == .runBatch(size: 1000))
    #expect(m.throttleReason == nil)
  }

  @Test func pausingLongerThanTheMaximumAborts() {
    var m = BackfillStateMachine(policy: policy, random: SeededRandom(seed: 1))
    var time = Timeline()
    _ = m.start(at: time.now)
    let lagging = HealthSample(replicaLag: .seconds(10))
    var action = m.healthChecked(lagging, at: time.now)
    while case .wait = action {
      _ = m.waited(at: time.advance(.seconds(2)))
      action = m.healthChecked(lagging, at: time.now)
    }
    guard case .fail(.pausedTooLong(let reason, let duration)) = action else {
      Issue.record("expected an abort, got \(action)")
      return
    }
    #expect(reason.name == "replica-lag")
    #expect(duration == .seconds(120))
  }

  @Test func healthIsSampledEveryCheckInterval() {
    var m = BackfillStateMachine(policy: policy, random: SeededRandom(seed: 1))
    var time = Timeline()
    _ = m.start(at: time.now)
    _ = m.healthChecked(HealthSample(), at: time.now)
    let fast = m.batchSucceeded(
      keys: 1000,
      rows: 1000,
      elapsed: .milliseconds(200),
      at: time.advance(.milliseconds(500))
    )
    #expect(fast == .runBatch(size: 1000))
    let late = m.batchSucceeded(
      keys: 1000,
      rows: 1000,
      elapsed: .milliseconds(200),
      at: time.advance(.milliseconds(600))
    )
    #expect(late == .checkHealth)
  }

  @Test func theRateLimitSpacesBatches() {
    let limited = ThrottlePolicy(maxRowsPerSecond: 1000, checkInterval: .seconds(3600))
    var m = BackfillStateMachine(policy: limited, random: SeededRandom(seed: 1))
    var time = Timeline()
    _ = m.start(at: time.now)
    _ = m.healthChecked(HealthSample(), at: time.now)
    let action = m.batchSucceeded(
      keys: 1000,
      rows: 500,
      elapsed: .milliseconds(100),
      at: time.advance(.milliseconds(100))
    )
    #expect(action == .wait(.milliseconds(400), reason: .rateLimit(rowsPerSecond: 1000)))
    #expect(m.waited(at: time.advance(.milliseconds(400))) == .runBatch(size: 1500))
  }

  @Test func reasonsReadWell() {
    #expect(
      ThrottleReason.replicaLag(.milliseconds(12_300), threshold: .seconds(10)).description
        == "replica lag 12s ≥ 10s"
    )
    #expect(ThrottleReason.pauseRequested.description == "pause requested")
  }
}
