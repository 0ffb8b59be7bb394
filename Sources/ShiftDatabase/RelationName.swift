/// A schema-qualified relation name, as the server spells it (no quoting, case preserved).
public struct RelationName: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The schema (`public`, `pg_toast`, …).
  public var schema: String
  /// The relation's name within the schema.
  public var name: String

  /// Creates a name.
  public init(schema: String, name: String) {
    self.schema = schema
    self.name = name
  }

  public static func < (lhs: RelationName, rhs: RelationName) -> Bool {
    (lhs.schema, lhs.name) < (rhs.schema, rhs.name)
  }

  /// `schema.name`, unquoted; for messages, not for SQL.
  public var description: String { "\(schema).\(name)" }
}
