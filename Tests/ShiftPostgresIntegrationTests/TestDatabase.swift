import Foundation
import ShiftDatabase
import ShiftPostgres

/// The throwaway server the README's test command starts (Scripts/with-postgres.sh).
enum TestDatabase {
  /// `SAFESHIFT_TEST_DATABASE_URL`, if set.
  static let url: String? = ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"]

  /// The same database as a role that must authenticate with a password (scram-sha-256),
  /// set by Scripts/with-postgres.sh: `SAFESHIFT_TEST_PASSWORD_DATABASE_URL`.
  static let passwordURL: String? =
    ProcessInfo.processInfo.environment["SAFESHIFT_TEST_PASSWORD_DATABASE_URL"]

  /// Whether CI demands the server (a missing server is then a failure, not a skip).
  static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"

  /// Whether the Postgres suites run: a URL is set, or CI requires it (and they fail).
  static let isAvailable = url != nil || isRequired

  struct Missing: Error, CustomStringConvertible {
    var description: String {
      "SAFESHIFT_TEST_DATABASE_URL is not set; run the suite with Scripts/test.sh"
    }
  }

  /// Opens a connection to the test database.
  static func connect() throws -> PostgresConnection {
    guard let url else { throw Missing() }
    return try PostgresConnection(connectingTo: url)
  }

  /// Creates a fresh database and returns a connection string for it (same server).
  static func createScratchDatabase(_ name: String) throws -> String {
    guard let url else { throw Missing() }
    var admin = try PostgresConnection(connectingTo: url)
    try admin.execute("DROP DATABASE IF EXISTS \(name)")
    try admin.execute("CREATE DATABASE \(name)")
    guard let slash = url.range(of: "/", options: .backwards) else { throw Missing() }
    var base = String(url[..<slash.upperBound])
    var query = ""
    if let questionMark = url.range(of: "?") { query = String(url[questionMark.lowerBound...]) }
    base += name + query
    return base
  }
}
