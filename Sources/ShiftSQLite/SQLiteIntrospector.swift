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
  /// Reads the `main` schema with what size-aware findings need: the journal mode and each
  /// table's size.
  ///
  /// Sizes: bytes from the `dbstat` virtual table (table and its indexes' pages, when the
  /// SQLite library has it), rows from `sqlite_stat1` (after `ANALYZE`); either may be
  /// missing.
  ///
  /// - Parameter connection: an open connection.
  /// - Returns: the catalog with sizes, and the journal mode.
  /// - Throws: `DriverError` when the schema cannot be read.
  public static func introspect(_ connection: inout SQLiteConnection) throws
    -> IntrospectedSQLiteDatabase
  {
    var catalog = try catalog(from: &connection)
    let journalMode = try connection.journalMode()
    var bytes: [String: Int] = [:]
    // dbstat is optional (SQLITE_ENABLE_DBSTAT_VTAB); without it sizes stay unknown.
    if let rows = try? connection.query(
      "SELECT name, SUM(pgsize) FROM dbstat WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        + "GROUP BY name",
      []
    ) {
      for row in rows {
        if let name = row[0], let size = row[1].flatMap({ Int($0) }) { bytes[name] = size }
      }
    }
    var counts: [String: Int] = [:]
    // sqlite_stat1 exists after ANALYZE; its stat column starts with the row count.
    if let rows = try? connection.query(
      "SELECT tbl, MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 GROUP BY tbl",
      []
    ) {
      for row in rows {
        if let name = row[0], let count = row[1].flatMap({ Int($0) }) { counts[name] = count }
      }
    }
    for key in catalog.tables.keys {
      guard let table = catalog[table: key] else { continue }
      var total: Int?
      if let own = bytes[key.name] {
        total = table.indexes.reduce(own) { $0 + (bytes[$1.name] ?? 0) }
      }
      catalog[table: key]?.sizeBytes = total
      catalog[table: key]?.estimatedRows = counts[key.name]
    }
    return IntrospectedSQLiteDatabase(catalog: catalog, journalMode: journalMode)
  }

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
