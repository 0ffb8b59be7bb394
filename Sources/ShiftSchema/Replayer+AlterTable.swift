import ShiftCore
import ShiftSyntax

extension Replayer {
  mutating func alterTable(_ alter: AlterTable) {
    let existing = catalog.resolve(alter.table) { catalog[table: $0] != nil }
    if existing == nil {
      // ALTER TABLE also alters views, sequences and indexes (pg_dump's `OWNER TO`).
      if alterOtherRelation(alter) { return }
      if alter.ifExists {
        let name = catalog.nameForCreating(alter.table)
        note(.skippedMissing, "table \(name) does not exist; nothing altered", object: "\(name)")
        return
      }
    }
    var key = tableKey(alter.table)
    for action in alter.actions {
      if dialect == .sqlite, !Self.sqliteAlterActions(action.kind) {
        note(.conflict, "SQLite's ALTER TABLE cannot do this; the action is ignored")
        continue
      }
      alterTableAction(action, table: &key)
    }
  }

  private static func sqliteAlterActions(_ kind: AlterTableAction.Kind) -> Bool {
    switch kind {
    case .addColumn, .dropColumn, .renameTable, .renameColumn: true
    default: false
    }
  }

  private mutating func alterTableAction(_ action: AlterTableAction, table key: inout ObjectName) {
    switch action.kind {
    case .addColumn(let definition, let ifNotExists):
      addColumn(definition, ifNotExists: ifNotExists, to: key)
    case .dropColumn(let name, let ifExists, let isCascade):
      dropColumn(normalize(name), ifExists: ifExists, isCascade: isCascade, from: key)
    case .alterColumnType(let name, let type, _):
      let canonical = catalog.canonicalType(type)
      withColumn(name, in: key) { column in
        column.type = canonical
      }
    case .setDefault(let name, let expression):
      let verdict = catalog.volatility(of: expression)
      withColumn(name, in: key) { column in
        column.defaultValue = expression
        column.defaultVolatility = verdict
      }
    case .dropDefault(let name):
      withColumn(name, in: key) { column in
        column.defaultValue = nil
        column.defaultVolatility = nil
      }
    case .setNotNull(let name):
      withColumn(name, in: key) { $0.isNotNull = true }
    case .dropNotNull(let name):
      let column = normalize(name)
      if let primaryKey = catalog[table: key]?.primaryKey, primaryKey.columns.contains(column) {
        note(.conflict, "column \(key).\(column) is in the primary key; it stays NOT NULL")
        return
      }
      withColumn(name, in: key) { $0.isNotNull = false }
    case .addIdentity(let name, let isAlways):
      let column = normalize(name)
      if let existing = catalog[table: key]?.column(named: column), !existing.isNotNull,
        !existing.origin.isAssumed
      {
        note(.conflict, "column \(key).\(column) must be NOT NULL before it becomes an identity")
      }
      withColumn(name, in: key) { column in
        column.identity = isAlways ? .always : .byDefault
        column.isNotNull = true
      }
      _ = createOwnedSequence(for: column, of: key, isIdentity: true, written: action.range)
    case .alterIdentity(let name):
      alterIdentity(name, range: action.range, table: key)
    case .dropExpression(let name):
      withColumn(name, in: key) { $0.generated = nil }
    case .setStatistics(let name, _), .setStorage(let name, _), .setCompression(let name, _),
      .setColumnOptions(let name):
      withColumn(name, in: key) { _ in }
    case .addConstraint(let constraint):
      addConstraints([pending(constraint)], to: key, isNewTable: false)
    case .dropConstraint(let name, let ifExists, let isCascade):
      dropConstraint(normalize(name), ifExists: ifExists, isCascade: isCascade, from: key)
    case .validateConstraint(let name):
      withConstraint(name, in: key) { $0.isValidated = true }
    case .renameConstraint(let old, let new):
      renameConstraint(normalize(old), to: normalize(new), in: key)
    case .alterConstraint(let name):
      withConstraint(name, in: key) { _ in }
    case .renameTable(let new):
      let target = ObjectName(schema: key.schema, name: normalize(new))
      if moveTable(key, to: target) { key = target }
    case .renameColumn(let old, let new):
      renameColumn(normalize(old), to: normalize(new), in: key)
    case .setSchema(let schema):
      let target = ObjectName(schema: normalize(schema), name: key.name)
      if moveTable(key, to: target) { key = target }
    case .setLogged:
      catalog[table: key]?.isUnlogged = false
    case .setUnlogged:
      catalog[table: key]?.isUnlogged = true
    case .attachPartition(let partition):
      let child = tableKey(partition)
      catalog[table: child]?.partitionParent = key
      if let parent = catalog[table: key] { clonePartitionObjects(of: parent, into: child) }
    case .detachPartition(let partition, _, _):
      let child = tableKey(partition)
      catalog[table: child]?.partitionParent = nil
    case .enableTrigger(let target), .disableTrigger(let target):
      var isEnabled = false
      if case .enableTrigger = action.kind { isEnabled = true }
      setTriggers(target, enabled: isEnabled, on: key)
    case .inherit(let parent):
      let parentKey = tableKey(parent)
      if catalog[table: key]?.inherits.contains(parentKey) == false {
        catalog[table: key]?.inherits.append(parentKey)
      }
    case .noInherit(let parent):
      let parentKey = tableKey(parent)
      catalog[table: key]?.inherits.removeAll { $0 == parentKey }
    case .other(let words):
      note(.notModelled, "ALTER TABLE … \(words) not modelled by the catalog")
    case .setTablespace, .setAccessMethod, .setStorageParameters, .resetStorageParameters,
      .rowLevelSecurity, .rule, .replicaIdentity, .ownerTo, .clusterOn, .setWithoutCluster,
      .setWithoutOIDs:
      break
    }
  }

  /// Runs `body` on the column, adding a placeholder column first when it is unknown.
  mutating func withColumn(_ name: Identifier, in key: ObjectName, _ body: (inout Column) -> Void) {
    guard let position = columnPosition(normalize(name), in: key) else { return }
    guard var column = catalog[table: key]?.columns[position] else { return }
    body(&column)
    catalog[table: key]?.columns[position] = column
  }

  /// Runs `body` on the constraint, or notes that it was assumed.
  private mutating func withConstraint(
    _ name: Identifier,
    in key: ObjectName,
    _ body: (inout Constraint) -> Void
  ) {
    let constraintName = normalize(name)
    guard
      let position = catalog[table: key]?.constraints.firstIndex(where: {
        $0.name == constraintName
      })
    else {
      noteAssumed("constraint", "\(constraintName) on \(key)")
      return
    }
    if let constraint = catalog[table: key]?.constraints[position], constraint.origin.isAssumed {
      noteAssumed("constraint", "\(constraintName) on \(key)")
    }
    guard var constraint = catalog[table: key]?.constraints[position] else { return }
    body(&constraint)
    catalog[table: key]?.constraints[position] = constraint
  }

  private mutating func addColumn(
    _ definition: ColumnDefinition,
    ifNotExists: Bool,
    to key: ObjectName
  ) {
    let name = normalize(definition.name)
    if let existing = catalog[table: key]?.column(named: name) {
      if ifNotExists {
        note(.skippedExisting, "column \(key).\(name) already exists; nothing added")
      } else if !existing.origin.isAssumed {
        note(.conflict, "column \(key).\(name) already exists", object: "\(key).\(name)")
      }
      return
    }
    var pending: [PendingConstraint] = []
    let column = makeColumn(definition, table: key, pending: &pending)
    catalog[table: key]?.columns.append(column)
    if dialect == .sqlite {
      let indexBacked = pending.filter(\.isIndexBacked)
      if !indexBacked.isEmpty {
        note(.conflict, "SQLite cannot add a PRIMARY KEY or UNIQUE column (\(key).\(name))")
      }
      pending.removeAll { $0.isIndexBacked }
    }
    addConstraints(pending, to: key, isNewTable: false)
  }

  /// `ALTER COLUMN … DROP IDENTITY`, `SET GENERATED …` and sequence options; the syntax
  /// tree does not tell them apart, so the source is read when available.
  private mutating func alterIdentity(_ name: Identifier, range: SourceRange, table key: ObjectName)
  {
    let column = normalize(name)
    guard let source else {
      withColumn(name, in: key) { _ in }
      note(.notModelled, "identity change of \(key).\(column) not modelled without the source")
      return
    }
    let words = SourceWords(source, range: range, dialect: dialect)
    if words.find([.drop, .identity]) != nil {
      withColumn(name, in: key) { $0.identity = nil }
      let owner = SequenceDefinition.Owner(table: key, column: column)
      for name in catalog.sequences(ownedBy: key) {
        guard let sequence = catalog[sequence: name], sequence.isIdentity, sequence.ownedBy == owner
        else { continue }
        catalog[sequence: name] = nil
      }
    } else if let set = words.find([.set, .generated]) {
      let isAlways = words.find([.always], from: set) != nil
      withColumn(name, in: key) { $0.identity = isAlways ? .always : .byDefault }
    } else {
      withColumn(name, in: key) { _ in }
    }
  }

  private mutating func setTriggers(_ target: String, enabled: Bool, on key: ObjectName) {
    guard var table = catalog[table: key] else { return }
    if target == "all" || target == "user" {
      for position in table.triggers.indices { table.triggers[position].isEnabled = enabled }
    } else if let position = table.triggers.firstIndex(where: {
      $0.name == catalog.normalize(target)
    }) {
      table.triggers[position].isEnabled = enabled
    } else {
      noteAssumed("trigger", "\(catalog.normalize(target)) on \(key)")
    }
    catalog[table: key] = table
  }

  /// Applies `ALTER TABLE` to a view, sequence or index of that name, which PostgreSQL
  /// accepts; returns whether the name was one.
  ///
  /// Renames and schema moves are replayed; other actions (`OWNER TO`, options) change
  /// nothing the catalog models.
  private mutating func alterOtherRelation(_ alter: AlterTable) -> Bool {
    if let key = catalog.resolve(alter.table, where: { catalog[view: $0] != nil }) {
      for action in alter.actions {
        switch action.kind {
        case .renameTable(let new):
          renameView(key, to: ObjectName(schema: key.schema, name: normalize(new)))
        case .setSchema(let schema):
          renameView(key, to: ObjectName(schema: normalize(schema), name: key.name))
        case .renameColumn(let old, let new):
          let oldName = normalize(old)
          let newName = normalize(new)
          if let position = catalog[view: key]?.columns?.firstIndex(of: oldName) {
            catalog[view: key]?.columns?[position] = newName
          }
        default: break
        }
      }
      return true
    }
    if let key = catalog.resolve(alter.table, where: { catalog.sequences[$0] != nil }) {
      for action in alter.actions {
        switch action.kind {
        case .renameTable(let new):
          renameSequence(key, to: ObjectName(schema: key.schema, name: normalize(new)))
        case .setSchema(let schema):
          renameSequence(key, to: ObjectName(schema: normalize(schema), name: key.name))
        default: break
        }
      }
      return true
    }
    if catalog.findIndex(alter.table) != nil {
      for action in alter.actions {
        if case .renameTable(let new) = action.kind { renameIndex(alter.table, to: normalize(new)) }
      }
      return true
    }
    return false
  }
}
