import Foundation
import ShiftDatabase
import ShiftPostgres

/// The schema of a live PostgreSQL database as SQL, from `pg_dump --schema-only`: no rows,
/// no owners, no privileges, no publications or subscriptions.
///
/// The connection string reaches `pg_dump` as libpq environment variables (`PGHOST`,
/// `PGPASSWORD`, …), never on its command line, where `ps` would show the password.
enum SchemaDump {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Runs `pg_dump` and returns its output.
  ///
  /// - Parameters:
  ///   - connectionString: the database (URL or key/value string).
  ///   - program: `pg_dump`, or a path to it.
  /// - Returns: the SQL text.
  /// - Throws: ``Failure`` when `pg_dump` cannot run or fails (with its message, which
  ///   libpq never fills with the password).
  static func dump(_ connectionString: String, program: String) throws -> String {
    var environment = ProcessInfo.processInfo.environment
    for (name, value) in try ConnectionEnvironment.variables(for: connectionString) {
      environment[name] = value
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      program, "--schema-only", "--no-owner", "--no-privileges", "--no-publications",
      "--no-subscriptions",
    ]
    process.environment = environment
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    do {
      try process.run()
    } catch {
      throw Failure(description: "cannot run \(program): \(error.localizedDescription)")
    }
    // pg_dump writes little to standard error (a message when it fails), so reading
    // standard output to its end first cannot leave it blocked on a full error pipe.
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let text = String(decoding: errorData, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw Failure(
        description: "\(program) failed (exit \(process.terminationStatus)): "
          + ConnectionString.redacted(text)
      )
    }
    return String(decoding: data, as: UTF8.self)
  }
}
