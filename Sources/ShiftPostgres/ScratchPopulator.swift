public import ShiftDatabase

/// Fills the empty tables of a scratch database with generated rows, so that a trace can
/// see scans (PostgreSQL's statistics count only rows read, and an empty table reads none)
/// and rewrites of tables with data.
///
/// For each ordinary or partitioned table (not partitions: rows go in through the parent)
/// that has no rows yet, parents of foreign keys first, one statement
/// `INSERT INTO t (…) SELECT … FROM generate_series(1, $1) AS g` sets every column that has
/// no default and is not generated, from its type: numbers `g`, text `'v' || g`, booleans,
/// dates and times a minute apart, UUIDs from `md5(g)`, JSON objects, byte strings, inet
/// addresses, empty arrays, the first label of an enum, a domain's base type cast to the
/// domain; a single-column foreign key takes the referenced table's keys in turn. A table
/// whose insert fails (a CHECK or unique constraint the values violate, a type not covered,
/// a partition bound not met) is left empty and reported. The tables filled are analyzed,
/// so row estimates are real (and a table analyzed with rows is not probed again).
///
/// Identifiers are quoted with ``PostgresIdentifier/quote(_:)``; the row count and enum
/// labels are bound parameters.
public enum ScratchPopulator {
  /// What was inserted.
  public struct Report: Sendable, Hashable {
    /// Tables that got rows, with the number inserted.
    public var populated: [(table: RelationName, rows: Int)] {
      populatedTables.map { ($0.table, $0.rows) }
    }
    /// Tables left as they were because they already had rows.
    public var alreadyFilled: [RelationName] = []
    /// Tables left empty, with the reason.
    public var skipped: [Skipped] = []

    var populatedTables: [Populated] = []

    /// Tables that hold rows after population (filled now or before).
    public var tablesWithRows: Set<RelationName> {
      Set(populatedTables.map(\.table)).union(alreadyFilled)
    }

    /// A table that got rows.
    struct Populated: Sendable, Hashable {
      var table: RelationName
      var rows: Int
    }

    /// A table left empty.
    public struct Skipped: Sendable, Hashable {
      /// The table.
      public var table: RelationName
      /// Why (the server's message, or the column that could not be filled).
      public var reason: String
    }
  }

  private struct Column {
    var name: String
    var type: String
    var baseType: String
    var category: String
    var typeKind: String
    var typeOID: String
    var notNull: Bool
    var hasDefault: Bool
  }

  private struct Table {
    var oid: String
    var name: RelationName
    /// `pg_class.reltuples`: positive once `ANALYZE` saw rows.
    var estimatedRows: Double = 0
    var columns: [Column] = []
    /// Single-column foreign keys: column name → (referenced table OID, referenced column).
    var foreignKeys: [String: (table: String, column: String)] = [:]
    var parents: Set<String> = []
  }

  /// Fills the empty tables.
  ///
  /// - Parameters:
  ///   - connection: a session on the scratch database, idle.
  ///   - rows: rows per table (`0` does nothing).
  /// - Returns: what was filled and what was not.
  /// - Throws: `DriverError` when a catalog query fails (failed inserts are reported, not
  ///   thrown).
  public static func populate(
    _ connection: inout PostgresConnection,
    rows: Int
  ) throws(DriverError) -> Report {
    var report = Report()
    guard rows > 0 else { return report }
    var tables = try loadTables(&connection)  // failed tables are removed as we go
    for table in tables.values {
      // Analyzed tables with rows need no probe (trace fills tables before every file).
      if table.estimatedRows > 0 {
        report.alreadyFilled.append(table.name)
        continue
      }
      let quoted = PostgresIdentifier.quote(table.name)
      let probe = try connection.query("SELECT EXISTS (SELECT 1 FROM \(quoted))", [])
      if probe.first?.first == "t" { report.alreadyFilled.append(table.name) }
    }
    // Tables that already have rows stay in `tables`: children's foreign keys pick their keys.
    let filled = Set(report.alreadyFilled)
    for oid in order(tables) {
      guard let table = tables[oid], !filled.contains(table.name) else { continue }
      var parameters: [String?] = [String(rows)]
      var columns: [String] = []
      var values: [String] = []
      var problem: String?
      for column in table.columns where !column.hasDefault {
        let expression: String?
        if let reference = table.foreignKeys[column.name], let parent = tables[reference.table] {
          let parentName = PostgresIdentifier.quote(parent.name)
          let key = PostgresIdentifier.quote(reference.column)
          expression =
            "(SELECT p.\(key) FROM \(parentName) p ORDER BY 1 OFFSET ((g - 1) % "
            + "greatest((SELECT count(*) FROM \(parentName)), 1)) LIMIT 1)"
        } else if table.foreignKeys[column.name] != nil {
          expression = nil
        } else if column.typeKind == "e" {
          parameters.append(column.typeOID)
          expression =
            "(SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = "
            + "$\(parameters.count)::oid ORDER BY e.enumsortorder LIMIT 1)::\(column.type)"
        } else {
          // `column.type` is the server's own `format_type` spelling, identifiers quoted.
          expression = generator(for: column).map { "(\($0))::\(column.type)" }
        }
        guard let expression else {
          if column.notNull {
            problem = "no generated value for NOT NULL column \(column.name) (\(column.type))"
            break
          }
          continue
        }
        columns.append(PostgresIdentifier.quote(column.name))
        values.append(expression)
      }
      if let problem {
        report.skipped.append(.init(table: table.name, reason: problem))
        tables[oid] = nil
        continue
      }
      let target = PostgresIdentifier.quote(table.name)
      do {
        if columns.isEmpty {
          for _ in 0..<rows { try connection.execute("INSERT INTO \(target) DEFAULT VALUES") }
        } else {
          _ = try connection.query(
            "INSERT INTO \(target) (\(columns.joined(separator: ", "))) SELECT "
              + values.joined(separator: ", ")
              + " FROM pg_catalog.generate_series(1, $1::int) AS g",
            parameters
          )
        }
        report.populatedTables.append(.init(table: table.name, rows: rows))
      } catch {
        report.skipped.append(.init(table: table.name, reason: error.message))
        tables[oid] = nil
      }
    }
    if !report.populatedTables.isEmpty {
      let names = report.populatedTables.map { PostgresIdentifier.quote($0.table) }
      try connection.execute("ANALYZE " + names.joined(separator: ", "))
    }
    report.alreadyFilled.sort()
    report.populatedTables.sort { $0.table < $1.table }
    report.skipped.sort { $0.table < $1.table }
    return report
  }

  /// An expression of `g` (the row number) for the column's base type, or `nil`.
  private static func generator(for column: Column) -> String? {
    switch column.baseType {
    case "int2", "int4", "int8", "numeric", "float4", "float8", "oid", "money":
      return "g"
    case "text", "varchar", "bpchar", "name", "citext":
      return "'v' || g"
    case "bool":
      return "g % 2 = 0"
    case "timestamp", "timestamptz":
      return "timestamp '2024-01-01' + g * interval '1 minute'"
    case "date":
      return "date '2024-01-01' + g"
    case "time", "timetz":
      return "time '00:00' + g * interval '1 second'"
    case "interval":
      return "g * interval '1 second'"
    case "uuid":
      return "pg_catalog.md5(g::text)::uuid"
    case "json", "jsonb":
      return "pg_catalog.json_build_object('n', g)"
    case "bytea":
      return "pg_catalog.convert_to(g::text, 'UTF8')"
    case "inet", "cidr":
      return "'10.0.0.0'::inet + g"
    default:
      return column.category == "A" ? "'{}'" : nil
    }
  }

  /// Parents (referenced tables) before children; cycles broken in OID order.
  private static func order(_ tables: [String: Table]) -> [String] {
    var done: Set<String> = []
    var result: [String] = []
    let unnamed = RelationName(schema: "", name: "")
    var pending = tables.keys.sorted {
      (tables[$0]?.name ?? unnamed) < (tables[$1]?.name ?? unnamed)
    }
    while !pending.isEmpty {
      let ready = pending.filter { oid in
        (tables[oid]?.parents ?? []).allSatisfy {
          $0 == oid || done.contains($0) || tables[$0] == nil
        }
      }
      let next = ready.isEmpty ? [pending[0]] : ready
      for oid in next {
        done.insert(oid)
        result.append(oid)
      }
      pending.removeAll { done.contains($0) }
    }
    return result
  }

  private static func loadTables(
    _ connection: inout PostgresConnection
  ) throws(DriverError) -> [String: Table] {
    var tables: [String: Table] = [:]
    let tableRows = try connection.query(
      """
      SELECT c.oid::text, n.nspname, c.relname, c.reltuples::text FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.oid >= 16384
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
      """,
      []
    )
    for row in tableRows {
      guard row.count == 4, let oid = row[0], let schema = row[1], let name = row[2] else {
        continue
      }
      tables[oid] = Table(
        oid: oid,
        name: RelationName(schema: schema, name: name),
        estimatedRows: row[3].flatMap { Double($0) } ?? 0
      )
    }
    let columnRows = try connection.query(
      """
      SELECT a.attrelid::text, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
        coalesce(bt.typname, t.typname)::text, coalesce(bt.typcategory, t.typcategory)::text,
        t.typtype::text, t.oid::text, a.attnotnull::text,
        (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '')::text
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND c.oid >= 16384
      ORDER BY a.attrelid, a.attnum
      """,
      []
    )
    for row in columnRows {
      guard row.count == 9, let oid = row[0], tables[oid] != nil, let name = row[1],
        let type = row[2]
      else { continue }
      tables[oid]?.columns.append(
        Column(
          name: name,
          type: type,
          baseType: row[3] ?? "",
          category: row[4] ?? "",
          typeKind: row[5] ?? "",
          typeOID: row[6] ?? "",
          notNull: row[7] == "true",
          hasDefault: row[8] == "true"
        )
      )
    }
    let keyRows = try connection.query(
      """
      SELECT k.conrelid::text, k.confrelid::text, a.attname, fa.attname,
        pg_catalog.array_length(k.conkey, 1)::text
      FROM pg_catalog.pg_constraint k
      JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
      JOIN pg_catalog.pg_attribute fa ON fa.attrelid = k.confrelid AND fa.attnum = k.confkey[1]
      WHERE k.contype = 'f'
      """,
      []
    )
    for row in keyRows {
      guard row.count == 5, let child = row[0], let parent = row[1], tables[child] != nil,
        let column = row[2], let referenced = row[3]
      else { continue }
      tables[child]?.parents.insert(parent)
      if row[4] == "1" {
        tables[child]?.foreignKeys[column] = (parent, referenced)
      }
    }
    return tables
  }
}
