import Foundation
import ShiftCLI
import ShiftDatabase
import ShiftPostgres

/// The throwaway PostgreSQL server of `Scripts/with-postgres.sh`, and helpers shared by the
/// deploy suites.
enum DeployTestSupport {
  /// `SAFESHIFT_TEST_DATABASE_URL`, if set.
  static let url: String? = ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"]
  /// The test server's bin directory (pg_dump and pg_restore of the server's version).
  static let binDirectory: String? = ProcessInfo.processInfo.environment["SAFESHIFT_TEST_PG_BINDIR"]
  /// Under CI a missing server is a failure, never a skip.
  static let isRequired = ProcessInfo.processInfo.environment["CI"] == "true"
  /// Whether the PostgreSQL suites run.
  static let hasPostgres = url != nil || isRequired

  struct Missing: Error, CustomStringConvertible {
    var description: String {
      "SAFESHIFT_TEST_DATABASE_URL is not set; run the suite with Scripts/test.sh"
    }
  }

  /// The repository's root (three levels above this file).
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// A fresh empty directory under the temporary directory.
  static func temporaryDirectory(_ name: String) throws -> String {
    let path = NSTemporaryDirectory() + "safeshift-deploy-tests-\(getpid())-\(name)"
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Creates (or recreates) a database on the test server; returns its URL.
  static func createDatabase(_ name: String) throws -> String {
    guard let url else { throw Missing() }
    var admin = try PostgresConnection(connectingTo: url)
    _ = try admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [name]
    )
    try admin.execute("DROP DATABASE IF EXISTS \"\(name)\"")
    try admin.execute("CREATE DATABASE \"\(name)\"")
    return databaseURL(name)
  }

  /// The URL of another database on the test server.
  static func databaseURL(_ name: String) -> String {
    guard let url, let slash = url.range(of: "/", options: .backwards) else { return "" }
    var query = ""
    if let question = url.range(of: "?") { query = String(url[question.lowerBound...]) }
    return String(url[..<slash.upperBound]) + name + query
  }

  /// Runs the CLI in-process; returns the exit code and the captured output.
  static func run(_ arguments: [String]) -> (code: Int32, output: String, error: String) {
    let console = Console.capturing()
    let code = SafeShiftCommand.execute(arguments, console: console)
    return (code, console.output, console.errorOutput)
  }

  /// Plans `migrations-examples/<dialect>/0002-0004` (the full_name story) into `out`.
  static func planStory(dialect: String, out: String) throws {
    let directory = root + "/migrations-examples/\(dialect)/"
    let result = run(
      [
        "plan", "--dialect", dialect, "--schema", directory + "0001_create_initial_schema.sql",
        directory + "0002_add_users_full_name.sql", directory + "0003_backfill_users_full_name.sql",
        directory + "0004_drop_users_first_last_name.sql", "--out", out,
      ]
    )
    // SQLite plans exit 1: their contract drops cannot keep the old version working (said
    // as unsafe notes), and are still planned into contract.
    guard result.code == 0 || (dialect == "sqlite" && result.code == 1) else {
      throw PlanFailed(description: "plan exited \(result.code): \(result.error)")
    }
  }

  struct PlanFailed: Error, CustomStringConvertible {
    var description: String
  }

  /// The text of a repository file.
  static func text(_ relativePath: String) throws -> String {
    try String(contentsOfFile: root + "/" + relativePath, encoding: .utf8)
  }
}
