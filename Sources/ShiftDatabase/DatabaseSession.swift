/// A connection to one database, owned by one task.
///
/// Values are always bound as parameters, never spliced into SQL text.
public protocol DatabaseSession: ~Copyable {
  /// Runs statements that return no rows (several may be separated by `;` when there
  /// are no parameters).
  mutating func execute(_ sql: String) throws(DriverError)

  /// Runs a query with bound text parameters and returns its rows as text (`nil` for NULL).
  mutating func query(_ sql: String, _ parameters: [String?]) throws(DriverError) -> [[String?]]
}
