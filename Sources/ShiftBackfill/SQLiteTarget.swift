public import ShiftDatabase
public import ShiftPlanner

/// Finds how to walk a SQLite table: the spec's key columns, else the primary key, else
/// `rowid`.
public enum SQLiteTarget {
  /// The batch SQL for `spec` on the open database, and the table's row count.
  ///
  /// - Throws: `BackfillError` `.invalidSpec` when the table or a key column does not exist;
  ///   `.database` on driver errors.
  public static func resolve(
    _ spec: BackfillSpec,
    on session: inout some DatabaseSession & ~Copyable
  ) throws(BackfillError) -> (sql: BackfillSQL, estimatedRows: Int) {
    do {
      let columns = try session.query(
        "SELECT name, type, CAST(pk AS TEXT) FROM pragma_table_info(?1)",
        [spec.table]
      )
      guard !columns.isEmpty else {
        throw BackfillError(.invalidSpec, message: "table \(spec.table) does not exist")
      }
      func type(of name: String) -> String? {
        if name.lowercased() == "rowid" { return "INTEGER" }
        guard let row = columns.first(where: { $0[0] == name }) else { return nil }
        return (row[1] ?? "").uppercased().contains("INT") ? "INTEGER" : ""
      }
      var names = spec.keyColumns
      if names.isEmpty {
        names = columns.filter { ($0[2].flatMap { Int($0) } ?? 0) > 0 }
          .sorted { (Int($0[2] ?? "0") ?? 0) < (Int($1[2] ?? "0") ?? 0) }
          .compactMap { $0[0] }
      }
      if names.isEmpty { names = ["rowid"] }
      var keys: [KeyColumn] = []
      for name in names {
        guard let keyType = type(of: name) else {
          throw BackfillError(
            .invalidSpec,
            message: "key column \(name) does not exist in \(spec.table)"
          )
        }
        keys.append(KeyColumn(name: name, type: keyType))
      }
      let table = BackfillSQL.quote(spec.table)
      let count =
        Int(try session.query("SELECT CAST(count(*) AS TEXT) FROM \(table)", []).first?[0] ?? "0")
        ?? 0
      var resolved = spec
      resolved.keyColumns = names
      return (BackfillSQL(spec: resolved, walk: .keyset(keys), dialect: .sqlite), count)
    } catch let error as BackfillError {
      throw error
    } catch let error as DriverError {
      throw BackfillError(.database, message: "reading the table's key", driverError: error)
    } catch {
      throw BackfillError(.database, message: "\(error)")
    }
  }
}
