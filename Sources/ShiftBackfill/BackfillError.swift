public import ShiftDatabase

/// Why a backfill could not do its job.
///
/// `description` is safe for logs: it names keys of failed batches (key values, never other
/// row data), SQLSTATEs and statement text, never connection strings.
public struct BackfillError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Hashable {
    /// A health signal crossed its abort threshold.
    case aborted(ThrottleReason)
    /// The run stayed paused longer than the policy allows.
    case pausedTooLong(ThrottleReason, for: Duration)
    /// More keys failed than the error ratio allows.
    case tooManyFailedKeys(failed: Int, walked: Int)
    /// A batch failed in a way retrying cannot fix.
    case batchFailed(BatchFailure)
    /// The spec cannot be run (bad JSON, no key, unknown table).
    case invalidSpec
    /// A backfill of the same name exists in the ledger with a different spec.
    case specChanged
    /// The database failed outside a batch (connecting, the ledger, planning ranges).
    case database
  }

  /// What went wrong.
  public var kind: Kind
  /// Details.
  public var message: String
  /// The key ranges given up on, as `(lower, upper]` text.
  public var failedRanges: [String]
  /// The driver's error, if one caused this.
  public var driverError: DriverError?

  /// Creates an error.
  public init(
    _ kind: Kind,
    message: String,
    failedRanges: [String] = [],
    driverError: DriverError? = nil
  ) {
    self.kind = kind
    self.message = message
    self.failedRanges = failedRanges
    self.driverError = driverError
  }

  public var description: String {
    var text: String
    switch kind {
    case .aborted(let reason): text = "aborted: \(reason)"
    case .pausedTooLong(let reason, let duration):
      text = "paused too long (\(ThrottleReason.format(duration))): \(reason)"
    case .tooManyFailedKeys(let failed, let walked):
      text = "\(failed) of \(walked) keys failed, more than the error ratio allows"
    case .batchFailed: text = "a batch failed"
    case .invalidSpec: text = "invalid backfill"
    case .specChanged: text = "the backfill changed"
    case .database: text = "database error"
    }
    if !message.isEmpty { text += ": " + message }
    if let driverError { text += ": \(driverError)" }
    if !failedRanges.isEmpty {
      text += "; failed key ranges: " + failedRanges.prefix(20).joined(separator: ", ")
      if failedRanges.count > 20 { text += " and \(failedRanges.count - 20) more" }
    }
    return text
  }
}

extension BackfillError {
  /// Runs one database step of the engine, turning a driver error into a `.database`
  /// error that names the step.
  ///
  /// - Parameters:
  ///   - step: what the step does, as the error's message ("claiming a key range").
  ///   - body: the step.
  /// - Returns: what `body` returns.
  /// - Throws: `BackfillError` of kind `.database` with the driver's error.
  static func duringDatabaseStep<R>(
    _ step: String,
    _ body: () throws(DriverError) -> R
  ) throws(BackfillError) -> R {
    do {
      return try body()
    } catch {
      throw BackfillError(.database, message: step, driverError: error)
    }
  }
}
