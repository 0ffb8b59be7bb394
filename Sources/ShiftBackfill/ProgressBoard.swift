import Synchronization

/// What the workers of one process report while they run, read by the progress monitor.
final class ProgressBoard: Sendable {
  struct Snapshot: Sendable {
    var keys = 0
    var rows = 0
    var batches = 0
    var failedBatches = 0
    var reasons: [Int: ThrottleReason] = [:]
  }

  private let state = Mutex(Snapshot())

  func record(keys: Int, rows: Int) {
    state.withLock {
      $0.keys += keys
      $0.rows += rows
      $0.batches += 1
    }
  }

  func recordFailedBatch() { state.withLock { $0.failedBatches += 1 } }

  func setReason(_ reason: ThrottleReason?, worker: Int) {
    state.withLock { $0.reasons[worker] = reason }
  }

  func snapshot() -> Snapshot { state.withLock { $0 } }
}
