import Foundation
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftSQLite
import ShiftSyntax

/// Work done on one open database session, whichever driver serves the target.
protocol SessionWork {
  associatedtype Output
  mutating func run(_ session: inout some DatabaseSession & ~Copyable) throws -> Output
}

/// Where `deploy`, `backup` and `status` connect: a PostgreSQL URL or key/value string, or
/// a SQLite file (`sqlite:PATH`, `sqlite://PATH`, or a path ending in `.db`, `.sqlite`,
/// `.sqlite3`).
enum DatabaseTarget {
  /// The dialect a connection string names (`fallback` when it does not say).
  static func dialect(of url: String, fallback: Dialect?) -> Dialect {
    if url.hasPrefix("sqlite:") || url.hasPrefix("file:") { return .sqlite }
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.contains("=") {
      return .postgres
    }
    if url.hasSuffix(".db") || url.hasSuffix(".sqlite") || url.hasSuffix(".sqlite3") {
      return .sqlite
    }
    return fallback ?? .postgres
  }

  /// The file path of a SQLite target.
  static func sqlitePath(_ url: String) -> String {
    for prefix in ["sqlite://", "sqlite:", "file:"] where url.hasPrefix(prefix) {
      return String(url.dropFirst(prefix.count))
    }
    return url
  }

  /// Opens the target and runs `work` on it.
  static func open<Work: SessionWork>(_ url: String, dialect: Dialect, _ work: inout Work) throws
    -> Work.Output
  {
    switch dialect {
    case .postgres:
      var session = try PostgresConnection(connectingTo: url)
      return try work.run(&session)
    case .sqlite:
      var session = try SQLiteConnection(path: sqlitePath(url))
      return try work.run(&session)
    }
  }

  /// The connection string from the option, else `SAFESHIFT_DATABASE_URL`.
  static func resolve(_ option: String?) -> String? {
    if let option, !option.isEmpty { return option }
    if let environment = ProcessInfo.processInfo.environment["SAFESHIFT_DATABASE_URL"],
      !environment.isEmpty
    {
      return environment
    }
    return nil
  }

  /// The connection string from the option, else `SAFESHIFT_DATABASE_URL`; when there is
  /// neither, prints the usage error and returns `nil` (the caller exits with `.usage`).
  static func resolve(_ option: String?, console: Console) -> String? {
    guard let url = resolve(option) else {
      console.error("error: no database: pass --database-url or set SAFESHIFT_DATABASE_URL")
      return nil
    }
    return url
  }

  /// Prints an error of deploy, backup or status and returns exit code 2.
  static func report(_ error: any Error, console: Console) -> ShiftExitCode {
    switch error {
    case let error as DriverError:
      console.error("error: database: \(error)")
    default:
      console.error("error: \(error)")
    }
    return .failure
  }
}
