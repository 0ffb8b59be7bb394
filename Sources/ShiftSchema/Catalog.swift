import ShiftCore
import ShiftSyntax

/// The database schema as of one point in a migration set.
///
/// Built by replaying DDL (earlier migration files, `--schema` files) or, later, by
/// introspecting a live database.
public struct Catalog: Sendable {
  /// Creates an empty catalog.
  public init() {}
}
