import ShiftCore
import ShiftSchema
import ShiftSyntax

extension EffectModel {
  // MARK: - Tables

  func createTable(_ create: CreateTable, _ builder: inout EffectBuilder) {
    let key = catalog.nameForCreating(create.name, isTemporary: create.isTemporary)
    if create.ifNotExists, catalog.table(named: key) != nil { return }
    builder.create(key)
    builder.lock(key, .accessExclusive)
    var references = create.columns.compactMap(\.reference)
    for constraint in create.constraints {
      if case .foreignKey(_, let reference) = constraint.kind { references.append(reference) }
    }
    for reference in references {
      // A self-reference names the new table itself.
      if objectName(reference.table, in: key.schema) == key { continue }
      let (referenced, _) = relation(reference.table, &builder)
      builder.lock(referenced, .shareRowExclusive)
    }
    if let parent = create.partitionOf {
      let (parentKey, _) = relation(parent, &builder)
      builder.lock(parentKey, .accessExclusive)
    }
    for parent in create.inherits {
      let (parentKey, _) = relation(parent, &builder)
      builder.lock(parentKey, .shareUpdateExclusive)
    }
    for source in create.likeTables {
      let (sourceKey, _) = relation(source, &builder)
      builder.lock(sourceKey, .accessShare)
    }
    if create.isAsQuery {
      builder.assume(
        .notModelled,
        "CREATE TABLE … AS: the relations the query reads are not known (ACCESS SHARE, scanned)"
      )
    }
  }

  func truncate(_ truncate: ObjectStatement, _ builder: inout EffectBuilder) {
    builder.destroysData = true
    builder.isDataChange = true
    builder.phase(.migrate)
    var targets: [ObjectName] = []
    for name in truncate.names {
      let (key, _) = relation(name, &builder)
      targets.append(key)
    }
    if truncate.has("CASCADE") {
      var index = 0
      while index < targets.count {
        for (referencing, _) in referencingTables(targets[index])
        where !targets.contains(referencing) {
          targets.append(referencing)
        }
        index += 1
      }
    }
    for key in targets {
      builder.lock(key, .accessExclusive)
      for partition in partitions(of: key) { builder.lock(partition, .accessExclusive) }
      // New, empty storage: a new relfilenode, nothing read.
      for part in storage(of: key) where !builder.rewritten.contains(part) {
        builder.rewritten.append(part)
      }
    }
  }

  // MARK: - Indexes

  func createIndex(_ index: CreateIndex, _ builder: inout EffectBuilder) {
    let (key, table) = relation(index.table, &builder)
    let name = index.name.map { objectName($0, in: key.schema) }
    if index.ifNotExists, let name,
      catalog.index(
        named: QualifiedName([
          Identifier(name.schema), Identifier(name.name),
        ])
      ) != nil
    {
      builder.assume(.notModelled, "index \(name) exists already: IF NOT EXISTS does nothing")
      return
    }
    if let name { builder.create(name) }
    if index.isUnique { builder.isDataDependent = true }
    if index.isConcurrent {
      builder.requiresOutsideTransaction = true
      builder.lock(key, .shareUpdateExclusive)
    } else {
      builder.lock(key, .share)
      if table?.isPartitioned == true, !index.isOnly {
        for partition in partitions(of: key) { builder.lock(partition, .share) }
      }
    }
    if !(table?.isPartitioned == true && index.isOnly) {
      for part in storage(of: key) { builder.scan(part) }
    }
  }

  func alterIndex(_ alter: AlterIndex, _ builder: inout EffectBuilder) {
    let found = catalog.index(named: alter.name)
    let indexKey = found?.qualifiedName ?? catalog.nameForCreating(alter.name)
    if found == nil {
      builder.assume(
        .unknownObject,
        "index \(indexKey) is not in the catalog",
        object: indexKey.description
      )
    }
    switch alter.action {
    case .rename, .setOptions:
      builder.lockIndex(indexKey, .shareUpdateExclusive)
    case .setTablespace:
      builder.lockIndex(indexKey, .accessExclusive)
      if let table = found?.table { builder.lock(table, .accessExclusive) }
    case .attachPartition:
      builder.lockIndex(indexKey, .shareUpdateExclusive)
    case .other(let words):
      builder.assume(.notModelled, "ALTER INDEX … \(words) is not modelled")
      builder.lockIndex(indexKey, .accessExclusive)
    }
  }

  func reindex(_ reindex: Reindex, _ builder: inout EffectBuilder) {
    builder.phase(.migrate)
    let tableMode: LockMode = reindex.isConcurrent ? .shareUpdateExclusive : .share
    let indexMode: LockMode = reindex.isConcurrent ? .shareUpdateExclusive : .accessExclusive
    if reindex.isConcurrent {
      builder.requiresOutsideTransaction = true
      if settings.pgVersion < 12 {
        builder.assume(.notModelled, "REINDEX CONCURRENTLY needs PostgreSQL 12")
      }
    }
    var tables: [Table] = []
    switch reindex.target {
    case .index:
      guard let name = reindex.name else { return }
      guard let index = catalog.index(named: name) else {
        let key = catalog.nameForCreating(name)
        builder.assume(
          .unknownObject,
          "index \(key) is not in the catalog",
          object: key.description
        )
        builder.lockIndex(key, indexMode)
        return
      }
      builder.lockIndex(index.qualifiedName, indexMode)
      builder.lock(index.table, tableMode)
      builder.scan(index.table)
      return
    case .table:
      guard let name = reindex.name else { return }
      let (key, table) = relation(name, &builder)
      guard let table else {
        builder.lock(key, tableMode)
        builder.scan(key)
        return
      }
      tables = [table]
    default:
      builder.requiresOutsideTransaction = true
      let schema = reindex.name.map { catalog.normalize($0.name) }
      tables = catalog.tables.values.filter {
        reindex.target != .schema || $0.name.schema == schema
      }.sorted { $0.name < $1.name }
    }
    for table in tables {
      builder.lock(table.name, tableMode)
      for index in table.indexes { builder.lockIndex(index.qualifiedName, indexMode) }
      if !table.indexes.isEmpty { builder.scan(table.name) }
    }
  }

  func cluster(_ cluster: ObjectStatement, _ builder: inout EffectBuilder) {
    builder.phase(.migrate)
    guard let name = cluster.names.first else {
      builder.requiresOutsideTransaction = true
      builder.assume(
        .notModelled,
        "CLUSTER without a table: the tables clustered before are not known"
      )
      return
    }
    let (key, _) = relation(name, &builder)
    builder.lock(key, .accessExclusive)
    for part in storage(of: key) { builder.rewrite(part) }
  }

  func vacuum(_ vacuum: Vacuum, _ builder: inout EffectBuilder) {
    builder.phase(.migrate)
    if !vacuum.isAnalyzeOnly { builder.requiresOutsideTransaction = true }
    var keys: [ObjectName] = []
    if vacuum.tables.isEmpty {
      keys = catalog.tables.keys.sorted()
    } else {
      for name in vacuum.tables { keys.append(relation(name, &builder).0) }
    }
    for key in keys {
      if vacuum.isFull {
        builder.lock(key, .accessExclusive)
        for part in storage(of: key) { builder.rewrite(part) }
      } else {
        builder.lock(key, .shareUpdateExclusive)
      }
    }
  }

  // MARK: - Types

  func alterType(_ alter: AlterType, _ builder: inout EffectBuilder) {
    switch alter.action {
    case .addValue:
      if settings.pgVersion < 12 { builder.requiresOutsideTransaction = true }
    case .renameValue(let old, let new):
      builder.breaking("renames enum value '\(old)' of \(alter.name) to '\(new)'")
    case .rename(let name):
      builder.breaking("renames type \(alter.name) to \(name.value)")
    case .setSchema(let schema):
      builder.breaking("moves type \(alter.name) to schema \(schema.value)")
    case .ownerTo:
      break
    case .other(let words):
      builder.assume(.notModelled, "ALTER TYPE … \(words) is not modelled")
    }
  }

  // MARK: - Views

  /// The tables a view reads, through views it reads; views and materialized views
  /// themselves included.
  private func relationsRead(by relations: [ObjectName]) -> [ObjectName] {
    var result: [ObjectName] = []
    var queue = relations
    while !queue.isEmpty {
      let next = queue.removeFirst()
      guard !result.contains(next) else { continue }
      result.append(next)
      if let view = catalog.views[next], !view.isMaterialized {
        queue.append(contentsOf: view.referencedRelations)
      }
    }
    return result
  }

  private func readRelations(_ names: [ObjectName], scan: Bool, _ builder: inout EffectBuilder) {
    for key in relationsRead(by: names) {
      builder.lock(key, .accessShare)
      if scan, catalog.views[key]?.isMaterialized == false { continue }
      if scan { for part in storage(of: key) { builder.scan(part) } }
    }
  }

  func createView(_ create: CreateView, _ builder: inout EffectBuilder) {
    let key = catalog.nameForCreating(create.name, isTemporary: create.isTemporary)
    if create.ifNotExists, catalog.views[key] != nil { return }
    if create.isOrReplace, catalog.views[key] != nil {
      builder.lock(key, .accessExclusive)
    } else {
      builder.create(key)
      builder.lock(key, .accessExclusive)
    }
    let referenced = create.referencedRelations.map { name -> ObjectName in
      catalog.table(named: name)?.name ?? catalog.view(named: name)?.name
        ?? catalog.resolveRelation(name)
    }
    readRelations(referenced, scan: create.isMaterialized && create.withData != false, &builder)
  }

  func alterView(_ alter: ObjectStatement, _ builder: inout EffectBuilder) {
    guard let name = alter.names.first else { return }
    let (key, _) = relation(name, &builder)
    builder.lock(key, .accessExclusive)
    if alter.has("RENAME") || alter.flags.contains(where: { $0.hasPrefix("RENAME") }) {
      builder.breaking("renames view \(key)")
    }
  }

  func refreshMaterializedView(_ refresh: ObjectStatement, _ builder: inout EffectBuilder) {
    builder.phase(.migrate)
    guard let name = refresh.names.first else { return }
    let (key, _) = relation(name, &builder)
    let view = catalog.views[key]
    if view == nil {
      builder.assume(
        .unknownObject,
        "materialized view \(key) is not in the catalog",
        object: key.description
      )
    }
    let sources = view?.referencedRelations ?? []
    if refresh.has("WITH NO DATA") {
      builder.lock(key, .accessExclusive)
      builder.rewritten.append(key)
      return
    }
    if refresh.has("CONCURRENTLY") {
      builder.lock(key, .exclusive)
      builder.scan(key)
    } else {
      builder.lock(key, .accessExclusive)
      builder.rewrite(key)
    }
    readRelations(sources, scan: true, &builder)
  }

  // MARK: - DROP

  func drop(_ drop: DropObject, _ builder: inout EffectBuilder) {
    builder.phase(.contract)
    switch drop.objectType {
    case .table:
      builder.destroysData = true
      for name in drop.names {
        guard let table = catalog.table(named: name) else {
          if !drop.ifExists { _ = relation(name, &builder) }
          continue
        }
        builder.breaking("drops table \(table.name)")
        builder.lock(table.name, .accessExclusive)
        for partition in partitions(of: table.name) { builder.lock(partition, .accessExclusive) }
        for constraint in table.constraints where constraint.kind == .foreignKey {
          if let reference = constraint.reference, reference.table != table.name {
            builder.lock(reference.table, .accessExclusive)
          }
        }
        if drop.isCascade {
          for (referencing, _) in referencingTables(table.name) where referencing != table.name {
            builder.lock(referencing, .accessExclusive)
          }
        }
      }
    case .view, .materializedView:
      for name in drop.names {
        guard let view = catalog.view(named: name) else {
          if !drop.ifExists { _ = relation(name, &builder) }
          continue
        }
        builder.breaking("drops view \(view.name)")
        builder.lock(view.name, .accessExclusive)
      }
    case .index:
      if drop.isConcurrent { builder.requiresOutsideTransaction = true }
      for name in drop.names {
        guard let index = catalog.index(named: name) else {
          if !drop.ifExists {
            let key = catalog.nameForCreating(name)
            builder.assume(
              .unknownObject,
              "index \(key) is not in the catalog",
              object: key.description
            )
          }
          continue
        }
        builder.lock(index.table, drop.isConcurrent ? .shareUpdateExclusive : .accessExclusive)
        builder.lockIndex(index.qualifiedName, .accessExclusive)
      }
    case .trigger, .policy, .rule:
      if let table = drop.table {
        let (key, _) = relation(table, &builder)
        builder.lock(key, .accessExclusive)
      }
    case .type, .domain, .function, .procedure, .routine, .aggregate, .sequence, .schema,
      .extension:
      for name in drop.names {
        builder.breaking("drops \(drop.objectType.sqlName.lowercased()) \(name)")
      }
      if drop.objectType == .schema {
        builder.destroysData = true
        for name in drop.names {
          let schema = catalog.normalize(name.name)
          for key in catalog.tables.keys.sorted() where key.schema == schema {
            builder.lock(key, .accessExclusive)
          }
        }
      }
    default:
      break
    }
  }

  // MARK: - Other objects

  func objectDefinition(_ object: ObjectStatement, _ builder: inout EffectBuilder) {
    switch object.objectType {
    case .policy, .rule, .trigger:
      // CREATE/ALTER POLICY, CREATE RULE, ALTER TRIGGER lock their table.
      if let table = object.table {
        let (key, _) = relation(table, &builder)
        builder.lock(key, .accessExclusive)
      }
    case .statistics:
      if let table = object.table {
        let (key, _) = relation(table, &builder)
        builder.lock(key, .shareUpdateExclusive)
      }
    default:
      if object.flags.contains(where: { $0.hasPrefix("RENAME") }), !object.names.isEmpty,
        [.sequence, .function, .procedure, .schema, .domain].contains(object.objectType)
      {
        builder.breaking("renames \(object.objectType.sqlName.lowercased()) \(object.names[0])")
      }
    }
  }

  func comment(_ comment: ObjectStatement, _ builder: inout EffectBuilder) {
    guard let name = comment.names.first else { return }
    switch comment.objectType {
    case .table, .view, .materializedView:
      let (key, _) = relation(name, &builder)
      builder.lock(key, .shareUpdateExclusive)
    case .column where name.parts.count >= 2:
      let (key, _) = relation(QualifiedName(Array(name.parts.dropLast())), &builder)
      builder.lock(key, .shareUpdateExclusive)
    default:
      break
    }
  }

  // MARK: - LOCK and data changes

  func lockTable(_ lock: LockTable, _ builder: inout EffectBuilder) {
    let mode = LockMode(rawValue: lock.mode.uppercased()) ?? .accessExclusive
    for name in lock.tables {
      let (key, table) = relation(name, &builder)
      builder.lock(key, mode)
      if table?.isPartitioned == true {
        for partition in partitions(of: key) { builder.lock(partition, mode) }
      }
    }
  }

  func dataChange(_ change: DataChange, _ builder: inout EffectBuilder) {
    builder.isDataChange = true
    builder.phase(.migrate)
    let (key, table) = relation(change.table, &builder)
    builder.lock(key, .rowExclusive)
    if table?.isPartitioned == true {
      for partition in partitions(of: key) { builder.lock(partition, .rowExclusive) }
    }
    let assigned = Set(change.columns.map { catalog.normalize($0) })
    switch change.operation {
    case .insert, .update:
      // The foreign-key checks lock the referenced rows (FOR KEY SHARE: ROW SHARE).
      for constraint in table?.constraints ?? [] where constraint.kind == .foreignKey {
        guard let reference = constraint.reference else { continue }
        if change.operation == .update, assigned.isDisjoint(with: constraint.columns) { continue }
        builder.lock(reference.table, .rowShare)
      }
    case .delete:
      builder.destroysData = true
    }
    // Referenced columns are always unique (a key, a unique constraint or a unique index):
    // an UPDATE that assigns none of them cannot affect referencing rows, so the search of
    // every table for referencing foreign keys is skipped.
    var keyCandidates: Set<String> = []
    if let table {
      for constraint in table.constraints
      where constraint.kind == .primaryKey || constraint.kind == .unique {
        keyCandidates.formUnion(constraint.columns)
      }
      for index in table.indexes where index.isUnique {
        keyCandidates.formUnion(index.columns.compactMap { $0 })
      }
    }
    let updatesNoKey =
      change.operation == .update && table != nil
      && assigned.isDisjoint(with: keyCandidates)
    if change.operation != .insert {
      // Referencing rows are checked (NO ACTION/RESTRICT) or changed (CASCADE, SET …).
      let referencing = updatesNoKey ? [] : referencingTables(key)
      for (referencing, constraint) in referencing where referencing != key {
        if change.operation == .update {
          // Only an update of the referenced key checks the referencing rows.
          let keyColumns =
            constraint.reference?.columns.isEmpty == false
            ? constraint.reference?.columns ?? [] : table?.primaryKey?.columns ?? []
          if assigned.isDisjoint(with: keyColumns) { continue }
        }
        let action =
          change.operation == .delete
          ? constraint.reference?.onDelete : constraint.reference?.onUpdate
        let changes = action.map { $0 != "NO ACTION" && $0 != "RESTRICT" } ?? false
        builder.lock(referencing, changes ? .rowExclusive : .rowShare)
      }
      if !change.hasWhere {
        for part in storage(of: key) { builder.scan(part) }
      }
    }
  }
}
