/// A column of the keyset a backfill walks.
public struct KeyColumn: Sendable, Hashable {
  /// The column name (unquoted).
  public var name: String
  /// Its SQL type as the catalog prints it (`bigint`, `text`, `uuid`), used to cast bound key
  /// values back; empty on SQLite, where column affinity converts them.
  public var type: String

  /// Creates a key column.
  public init(name: String, type: String) {
    self.name = name
    self.type = type
  }
}
