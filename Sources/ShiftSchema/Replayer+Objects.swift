import ShiftCore
import ShiftSyntax

extension Replayer {
  // MARK: - Indexes

  mutating func createIndex(_ create: CreateIndex) {
    let isView = catalog.resolve(create.table) { catalog[view: $0]?.isMaterialized == true } != nil
    let key: ObjectName
    if isView, let viewKey = catalog.resolve(create.table, where: { catalog[view: $0] != nil }) {
      key = viewKey
    } else {
      key = tableKey(create.table)
    }
    let keys: [Index.Key] = create.elements.map { element in
      if let column = element.column {
        return Index.Key(column: normalize(column), options: element.options)
      }
      return Index.Key(expression: element.expression, options: element.options)
    }
    let include = create.include.map(normalize)
    if !isView { checkColumnsExist(keys.compactMap(\.column) + include, in: key) }
    let name: String
    if let written = create.name {
      name = normalize(written.name)
      if catalog.relationExists(name, in: key.schema) {
        if create.ifNotExists {
          note(.skippedExisting, "relation \(key.schema).\(name) already exists; no index built")
        } else {
          note(.conflict, "relation \(key.schema).\(name) already exists", object: name)
        }
        return
      }
    } else {
      let columns = PostgresNaming.indexColumnNames(keys + include.map { Index.Key(column: $0) })
      name = PostgresNaming.choose(key.name, PostgresNaming.nameAddition(columns), label: "idx") {
        catalog.relationExists($0, in: key.schema)
      }
    }
    let index = Index(
      name: name,
      table: key,
      isUnique: create.isUnique,
      isValid: true,
      keys: keys,
      include: include,
      predicate: create.predicate,
      method: isPostgres ? (create.method ?? "btree") : nil,
      origin: origin
    )
    if isView {
      catalog[view: key]?.indexes.append(index)
    } else {
      catalog[table: key]?.indexes.append(index)
      if !create.isOnly { indexPartitions(of: key, like: index) }
    }
  }

  /// An index on a partitioned table is built on every partition too, named as PostgreSQL
  /// names the partitions' indexes.
  private mutating func indexPartitions(of parent: ObjectName, like index: Index) {
    guard catalog[table: parent]?.isPartitioned == true else { return }
    let partitions = catalog.childTables(of: parent).compactMap { catalog[table: $0] }
    for partition in partitions where partition.partitionParent == parent {
      let columns = PostgresNaming.indexColumnNames(
        index.keys + index.include.map { Index.Key(column: $0) }
      )
      var copy = index
      copy.table = partition.name
      copy.name = PostgresNaming.choose(
        partition.name.name,
        PostgresNaming.nameAddition(columns),
        label: "idx"
      ) { catalog.relationExists($0, in: partition.name.schema) }
      catalog[table: partition.name]?.indexes.append(copy)
      indexPartitions(of: partition.name, like: copy)
    }
  }

  mutating func alterIndex(_ alter: AlterIndex) {
    guard case .rename(let new) = alter.action else { return }
    guard catalog.findIndex(alter.name) != nil else {
      let name = catalog.nameForCreating(alter.name)
      if alter.ifExists {
        note(.skippedMissing, "index \(name) does not exist; nothing renamed", object: "\(name)")
      } else {
        noteAssumed("index", name.description)
      }
      return
    }
    renameIndex(alter.name, to: normalize(new))
  }

  // MARK: - Types

  mutating func createType(_ create: CreateType) {
    let key = catalog.nameForCreating(create.name)
    if let existing = catalog.types[key], existing.kind != .shell, !existing.origin.isAssumed {
      note(.conflict, "type \(key) already exists", object: key.description)
      return
    }
    let kind: TypeDefinition.Kind
    switch create.form {
    case .enumeration(let labels): kind = .enumeration(labels)
    case .composite(let attributes):
      var ignored: [PendingConstraint] = []
      kind = .composite(attributes.map { makeColumn($0, table: key, pending: &ignored) })
    case .range: kind = .range
    case .base: kind = .base
    case .shell: kind = .shell
    }
    catalog.types[key] = TypeDefinition(name: key, kind: kind, origin: origin)
  }

  mutating func alterType(_ alter: AlterType) {
    let key: ObjectName
    if let found = catalog.resolve(alter.name, where: { catalog.types[$0] != nil }) {
      key = found
      if catalog.types[found]?.origin.isAssumed == true { noteAssumed("type", found.description) }
    } else {
      key = catalog.nameForCreating(alter.name)
      noteAssumed("type", key.description)
      var kind = TypeDefinition.Kind.base
      if case .addValue = alter.action { kind = .enumeration([]) }
      if case .renameValue = alter.action { kind = .enumeration([]) }
      catalog.types[key] = TypeDefinition(name: key, kind: kind, origin: assumedOrigin)
    }
    switch alter.action {
    case .addValue(let label, let ifNotExists, let position, let neighbor):
      guard var labels = catalog.types[key]?.enumLabels else {
        note(.conflict, "type \(key) is not an enum", object: key.description)
        return
      }
      if labels.contains(label) {
        if ifNotExists {
          note(.skippedExisting, "enum label \(label) of \(key) already exists; nothing added")
        } else {
          note(.conflict, "enum label \(label) of \(key) already exists")
        }
        return
      }
      var insertAt = labels.count
      if let neighbor, let found = labels.firstIndex(of: neighbor) {
        insertAt = position == "BEFORE" ? found : found + 1
      } else if let neighbor {
        if catalog.types[key]?.origin.isAssumed == true {
          labels.append(neighbor)
          insertAt = position == "BEFORE" ? labels.count - 1 : labels.count
        } else {
          note(.conflict, "enum label \(neighbor) of \(key) does not exist; \(label) added last")
        }
      }
      labels.insert(label, at: insertAt)
      catalog.types[key]?.kind = .enumeration(labels)
    case .renameValue(let old, let new):
      guard var labels = catalog.types[key]?.enumLabels else { return }
      if let position = labels.firstIndex(of: old) {
        labels[position] = new
      } else {
        note(.assumedExisting, "enum label \(old) of \(key) not in catalog; assumed existing")
        labels.append(new)
      }
      catalog.types[key]?.kind = .enumeration(labels)
    case .rename(let new):
      moveType(key, to: ObjectName(schema: key.schema, name: normalize(new)))
    case .setSchema(let schema):
      moveType(key, to: ObjectName(schema: normalize(schema), name: key.name))
    case .other(let words):
      note(.notModelled, "ALTER TYPE … \(words) not modelled by the catalog")
    case .ownerTo:
      break
    }
  }

  /// Renames or moves a type; columns of that type follow it.
  private mutating func moveType(_ from: ObjectName, to: ObjectName) {
    guard var type = catalog.types[from] else { return }
    if catalog.types[to] != nil {
      note(.conflict, "type \(to) already exists", object: to.description)
      return
    }
    var users: [(table: ObjectName, position: Int, type: TypeName)] = []
    for (key, table) in catalog.tables {
      for (position, column) in table.columns.enumerated() {
        if let columnType = column.type, refersToType(columnType, from) {
          users.append((key, position, columnType))
        }
      }
    }
    catalog.types[from] = nil
    type.name = to
    catalog.types[to] = type
    for user in users {
      var renamed = user.type
      renamed.canonicalName = to.description
      catalog[table: user.table]?.columns[user.position].type = renamed
    }
  }

  /// Whether a column's type (canonical, see ``Catalog/canonicalType(_:)``) is `key`.
  func refersToType(_ type: TypeName, _ key: ObjectName) -> Bool {
    type.canonicalName == key.description
  }

  // MARK: - Views

  mutating func createView(_ create: CreateView) {
    let key = catalog.nameForCreating(create.name, isTemporary: create.isTemporary)
    if let existing = catalog[view: key] {
      if create.ifNotExists {
        note(.skippedExisting, "relation \(key) already exists; nothing created", object: "\(key)")
        return
      }
      if !create.isOrReplace || existing.isMaterialized != create.isMaterialized {
        note(.conflict, "relation \(key) already exists", object: key.description)
        return
      }
    } else if catalog.relationExists(key.name, in: key.schema) {
      note(.conflict, "relation \(key) already exists", object: key.description)
      return
    }
    let referenced = create.referencedRelations.compactMap { name in
      catalog.resolve(name) { catalog[table: $0] != nil || catalog[view: $0] != nil }
    }
    catalog[view: key] = View(
      name: key,
      isMaterialized: create.isMaterialized,
      columns: create.columns.isEmpty ? nil : create.columns.map(normalize),
      referencedRelations: referenced,
      query: create.query,
      isPopulated: create.withData ?? true,
      indexes: catalog[view: key]?.indexes ?? [],
      origin: origin
    )
  }

  mutating func alterView(_ alter: ObjectStatement, range: SourceRange) {
    guard let name = alter.names.first else { return }
    guard let key = catalog.resolve(name, where: { catalog[view: $0] != nil }) else {
      let missing = catalog.nameForCreating(name)
      if alter.has("IF EXISTS") {
        note(.skippedMissing, "view \(missing) does not exist; nothing altered")
      } else {
        noteAssumed("view", missing.description)
      }
      return
    }
    guard alter.has("RENAME") || alter.has("SCHEMA") else { return }
    guard let source else {
      note(.notModelled, "ALTER VIEW \(key) not modelled without the source")
      return
    }
    let words = SourceWords(source, range: range, dialect: dialect)
    if let at = words.find([.rename, .column]) ?? words.find([.rename]),
      let toIndex = words.find([.to], from: at)
    {
      if words.words[at + 1].keyword == .to {
        if let newName = words.qualifiedName(at: toIndex + 1) {
          renameView(key, to: ObjectName(schema: key.schema, name: normalize(newName.name)))
        }
      } else if let old = words.qualifiedName(
        at: words.words[at + 1].keyword == .column ? at + 2 : at + 1
      ),
        let new = words.qualifiedName(at: toIndex + 1)
      {
        let oldName = normalize(old.name)
        if let position = catalog[view: key]?.columns?.firstIndex(of: oldName) {
          let newName = normalize(new.name)
          catalog[view: key]?.columns?[position] = newName
        }
      }
    } else if let at = words.find([.set, .schema]), let schema = words.qualifiedName(at: at + 2) {
      renameView(key, to: ObjectName(schema: normalize(schema.name), name: key.name))
    }
  }

  mutating func refreshMaterializedView(_ refresh: ObjectStatement) {
    guard let name = refresh.names.first else { return }
    guard let key = catalog.resolve(name, where: { catalog[view: $0] != nil }) else {
      noteAssumed("materialized view", catalog.nameForCreating(name).description)
      return
    }
    catalog[view: key]?.isPopulated = !refresh.has("WITH NO DATA")
  }

  // MARK: - Functions and triggers

  mutating func createFunction(_ create: CreateFunction) {
    let key = catalog.nameForCreating(create.name)
    let function = FunctionDefinition(
      name: key,
      arguments: create.arguments,
      returns: create.returns,
      language: create.language,
      volatility: create.effectiveVolatility,
      isProcedure: create.isProcedure,
      origin: origin
    )
    var overloads = catalog.functions[key] ?? []
    if let position = overloads.firstIndex(where: { $0.signature == function.signature }) {
      if !create.isOrReplace {
        note(.conflict, "function \(key)(\(function.arguments)) already exists")
        return
      }
      overloads[position] = function
    } else {
      overloads.append(function)
    }
    catalog.functions[key] = overloads
  }

  mutating func createTrigger(_ create: CreateTrigger) {
    let isView = catalog.resolve(create.table) { catalog[view: $0] != nil } != nil
    if isView { return }  // triggers on views are not tracked
    let key = tableKey(create.table)
    let name = normalize(create.name.name)
    var function: ObjectName?
    if let written = create.function {
      if let found = catalog.resolve(written, where: { catalog.functions[$0] != nil }) {
        function = found
      } else {
        function = catalog.nameForCreating(written)
        if written.qualifier?.value != "pg_catalog" {
          noteAssumed("function", catalog.nameForCreating(written).description)
        }
      }
    }
    let trigger = Trigger(
      name: name,
      table: key,
      function: function,
      timing: create.timing,
      events: create.events,
      updateColumns: create.updateColumns.map(normalize),
      isForEachRow: create.isForEachRow,
      origin: origin
    )
    let existing: ObjectName? =
      isPostgres
      ? (catalog[table: key]?.triggers.contains { $0.name == name } == true ? key : nil)
      : triggerOwner(name)
    if let existing {
      if create.ifNotExists {
        note(.skippedExisting, "trigger \(name) already exists; nothing created")
        return
      }
      if !create.isOrReplace {
        note(.conflict, "trigger \(name) on \(existing) already exists", object: name)
        return
      }
      catalog[table: existing]?.triggers.removeAll { $0.name == name }
    }
    catalog[table: key]?.triggers.append(trigger)
  }

  /// SQLite: the table that has the trigger `name` (trigger names are schema-wide there).
  func triggerOwner(_ name: String) -> ObjectName? {
    catalog.tables.first { $0.value.triggers.contains { $0.name == name } }?.key
  }
}
