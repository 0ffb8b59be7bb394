public import ShiftDatabase
import ShiftSyntax

/// Quoting of SQL identifiers (table, column, schema names) for PostgreSQL.
///
/// Values are never quoted into SQL: they are bound as parameters. Identifiers cannot be
/// bound, so every identifier that goes into SQL text passes through ``quote(_:)``.
public enum PostgresIdentifier {
  /// The identifier as a quoted identifier: wrapped in double quotes, with each embedded
  /// double quote doubled, so the server reads back exactly `name` (capitals, spaces and
  /// keywords included).
  ///
  /// This is what libpq's `PQescapeIdentifier` produces for a UTF-8 connection, without
  /// needing one. PostgreSQL identifiers cannot contain NUL; libpq passes SQL as a C string,
  /// so text after a NUL never reaches the server, and the statement fails on the
  /// unterminated identifier instead of running something else.
  ///
  /// - Parameter name: the identifier as stored in the catalog (`My "odd" table`).
  /// - Returns: the quoted form (`"My ""odd"" table"`).
  public static func quote(_ name: String) -> String {
    SQLIdentifier.quoted(name)
  }

  /// The schema-qualified name with both parts quoted (`"public"."users"`).
  ///
  /// - Parameter relation: the relation's schema and name.
  /// - Returns: `quote(schema) + "." + quote(name)`.
  public static func quote(_ relation: RelationName) -> String {
    quote(relation.schema) + "." + quote(relation.name)
  }
}
