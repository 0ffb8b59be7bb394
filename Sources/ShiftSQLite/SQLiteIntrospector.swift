import ShiftDatabase
public import ShiftSchema
import ShiftSyntax

/// Reads a SQLite database's schema into a ``Catalog``.
///
/// SQLite keeps each object's `CREATE` statement in `sqlite_schema` (rewritten by
/// `ALTER TABLE … RENAME`/`ADD COLUMN`/`DROP COLUMN`, so it describes the object as it is
/// now). Replaying those statements through ``CatalogBuilder`` — tables first, then
/// indexes, views and triggers, each kind in creation order — builds the same catalog a
/// replay of the migrations would, with origin `.introspected`.
public enum SQLiteIntrospector {
  /// Reads the `main` schema of the database behind `connection`.
  public static func catalog(from connection: inout SQLiteConnection) throws -> Catalog {
    let rows = try connection.query(
      """
      SELECT sql FROM sqlite_master
      WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
      ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END,
        rowid
      """,
      []
    )
    var builder = CatalogBuilder(dialect: .sqlite)
    for row in rows {
      guard let sql = row[0] else { continue }
      let parsed = SQLParser.parse(sql, dialect: .sqlite, path: "sqlite_schema")
      for statement in parsed.statements {
        builder.apply(statement, origin: .introspected, source: parsed.source)
      }
    }
    return builder.catalog
  }
}
