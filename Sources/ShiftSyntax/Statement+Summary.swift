extension Statement {
  /// A stable snake_case name of the statement's kind, as used in JSON output
  /// (`alter_table`, `create_index`, `drop_table`, `update`, …).
  public var kindName: String { kind.name }

  /// The tables the statement reads or changes by name: the target table plus tables
  /// named by foreign keys, partitions, inheritance and views' queries.
  public var tablesTouched: [QualifiedName] {
    var names: [QualifiedName] = []
    func add(_ name: QualifiedName?) {
      guard let name, !names.contains(name) else { return }
      names.append(name)
    }
    switch kind {
    case .createTable(let table):
      add(table.name)
      add(table.partitionOf)
      for name in table.inherits { add(name) }
      for name in table.likeTables { add(name) }
      for column in table.columns { add(column.reference?.table) }
      for constraint in table.constraints {
        if case .foreignKey(_, let reference) = constraint.kind { add(reference.table) }
      }
    case .alterTable(let alter):
      add(alter.table)
      for action in alter.actions {
        switch action.kind {
        case .addColumn(let column, _): add(column.reference?.table)
        case .addConstraint(let constraint):
          if case .foreignKey(_, let reference) = constraint.kind { add(reference.table) }
        case .attachPartition(let partition), .detachPartition(let partition, _, _):
          add(partition)
        case .inherit(let parent), .noInherit(let parent): add(parent)
        default: break
        }
      }
    case .createIndex(let index): add(index.table)
    case .drop(let drop):
      switch drop.objectType {
      case .table, .view, .materializedView: for name in drop.names { add(name) }
      default: add(drop.table)
      }
    case .truncate(let statement), .cluster(let statement), .refreshMaterializedView(let statement),
      .alterView(let statement):
      for name in statement.names { add(name) }
    case .vacuum(let vacuum): for name in vacuum.tables { add(name) }
    case .createView(let view):
      add(view.name)
      for name in view.referencedRelations { add(name) }
    case .createTrigger(let trigger): add(trigger.table)
    case .lockTable(let lock): for name in lock.tables { add(name) }
    case .dataChange(let change): add(change.table)
    case .copy(let table, _): add(table)
    case .objectDefinition(let statement): add(statement.table)
    default: break
    }
    return names
  }
}

extension StatementKind {
  /// A stable snake_case name for the kind.
  public var name: String {
    switch self {
    case .createTable: "create_table"
    case .alterTable: "alter_table"
    case .createIndex: "create_index"
    case .alterIndex: "alter_index"
    case .reindex: "reindex"
    case .cluster: "cluster"
    case .vacuum(let vacuum): vacuum.isAnalyzeOnly ? "analyze" : "vacuum"
    case .truncate: "truncate"
    case .createType: "create_type"
    case .alterType: "alter_type"
    case .createView(let view): view.isMaterialized ? "create_materialized_view" : "create_view"
    case .alterView(let statement):
      statement.objectType == .materializedView ? "alter_materialized_view" : "alter_view"
    case .refreshMaterializedView: "refresh_materialized_view"
    case .createFunction(let function):
      function.isProcedure ? "create_procedure" : "create_function"
    case .createTrigger: "create_trigger"
    case .drop(let drop): "drop_" + Self.snake(drop.objectType.sqlName)
    case .objectDefinition(let statement):
      (statement.has("CREATE") ? "create_" : "alter_") + Self.snake(statement.objectType.sqlName)
    case .comment: "comment"
    case .privilege(let statement): statement.has("REVOKE") ? "revoke" : "grant"
    case .set(let parameter): parameter.isReset ? "reset" : "set"
    case .transaction(let control):
      switch control {
      case .begin: "begin"
      case .commit: "commit"
      case .rollback: "rollback"
      case .savepoint: "savepoint"
      case .release: "release_savepoint"
      case .rollbackToSavepoint: "rollback_to_savepoint"
      case .prepareTransaction: "prepare_transaction"
      case .commitPrepared: "commit_prepared"
      case .rollbackPrepared: "rollback_prepared"
      case .setTransaction: "set_transaction"
      }
    case .lockTable: "lock_table"
    case .dataChange(let change): change.operation.rawValue
    case .select: "select"
    case .doBlock: "do"
    case .call: "call"
    case .copy: "copy"
    case .pragma: "pragma"
    case .psqlMeta: "psql_meta_command"
    case .other: "other"
    }
  }

  private static func snake(_ sqlName: String) -> String {
    sqlName.lowercased().replacingSpaces()
  }
}

extension String {
  fileprivate func replacingSpaces() -> String {
    String(self.map { $0 == " " ? "_" : $0 })
  }
}
