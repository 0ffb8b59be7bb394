/// A schema-qualified name as the catalog keys objects: `public.users`, `main.orders`.
///
/// Both parts are already normalized: PostgreSQL names are case-folded by the parser
/// (unquoted names lower-cased, quoted ones kept); SQLite names, which SQLite compares
/// case-insensitively, are lower-cased (ASCII) when they enter the catalog.
public struct ObjectName: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The schema (`public`, `main`, `pg_temp`, …).
  public var schema: String
  /// The object's own name within the schema.
  public var name: String

  /// Creates a name from its normalized parts.
  public init(schema: String, name: String) {
    self.schema = schema
    self.name = name
  }

  public var description: String { schema + "." + name }

  public static func < (lhs: ObjectName, rhs: ObjectName) -> Bool {
    (lhs.schema, lhs.name) < (rhs.schema, rhs.name)
  }
}
