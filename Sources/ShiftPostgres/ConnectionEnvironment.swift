import CLibPQ
public import ShiftDatabase

/// Turns a connection string into libpq environment variables (`PGHOST`, `PGPORT`,
/// `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, …), so that a client program such as `pg_dump` can
/// connect without the connection string, and its password, on its command line (where
/// other users of the machine could read it with `ps`).
public enum ConnectionEnvironment {
  /// The environment variables equivalent to `connectionString`.
  ///
  /// - Parameter connectionString: a URL or key/value string.
  /// - Returns: one variable per setting the string gives and libpq has a variable for.
  /// - Throws: `DriverError` of kind `.connectionFailed` when libpq cannot parse it (the
  ///   message never contains the string).
  public static func variables(for connectionString: String) throws(DriverError) -> [String:
    String]
  {
    var errorMessage: UnsafeMutablePointer<CChar>?
    // PQconninfoParse returns an array ending with a NULL keyword, or NULL with an error
    // message to free with PQfreemem; the array is freed with PQconninfoFree.
    guard let options = PQconninfoParse(connectionString, &errorMessage) else {
      let message = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
      if let errorMessage { PQfreemem(errorMessage) }
      throw DriverError(.connectionFailed, message: ConnectionString.redacted(message))
    }
    defer { PQconninfoFree(options) }
    var variables: [String: String] = [:]
    var index = 0
    while let keyword = options[index].keyword {
      defer { index += 1 }
      guard let value = options[index].val, let variable = options[index].envvar else { continue }
      _ = keyword
      variables[String(cString: variable)] = String(cString: value)
    }
    return variables
  }
}
