/// How a batch failed, in the terms the state machine decides on.
public enum BatchFailure: Sendable, Hashable {
  /// `lock_timeout` (SQLSTATE 55P03) or SQLite's busy timeout: retried with backoff.
  case lockTimeout
  /// Deadlock (40P01): retried with backoff.
  case deadlock
  /// Serialization failure (40001): retried with backoff.
  case serializationFailure
  /// The connection broke; the runner reconnects, then the batch is retried with backoff.
  case connectionLost
  /// `statement_timeout` (57014): the batch is too big; it is halved at once and retried.
  case statementTimeout
  /// The change fails for some rows (a constraint, a cast): halved until the failing keys are
  /// isolated, then skipped as failed keys.
  case dataError
  /// Fails whatever the batch (syntax, missing column, permission): the run stops.
  case fatal

  /// Whether waiting and trying again may help.
  var isTransient: Bool {
    switch self {
    case .lockTimeout, .deadlock, .serializationFailure, .connectionLost: true
    case .statementTimeout, .dataError, .fatal: false
    }
  }
}
