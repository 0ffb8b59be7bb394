public import ShiftDatabase
import ShiftSyntax

/// Fills the empty tables of a SQLite scratch copy with generated rows, so that a trace can
/// see full scans (an empty table is scanned in no steps).
///
/// For each ordinary table (not virtual, not `sqlite_*`) without rows, one statement
/// `WITH RECURSIVE s(g) AS (…) INSERT INTO t (…) SELECT … FROM s` sets every column that has
/// no default and is not an `INTEGER PRIMARY KEY` (SQLite numbers those), from its declared
/// type's affinity: integers and numerics `g`, reals `g + 0.5`, text and anything else
/// `'v' || g`. Foreign keys are not checked unless the connection enabled them. A table
/// whose insert fails (a CHECK, a NOT NULL column the values miss) is left empty and
/// reported. Identifiers are quoted; the row count is bound.
public enum SQLitePopulator {
  /// What was inserted.
  public struct Report: Sendable, Hashable {
    /// Tables that got rows.
    public var populated: [String] = []
    /// Tables left as they were because they already had rows.
    public var alreadyFilled: [String] = []
    /// Tables left empty, with the reason.
    public var skipped: [(table: String, reason: String)] {
      skippedTables.map { ($0.table, $0.reason) }
    }
    var skippedTables: [Skipped] = []

    struct Skipped: Sendable, Hashable {
      var table: String
      var reason: String
    }

    /// Tables that hold rows after population.
    public var tablesWithRows: Set<String> { Set(populated).union(alreadyFilled) }
  }

  /// Fills the empty tables.
  ///
  /// - Parameters:
  ///   - connection: a session outside a transaction.
  ///   - rows: rows per table (`0` does nothing).
  /// - Returns: what was filled.
  /// - Throws: `DriverError` when reading the schema fails (failed inserts are reported).
  public static func populate(
    _ connection: inout SQLiteConnection,
    rows: Int
  ) throws(DriverError) -> Report {
    var report = Report()
    guard rows > 0 else { return report }
    let tables = try connection.query(
      """
      SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
        AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY rowid
      """,
      []
    )
    for row in tables {
      guard let table = row.first ?? nil else { continue }
      let quoted = SQLIdentifier.quoted(table)
      let probe = try connection.query("SELECT EXISTS (SELECT 1 FROM \(quoted))", [])
      if probe.first?.first == "1" {
        report.alreadyFilled.append(table)
        continue
      }
      let columns = try connection.query(
        "SELECT name, upper(type), dflt_value IS NOT NULL, pk FROM pragma_table_info(?)",
        [table]
      )
      var names: [String] = []
      var values: [String] = []
      for column in columns {
        guard column.count == 4, let name = column[0] else { continue }
        let type = column[1] ?? ""
        if column[2] == "1" { continue }
        if column[3] == "1", type == "INTEGER" { continue }
        names.append(SQLIdentifier.quoted(name))
        if type.contains("INT") {
          values.append("g")
        } else if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") {
          values.append("g + 0.5")
        } else if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") {
          values.append("'v' || g")
        } else if type.isEmpty || type.contains("BLOB") {
          values.append("'v' || g")
        } else {
          values.append("g")
        }
      }
      let sql =
        "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < CAST(? AS INTEGER)) "
        + (names.isEmpty
          ? "INSERT INTO \(quoted) SELECT NULL FROM s"
          : "INSERT INTO \(quoted) (\(names.joined(separator: ", "))) SELECT "
            + values.joined(separator: ", ") + " FROM s")
      do {
        _ = try connection.query(sql, [String(rows)])
        report.populated.append(table)
      } catch {
        report.skippedTables.append(.init(table: table, reason: error.message))
      }
    }
    try connection.execute("ANALYZE")
    return report
  }
}
