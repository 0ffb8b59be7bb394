/// An error from a database driver, with the SQLSTATE (PostgreSQL) or result code (SQLite).
///
/// `description` is safe for CI logs: it never contains bound values or connection strings.
public struct DriverError: Error, Sendable, CustomStringConvertible {
  /// What failed, in the terms retry policies switch on.
  public enum Kind: Sendable, Equatable {
    case connectionFailed
    case connectionLost
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

  /// Creates an error.
  public init(_ kind: Kind, message: String, sql: String? = nil, sqlstate: String? = nil) {
    self.kind = kind
    self.message = message
    self.sql = sql
    self.sqlstate = sqlstate
  }

  /// Maps a PostgreSQL SQLSTATE to a kind.
  public static func kind(forSQLState sqlstate: String) -> Kind {
    switch sqlstate {
    case "55P03": .lockTimeout
    case "57014": .queryCanceled
    case "40P01": .deadlockDetected
    case "40001": .serializationFailure
    case "42601": .syntaxError
    default:
      sqlstate.hasPrefix("08") ? .connectionLost : .statementFailed(sqlstate: sqlstate)
    }
  }

  public var description: String {
    var text = message
    if let sqlstate { text += " (SQLSTATE \(sqlstate))" }
    if let sql { text += " while executing `\(sql.prefix(200))`" }
    return text
  }
}
