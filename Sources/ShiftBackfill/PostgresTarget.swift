public import ShiftDatabase
public import ShiftPlanner

/// Finds how to walk a PostgreSQL table: the spec's key columns (with their types), else the
/// primary key, else the smallest unique key of NOT NULL columns, else `ctid` blocks
/// (PostgreSQL 14+).
public enum PostgresTarget {
  /// The batch SQL for `spec` on the connected database, and the table's estimated rows.
  ///
  /// - Throws: `BackfillError` `.invalidSpec` when the table or a key column does not exist,
  ///   or the table has no usable key before PostgreSQL 14; `.database` on driver errors.
  public static func resolve(
    _ spec: BackfillSpec,
    on session: inout some DatabaseSession & ~Copyable
  ) throws(BackfillError) -> (sql: BackfillSQL, estimatedRows: Int) {
    let relation = BackfillSQL.quote(spec.schema) + "." + BackfillSQL.quote(spec.table)
    do {
      let info = try session.query(
        """
        SELECT c.oid::text, greatest(c.reltuples, 0)::bigint::text,
          current_setting('server_version_num')
        FROM pg_class c WHERE c.oid = to_regclass($1)
        """,
        [relation]
      )
      guard let row = info.first, let oid = row[0] else {
        throw BackfillError(
          .invalidSpec,
          message: "table \(spec.schema).\(spec.table) does not exist"
        )
      }
      var estimate = Int(row[1] ?? "0") ?? 0
      if estimate == 0 {
        // Never analyzed (reltuples -1 or 0): count, which reads the table once.
        estimate =
          Int(try session.query("SELECT count(*)::text FROM \(relation)", []).first?[0] ?? "0")
          ?? 0
      }
      let version = Int(row[2] ?? "0") ?? 0
      var names = spec.keyColumns
      if names.isEmpty { names = try uniqueKey(oid: oid, on: &session) }
      if names.isEmpty {
        guard version >= 140_000 else {
          throw BackfillError(
            .invalidSpec,
            message: """
              \(spec.schema).\(spec.table) has no primary key or unique NOT NULL key, and ctid \
              range scans need PostgreSQL 14 or later
              """
          )
        }
        return (BackfillSQL(spec: spec, walk: .blocks, dialect: .postgres), estimate)
      }
      var keys: [KeyColumn] = []
      for name in names {
        let type = try session.query(
          """
          SELECT format_type(atttypid, atttypmod) FROM pg_attribute
          WHERE attrelid = $1::oid AND attname = $2 AND attnum > 0 AND NOT attisdropped
          """,
          [oid, name]
        )
        guard let typeName = type.first?.first ?? nil else {
          throw BackfillError(
            .invalidSpec,
            message: "key column \(name) does not exist in \(spec.schema).\(spec.table)"
          )
        }
        keys.append(KeyColumn(name: name, type: typeName))
      }
      var resolved = spec
      resolved.keyColumns = names
      return (BackfillSQL(spec: resolved, walk: .keyset(keys), dialect: .postgres), estimate)
    } catch let error as BackfillError {
      throw error
    } catch let error as DriverError {
      throw BackfillError(.database, message: "reading the table's key", driverError: error)
    } catch {
      throw BackfillError(.database, message: "\(error)")
    }
  }

  /// The primary key's columns, else those of the unique, non-partial index without
  /// expressions over the fewest NOT NULL columns; empty if neither exists.
  static func uniqueKey(oid: String, on session: inout some DatabaseSession & ~Copyable)
    throws(DriverError) -> [String]
  {
    let rows = try session.query(
      """
      SELECT i.indexrelid::text, a.attname
      FROM pg_index i
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1::oid AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
        AND k.position <= i.indnkeyatts
        AND i.indexprs IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM unnest(i.indkey::int2[]) AS n(attnum)
          JOIN pg_attribute b ON b.attrelid = i.indrelid AND b.attnum = n.attnum
          WHERE NOT b.attnotnull)
      ORDER BY i.indisprimary DESC, i.indnatts, i.indexrelid, k.position
      """,
      [oid]
    )
    guard let first = rows.first?[0] else { return [] }
    return rows.filter { $0[0] == first }.compactMap { $0[1] }
  }
}
