import ShiftDatabase

extension BatchFailure {
  /// How the state machine treats a driver error.
  init(_ error: DriverError) {
    switch error.kind {
    case .lockTimeout: self = .lockTimeout
    case .deadlockDetected: self = .deadlock
    case .serializationFailure: self = .serializationFailure
    case .queryCanceled: self = .statementTimeout
    case .connectionLost, .connectionFailed: self = .connectionLost
    case .syntaxError: self = .fatal
    case .statementFailed(let sqlstate) where sqlstate.hasPrefix("57P"):
      // admin_shutdown, crash_shutdown, cannot_connect_now: the server ended the session.
      self = .connectionLost
    case .statementFailed(let sqlstate):
      // Class 22 (data exception) and 23 (integrity constraint violation) depend on the rows.
      self = sqlstate.hasPrefix("22") || sqlstate.hasPrefix("23") ? .dataError : .fatal
    case .sqliteError(let code):
      switch code & 0xFF {
      case 5, 6: self = .lockTimeout  // SQLITE_BUSY, SQLITE_LOCKED
      case 19, 20, 25: self = .dataError  // SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE
      default: self = .fatal
      }
    }
  }
}
