/// An error from a database driver, with the SQLSTATE (PostgreSQL) or result code (SQLite).
///
/// `description` is safe for CI logs: it never contains bound values or connection strings.
public struct DriverError: Error, Sendable, CustomStringConvertible {
  /// What failed, in the terms retry policies switch on.
  public enum Kind: Sendable, Equatable {
    case connectionFailed
    /// The connection is gone (network, server shutdown, backend terminated); the session
    /// cannot be used again.
    case connectionLost
    /// A lock was not available in time: PostgreSQL `lock_not_available` (55P03, e.g. after
    /// `lock_timeout`), SQLite `SQLITE_BUSY`/`SQLITE_LOCKED` (after the busy timeout).
    case lockTimeout
    case queryCanceled
    case deadlockDetected
    case serializationFailure
    case syntaxError
    case statementFailed(sqlstate: String)
    case sqliteError(code: Int32)
  }

  /// What failed.
  public var kind: Kind
  /// The server's or library's message (without secrets).
  public var message: String
  /// The statement text (never bound values), when a statement failed.
  public var sql: String?
  /// The SQLSTATE reported by PostgreSQL, if any.
  public var sqlstate: String?
  /// The extended result code reported by SQLite, if any (`SQLITE_BUSY` is 5).
  public var resultCode: Int32?

  /// Creates an error.
  public init(
    _ kind: Kind,
    message: String,
    sql: String? = nil,
    sqlstate: String? = nil,
    resultCode: Int32? = nil
  ) {
    self.kind = kind
    self.message = message
    self.sql = sql
    self.sqlstate = sqlstate
    self.resultCode = resultCode
  }

  /// Maps a SQLite result code (primary or extended) to a kind: `SQLITE_BUSY` (5) and
  /// `SQLITE_LOCKED` (6) are lock timeouts, `SQLITE_INTERRUPT` (9) a cancel,
  /// `SQLITE_CANTOPEN` (14) and `SQLITE_NOTADB` (26) connection failures; others keep
  /// their primary code.
  public static func kind(forSQLiteCode code: Int32) -> Kind {
    let primary = code & 0xFF
    switch primary {
    case 5, 6: return .lockTimeout
    case 9: return .queryCanceled
    case 14, 26: return .connectionFailed
    default: return .sqliteError(code: primary)
    }
  }

  /// Maps a PostgreSQL SQLSTATE to a kind.
  public static func kind(forSQLState sqlstate: String) -> Kind {
    switch sqlstate {
    case "55P03": .lockTimeout
    case "57014": .queryCanceled
    case "40P01": .deadlockDetected
    case "40001": .serializationFailure
    case "42601": .syntaxError
    // admin_shutdown (pg_terminate_backend), crash_shutdown, cannot_connect_now: the
    // server ends the session.
    case "57P01", "57P02", "57P03": .connectionLost
    default:
      sqlstate.hasPrefix("08") ? .connectionLost : .statementFailed(sqlstate: sqlstate)
    }
  }

  public var description: String {
    var text = message
    if let sqlstate { text += " (SQLSTATE \(sqlstate))" }
    if let resultCode { text += " (SQLite result code \(resultCode))" }
    if let sql { text += " while executing `\(sql.prefix(200))`" }
    return text
  }
}
