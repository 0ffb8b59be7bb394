import ShiftCore
import ShiftSchema
import ShiftSyntax

extension EffectModel {
  /// SQLite: every write takes the database-wide write lock.
  ///
  /// Reported as `*` in `EXCLUSIVE` mode; there are no table locks. Compatibility and phase follow the same
  /// rules as PostgreSQL's.
  func sqliteEffect(_ kind: StatementKind, _ builder: inout EffectBuilder) {
    switch kind {
    case .select, .transaction, .set, .psqlMeta, .comment, .privilege:
      return
    case .pragma(_, let value):
      if value != nil { builder.lock(target: .database, .exclusive) }
      return
    default:
      builder.lock(target: .database, .exclusive)
    }
    switch kind {
    case .createTable(let create):
      builder.create(catalog.nameForCreating(create.name, isTemporary: create.isTemporary))
      if create.isAsQuery {
        builder.assume(
          .notModelled,
          "CREATE TABLE … AS: the relations the query reads are not known"
        )
      }
    case .alterTable(let alter):
      let (key, table) = relation(alter.table, &builder)
      for action in alter.actions {
        switch action.kind {
        case .addColumn(let column, _):
          let name = catalog.normalize(column.name)
          if column.isNotNull, column.defaultValue == nil {
            builder.breaking(
              "adds NOT NULL column \(key).\(name) without a default: old INSERTs fail"
            )
          }
          // SQLite checks new CHECK and NOT NULL columns against every row.
          if column.isNotNull
            || column.constraints.contains(where: {
              if case .check = $0.kind { return true }
              return false
            })
          {
            builder.scan(key)
          }
        case .dropColumn(let column, _, _):
          // SQLite rewrites every row without the column.
          builder.breaking("drops column \(key).\(column.value)")
          builder.destroysData = true
          builder.rewrite(key)
        case .renameColumn(let column, let name):
          builder.breaking("renames column \(key).\(column.value) to \(name.value)")
        case .renameTable(let name):
          builder.breaking("renames table \(key) to \(name.value)")
        default:
          builder.assume(.notModelled, "SQLite ALTER TABLE action not modelled")
        }
      }
      _ = table
    case .createIndex(let index):
      let (key, _) = relation(index.table, &builder)
      if let name = index.name { builder.create(objectName(name, in: key.schema)) }
      if index.isUnique { builder.isDataDependent = true }
      builder.scan(key)
    case .reindex(let reindex):
      builder.phase(.migrate)
      if let name = reindex.name, let table = catalog.table(named: name) {
        builder.scan(table.name)
      } else if let name = reindex.name, let index = catalog.index(named: name) {
        builder.scan(index.table)
      }
    case .vacuum:
      builder.phase(.migrate)
      builder.requiresOutsideTransaction = true
      for key in catalog.tables.keys.sorted() { builder.rewrite(key) }
    case .drop(let drop):
      builder.phase(.contract)
      if drop.objectType == .table || drop.objectType == .view {
        for name in drop.names
        where catalog.table(named: name) != nil
          || catalog.view(named: name) != nil
        {
          builder.breaking("drops \(drop.objectType.sqlName.lowercased()) \(name)")
          if drop.objectType == .table { builder.destroysData = true }
        }
      }
    case .dataChange(let change):
      builder.isDataChange = true
      builder.phase(.migrate)
      let (key, table) = relation(change.table, &builder)
      if change.operation == .delete { builder.destroysData = true }
      if change.operation != .insert, !change.hasWhere { builder.scan(key) }
      // The table-rebuild recipe copies the old table into one created earlier in the
      // file (`INSERT INTO new_t SELECT … FROM t`): the data is rewritten.
      if change.operation == .insert, change.hasQuery, let table, isNew(origin: table.origin) {
        builder.rewrite(key)
      }
    default:
      break
    }
  }
}
