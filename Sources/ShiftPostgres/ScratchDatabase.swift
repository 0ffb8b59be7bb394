public import ShiftDatabase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A throwaway database created on a PostgreSQL server for `safeshift trace`, dropped when
/// the trace ends.
///
/// The name is `safeshift_trace_<pid>_<random hex>` (unique per run, and recognizable if a
/// killed process left one behind); the database is created from `template0`, so it holds
/// nothing but what the trace loads, and carries a comment saying it may be dropped.
/// Connections to it reuse every setting of the server's connection string (host, port,
/// user, password, TLS) except the database name.
public struct ScratchDatabase: Sendable {
  /// The prefix of every scratch database name.
  public static let namePrefix = "safeshift_trace_"

  /// The database's name.
  public let name: String
  /// The connection string of the server (any database on it); never printed.
  private let server: String

  /// Creates a uniquely named empty database on the server.
  ///
  /// - Parameter server: a connection string (URL or key/value) for a database of the server
  ///   whose user may `CREATE DATABASE`.
  /// - Returns: the new database.
  /// - Throws: `DriverError` when the server cannot be reached or refuses.
  public static func create(on server: String) throws(DriverError) -> ScratchDatabase {
    var admin = try PostgresConnection(connectingTo: server)
    let processID = Int(getpid())
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let name = "\(namePrefix)\(processID)_\(suffix)"
    let quoted = PostgresIdentifier.quote(name)
    try admin.execute("CREATE DATABASE \(quoted) TEMPLATE template0")
    // A constant comment, no user input: utility statements cannot take bound parameters.
    try? admin.execute(
      "COMMENT ON DATABASE \(quoted) IS 'safeshift trace scratch database; safe to drop'"
    )
    return ScratchDatabase(name: name, server: server)
  }

  /// Opens a session on the scratch database.
  ///
  /// - Returns: the session.
  /// - Throws: `DriverError` of kind `.connectionFailed`.
  public func connect() throws(DriverError) -> PostgresConnection {
    try PostgresConnection(connectingTo: server, database: name)
  }

  /// Drops the database, disconnecting any session still on it (`WITH (FORCE)` from
  /// PostgreSQL 13; before that, sessions must be closed first).
  ///
  /// - Throws: `DriverError` when the server cannot be reached or refuses.
  public func drop() throws(DriverError) {
    var admin = try PostgresConnection(connectingTo: server)
    let quoted = PostgresIdentifier.quote(name)
    let force = admin.serverVersion >= 130_000 ? " WITH (FORCE)" : ""
    try admin.execute("DROP DATABASE IF EXISTS \(quoted)\(force)")
  }

  /// Whether a database of that name exists on the server (for tests and diagnostics).
  ///
  /// - Parameters:
  ///   - name: a database name.
  ///   - server: a connection string for the server.
  /// - Returns: `true` when `pg_database` has it.
  /// - Throws: `DriverError`.
  public static func exists(_ name: String, on server: String) throws(DriverError) -> Bool {
    var admin = try PostgresConnection(connectingTo: server)
    let rows = try admin.query(
      "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1",
      [name]
    )
    return !rows.isEmpty
  }
}
