import ShiftDatabase

extension DatabaseSession where Self: ~Copyable {
  /// Runs `body` in a transaction: `begin`, then `COMMIT`; when `body` or the commit fails,
  /// rolls back (best effort) and rethrows.
  ///
  /// - Parameters:
  ///   - begin: the statement that opens the transaction (`BEGIN IMMEDIATE` on SQLite when
  ///     the transaction writes).
  ///   - body: the work, on this session.
  /// - Returns: what `body` returns.
  /// - Throws: `DriverError` from `begin`, `body` or `COMMIT`.
  mutating func inTransaction<R>(
    _ begin: String = "BEGIN",
    _ body: (inout Self) throws(DriverError) -> R
  ) throws(DriverError) -> R {
    try execute(begin)
    do {
      let result = try body(&self)
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }
}
