public import ShiftSchema

/// What ``SQLiteIntrospector/introspect(_:)`` reads from a SQLite database.
public struct IntrospectedSQLiteDatabase: Sendable {
  /// The schema, with table sizes where SQLite knows them.
  public var catalog: Catalog
  /// `PRAGMA journal_mode`, lowercased (`wal`, `delete`, …).
  public var journalMode: String

  /// Creates the result.
  public init(catalog: Catalog, journalMode: String) {
    self.catalog = catalog
    self.journalMode = journalMode
  }
}
