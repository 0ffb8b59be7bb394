import ShiftSyntax

extension Replayer {
  mutating func drop(_ drop: DropObject) {
    for name in drop.names {
      switch drop.objectType {
      case .table:
        guard
          let key = found(name, drop, "table", catalog.resolve(name) { catalog[table: $0] != nil })
        else { continue }
        dropTable(key, isCascade: drop.isCascade)
      case .view, .materializedView:
        let isMaterialized = drop.objectType == .materializedView
        let kind = isMaterialized ? "materialized view" : "view"
        let resolved = catalog.resolve(name) { catalog[view: $0]?.isMaterialized == isMaterialized }
        guard let key = found(name, drop, kind, resolved) else { continue }
        catalog[view: key] = nil
        for other in catalog.views(referencing: key) {
          if drop.isCascade {
            catalog[view: other] = nil
          } else {
            note(.conflict, "view \(other) depends on \(key); PostgreSQL requires CASCADE")
          }
        }
      case .index:
        dropIndex(name, drop: drop)
      case .sequence:
        let resolved = catalog.resolve(name) { catalog.sequences[$0] != nil }
        guard let key = found(name, drop, "sequence", resolved) else { continue }
        if catalog.sequences[key]?.isIdentity == true {
          note(.conflict, "sequence \(key) belongs to an identity column and cannot be dropped")
          continue
        }
        catalog[sequence: key] = nil
      case .type, .domain:
        let kind = drop.objectType == .domain ? "domain" : "type"
        let resolved = catalog.resolve(name) { catalog.types[$0] != nil }
        guard let key = found(name, drop, kind, resolved) else { continue }
        dropType(key, isCascade: drop.isCascade)
      case .function, .procedure, .routine:
        let resolved = catalog.resolve(name) { catalog.functions[$0] != nil }
        guard let key = found(name, drop, "function", resolved) else { continue }
        if (catalog.functions[key]?.count ?? 0) > 1 {
          note(
            .notModelled,
            "argument types of DROP FUNCTION are not modelled; every overload of \(key) dropped"
          )
        }
        catalog.functions[key] = nil
      case .trigger:
        dropTrigger(normalize(name.name), table: drop.table, ifExists: drop.ifExists)
      case .schema:
        dropSchema(normalize(name.name), drop: drop)
      case .extension:
        let extensionName = normalize(name.name)
        if catalog.extensions.removeValue(forKey: extensionName) == nil {
          if drop.ifExists {
            note(.skippedMissing, "extension \(extensionName) does not exist; nothing dropped")
          } else {
            noteAssumed("extension", extensionName)
          }
        }
      default:
        break
      }
    }
  }

  /// The resolved key of a dropped object, or `nil` after noting that it is missing.
  private mutating func found(
    _ name: QualifiedName,
    _ drop: DropObject,
    _ kind: String,
    _ resolved: ObjectName?
  ) -> ObjectName? {
    if let resolved { return resolved }
    let missing = catalog.nameForCreating(name)
    if drop.ifExists {
      note(
        .skippedMissing,
        "\(kind) \(missing) does not exist; nothing dropped",
        object: "\(missing)"
      )
    } else {
      noteAssumed(kind, missing.description)
    }
    return nil
  }

  private mutating func dropIndex(_ name: QualifiedName, drop: DropObject) {
    guard let found = catalog.findIndex(name) else {
      let missing = catalog.nameForCreating(name)
      if drop.ifExists {
        note(
          .skippedMissing,
          "index \(missing) does not exist; nothing dropped",
          object: "\(missing)"
        )
      } else {
        noteAssumed("index", missing.description)
      }
      return
    }
    if let table = catalog[table: found.owner] {
      let index = table.indexes[found.position]
      if let constraint = index.constraintName, table.constraint(named: constraint) != nil,
        isPostgres
      {
        note(
          .conflict,
          "index \(index.name) enforces constraint \(constraint) of \(found.owner); "
            + "drop the constraint instead"
        )
        return
      }
      catalog[table: found.owner]?.indexes.remove(at: found.position)
    } else {
      catalog[view: found.owner]?.indexes.remove(at: found.position)
    }
  }

  private mutating func dropType(_ key: ObjectName, isCascade: Bool) {
    catalog.types[key] = nil
    let tables = catalog.tables.compactMap { tableKey, table in
      table.columns.contains { $0.type.map { refersToType($0, key) } ?? false } ? tableKey : nil
    }
    for tableKey in tables.sorted() {
      guard let table = catalog[table: tableKey] else { continue }
      let users = table.columns.filter { column in
        column.type.map { refersToType($0, key) } ?? false
      }
      guard !users.isEmpty else { continue }
      if isCascade {
        for column in users {
          dropColumn(column.name, ifExists: true, isCascade: true, from: tableKey)
        }
      } else {
        note(
          .conflict,
          "column \(tableKey).\(users[0].name) uses type \(key); PostgreSQL requires CASCADE"
        )
      }
    }
  }

  private mutating func dropTrigger(_ name: String, table: QualifiedName?, ifExists: Bool) {
    let owner: ObjectName?
    if let table {
      owner = catalog.resolve(table) { catalog[table: $0] != nil }
      if owner == nil, !ifExists {
        noteAssumed("table", catalog.nameForCreating(table).description)
        return
      }
    } else {
      owner = triggerOwner(name)
    }
    guard let owner, catalog[table: owner]?.triggers.contains(where: { $0.name == name }) == true
    else {
      if ifExists {
        note(.skippedMissing, "trigger \(name) does not exist; nothing dropped")
      } else {
        noteAssumed("trigger", name)
      }
      return
    }
    catalog[table: owner]?.triggers.removeAll { $0.name == name }
  }

  private mutating func dropSchema(_ schema: String, drop: DropObject) {
    guard catalog.schemas.contains(schema) else {
      if drop.ifExists {
        note(.skippedMissing, "schema \(schema) does not exist; nothing dropped")
      } else {
        noteAssumed("schema", schema)
      }
      return
    }
    let isEmpty =
      !catalog.tables.keys.contains { $0.schema == schema }
      && !catalog.views.keys.contains { $0.schema == schema }
      && !catalog.types.keys.contains { $0.schema == schema }
      && !catalog.sequences.keys.contains { $0.schema == schema }
      && !catalog.functions.keys.contains { $0.schema == schema }
    if !isEmpty, !drop.isCascade {
      note(.conflict, "schema \(schema) is not empty; PostgreSQL requires CASCADE")
    }
    catalog.schemas.remove(schema)
    for key in catalog.tables.keys.filter({ $0.schema == schema }) {
      dropTable(key, isCascade: true)
    }
    for key in catalog.views.keys.filter({ $0.schema == schema }) { catalog[view: key] = nil }
    catalog.types = catalog.types.filter { $0.key.schema != schema }
    for key in catalog.sequences.keys.filter({ $0.schema == schema }) {
      catalog[sequence: key] = nil
    }
    catalog.functions = catalog.functions.filter { $0.key.schema != schema }
  }
}
