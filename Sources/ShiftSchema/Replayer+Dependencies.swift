import ShiftSyntax

extension Replayer {
  // MARK: - Columns

  mutating func dropColumn(
    _ column: String,
    ifExists: Bool,
    isCascade: Bool,
    from key: ObjectName
  ) {
    guard let table = catalog[table: key], table.column(named: column) != nil else {
      if ifExists {
        note(.skippedMissing, "column \(key).\(column) does not exist; nothing dropped")
      } else {
        noteAssumed("column", "\(key).\(column)")
      }
      return
    }
    let dialect = dialect
    let normalize = { (identifier: Identifier) in
      Catalog.normalize(identifier.value, dialect: dialect)
    }
    let dependentConstraints = table.constraints.filter {
      $0.columns.contains(column) || ($0.check?.refers(to: column, normalize: normalize) ?? false)
    }
    let dependentIndexes = table.indexes.filter { index in
      index.keys.contains {
        $0.column == column || ($0.expression?.refers(to: column, normalize: normalize) ?? false)
      } || index.include.contains(column)
        || (index.predicate?.refers(to: column, normalize: normalize) ?? false)
    }
    if dialect == .sqlite {
      if let constraint = dependentConstraints.first {
        note(
          .conflict,
          "SQLite refuses to drop \(key).\(column): it is used by a \(constraint.kind.rawValue) constraint"
        )
      } else if let index = dependentIndexes.first {
        note(.conflict, "SQLite refuses to drop \(key).\(column): index \(index.name) uses it")
      }
    }
    catalog[table: key]?.columns.removeAll { $0.name == column }
    for constraint in dependentConstraints {
      removeConstraint(constraint, from: key, isCascade: true, reason: "column \(key).\(column)")
    }
    let dependentNames = Set(dependentIndexes.map(\.name))
    catalog[table: key]?.indexes.removeAll { dependentNames.contains($0.name) }
    if isPostgres {
      dropForeignKeys(
        referencing: key,
        columns: [column],
        isCascade: isCascade,
        what: "column \(key).\(column)"
      )
    }
    let owner = SequenceDefinition.Owner(table: key, column: column)
    for name in catalog.sequences(ownedBy: key) where catalog[sequence: name]?.ownedBy == owner {
      catalog[sequence: name] = nil
    }
  }

  mutating func renameColumn(_ old: String, to new: String, in key: ObjectName) {
    guard columnPosition(old, in: key) != nil, var table = catalog[table: key] else { return }
    if table.column(named: new) != nil {
      note(.conflict, "column \(key).\(new) already exists", object: "\(key).\(new)")
      return
    }
    let dialect = dialect
    let normalize = { (identifier: Identifier) in
      Catalog.normalize(identifier.value, dialect: dialect)
    }
    func rename(_ expression: Expression) -> Expression {
      expression.renamingColumn(old, to: new, normalize: normalize)
    }
    func rename(_ columns: [String]) -> [String] { columns.map { $0 == old ? new : $0 } }
    for position in table.columns.indices {
      if table.columns[position].name == old { table.columns[position].name = new }
      if let generated = table.columns[position].generated {
        table.columns[position].generated?.expression = rename(generated.expression)
      }
    }
    for position in table.constraints.indices {
      table.constraints[position].columns = rename(table.constraints[position].columns)
      table.constraints[position].check = table.constraints[position].check.map(rename)
      if let reference = table.constraints[position].reference, reference.table == key {
        table.constraints[position].reference?.columns = rename(reference.columns)
      }
    }
    for position in table.indexes.indices {
      var index = table.indexes[position]
      index.keys = index.keys.map { key in
        var copy = key
        if key.column == old { copy.column = new }
        copy.expression = key.expression.map(rename)
        return copy
      }
      index.include = rename(index.include)
      index.predicate = index.predicate.map(rename)
      table.indexes[position] = index
    }
    for position in table.triggers.indices {
      table.triggers[position].updateColumns = rename(table.triggers[position].updateColumns)
    }
    catalog[table: key] = table
    for otherKey in catalog.tablesReferencing(key).sorted() where otherKey != key {
      guard let other = catalog[table: otherKey] else { continue }
      for (position, constraint) in other.constraints.enumerated()
      where constraint.reference?.table == key {
        catalog[table: otherKey]?.constraints[position].reference?.columns =
          rename(constraint.reference?.columns ?? [])
      }
    }
    let owner = SequenceDefinition.Owner(table: key, column: old)
    for name in catalog.sequences(ownedBy: key) where catalog[sequence: name]?.ownedBy == owner {
      catalog[sequence: name]?.ownedBy?.column = new
    }
  }

  // MARK: - Constraints

  mutating func dropConstraint(
    _ name: String,
    ifExists: Bool,
    isCascade: Bool,
    from key: ObjectName
  ) {
    guard let constraint = catalog[table: key]?.constraint(named: name) else {
      if ifExists {
        note(.skippedMissing, "constraint \(name) on \(key) does not exist; nothing dropped")
      } else {
        noteAssumed("constraint", "\(name) on \(key)")
      }
      return
    }
    removeConstraint(constraint, from: key, isCascade: isCascade, reason: "constraint \(name)")
  }

  /// Removes a constraint with its index, and the foreign keys that rely on it.
  private mutating func removeConstraint(
    _ constraint: Constraint,
    from key: ObjectName,
    isCascade: Bool,
    reason: String
  ) {
    catalog[table: key]?.constraints.removeAll { $0 == constraint }
    if let indexName = constraint.indexName {
      catalog[table: key]?.indexes.removeAll { $0.name == indexName }
    }
    if isPostgres, constraint.kind == .primaryKey || constraint.kind == .unique {
      dropForeignKeys(
        referencing: key,
        exactColumns: constraint.columns,
        isCascade: isCascade,
        what: reason
      )
    }
  }

  /// Drops foreign keys of any table that reference `table` through `columns` (any of
  /// them), noting a conflict unless the statement said `CASCADE`.
  private mutating func dropForeignKeys(
    referencing table: ObjectName,
    columns: [String]? = nil,
    exactColumns: [String]? = nil,
    isCascade: Bool,
    what: String
  ) {
    // Only tables with a foreign key to `table` can have dependent constraints.
    for otherKey in catalog.tablesReferencing(table).sorted() {
      guard let other = catalog[table: otherKey] else { continue }
      let dependent = other.constraints.filter { constraint in
        guard constraint.kind == .foreignKey, let reference = constraint.reference,
          reference.table == table
        else { return false }
        if let columns { return reference.columns.contains { columns.contains($0) } }
        if let exactColumns { return Set(reference.columns) == Set(exactColumns) }
        return true
      }
      for constraint in dependent {
        if !isCascade {
          note(
            .conflict,
            "\(what) is needed by foreign key \(constraint.name ?? "?") of \(otherKey); "
              + "PostgreSQL requires CASCADE"
          )
        }
        catalog[table: otherKey]?.constraints.removeAll { $0 == constraint }
      }
    }
  }

  mutating func renameConstraint(_ old: String, to new: String, in key: ObjectName) {
    guard let position = catalog[table: key]?.constraints.firstIndex(where: { $0.name == old })
    else {
      noteAssumed("constraint", "\(old) on \(key)")
      return
    }
    if catalog[table: key]?.constraint(named: new) != nil {
      note(.conflict, "constraint \(new) of \(key) already exists", object: new)
      return
    }
    catalog[table: key]?.constraints[position].name = new
    if let indexName = catalog[table: key]?.constraints[position].indexName {
      catalog[table: key]?.constraints[position].indexName = new
      if let indexPosition = catalog[table: key]?.indexes.firstIndex(where: { $0.name == indexName }
      ) {
        catalog[table: key]?.indexes[indexPosition].name = new
        catalog[table: key]?.indexes[indexPosition].constraintName = new
      }
    }
  }

  // MARK: - Tables

  /// Renames a table or moves it to another schema; returns false on a conflict.
  ///
  /// Every reference to it (foreign keys, owned sequences, views) keeps pointing at it.
  mutating func moveTable(_ from: ObjectName, to: ObjectName) -> Bool {
    guard from != to else { return true }
    guard var table = catalog[table: from] else { return false }
    if catalog.relationExists(to.name, in: to.schema) {
      note(.conflict, "relation \(to) already exists", object: to.description)
      return false
    }
    catalog[table: from] = nil
    table.name = to
    let autoindexPrefix = "sqlite_autoindex_\(from.name)_"
    for position in table.indexes.indices {
      table.indexes[position].table = to
      let name = table.indexes[position].name
      if dialect == .sqlite, name.hasPrefix(autoindexPrefix) {
        let renamed = "sqlite_autoindex_\(to.name)_" + name.dropFirst(autoindexPrefix.count)
        table.indexes[position].name = renamed
        table.indexes[position].constraintName = renamed
        for constraintPosition in table.constraints.indices
        where table.constraints[constraintPosition].indexName == name {
          table.constraints[constraintPosition].indexName = renamed
        }
      }
    }
    for position in table.triggers.indices { table.triggers[position].table = to }
    catalog[table: to] = table
    // Only tables with a foreign key to the table, and its partitions and inheritors, name
    // it; the catalog's reverse indexes say which.
    for key in Set(catalog.tablesReferencing(from) + catalog.childTables(of: from)).sorted() {
      catalog[table: key]?.rename(parent: from, to: to)
    }
    for key in catalog.sequences(ownedBy: from) {
      guard var moved = catalog[sequence: key] else { continue }
      catalog[sequence: key] = nil
      moved.ownedBy?.table = to
      if from.schema != to.schema { moved.name = ObjectName(schema: to.schema, name: key.name) }
      catalog[sequence: moved.name] = moved
    }
    renameInViews(from, to: to)
    return true
  }

  mutating func dropTable(_ key: ObjectName, isCascade: Bool) {
    guard catalog[table: key] != nil else { return }
    catalog[table: key] = nil
    if isPostgres {
      dropForeignKeys(referencing: key, isCascade: isCascade, what: "table \(key)")
      for viewKey in catalog.views(referencing: key) {
        if isCascade {
          catalog[view: viewKey] = nil
        } else {
          note(.conflict, "view \(viewKey) depends on table \(key); PostgreSQL requires CASCADE")
        }
      }
      for childKey in catalog.childTables(of: key)
      where catalog[table: childKey]?.partitionParent == key {
        dropTable(childKey, isCascade: isCascade)
      }
      for sequenceKey in catalog.sequences(ownedBy: key) { catalog[sequence: sequenceKey] = nil }
    }
  }

  /// Points the views that read `from` at `to`.
  private mutating func renameInViews(_ from: ObjectName, to: ObjectName) {
    for key in catalog.views(referencing: from) {
      guard let relations = catalog.views[key]?.referencedRelations else { continue }
      catalog[view: key]?.referencedRelations = relations.map { $0 == from ? to : $0 }
    }
  }

  // MARK: - Other relations

  mutating func renameView(_ from: ObjectName, to: ObjectName) {
    guard var view = catalog[view: from] else { return }
    if catalog.relationExists(to.name, in: to.schema) {
      note(.conflict, "relation \(to) already exists", object: to.description)
      return
    }
    catalog[view: from] = nil
    view.name = to
    for position in view.indexes.indices { view.indexes[position].table = to }
    catalog[view: to] = view
    renameInViews(from, to: to)
  }

  mutating func renameSequence(_ from: ObjectName, to: ObjectName) {
    guard var sequence = catalog.sequences[from] else { return }
    if catalog.relationExists(to.name, in: to.schema) {
      note(.conflict, "relation \(to) already exists", object: to.description)
      return
    }
    catalog[sequence: from] = nil
    sequence.name = to
    catalog[sequence: to] = sequence
  }

  mutating func renameIndex(_ name: QualifiedName, to new: String) {
    guard let found = catalog.findIndex(name) else { return }
    if catalog.relationExists(new, in: found.owner.schema) {
      note(.conflict, "relation \(found.owner.schema).\(new) already exists", object: new)
      return
    }
    if catalog[table: found.owner] != nil {
      guard var index = catalog[table: found.owner]?.indexes[found.position] else { return }
      let old = index.name
      index.name = new
      if let constraintName = index.constraintName,
        let position = catalog[table: found.owner]?.constraints.firstIndex(where: {
          $0.name == constraintName && $0.indexName == old
        })
      {
        index.constraintName = new
        catalog[table: found.owner]?.constraints[position].name = new
        catalog[table: found.owner]?.constraints[position].indexName = new
      }
      catalog[table: found.owner]?.indexes[found.position] = index
    } else {
      catalog[view: found.owner]?.indexes[found.position].name = new
    }
  }
}
