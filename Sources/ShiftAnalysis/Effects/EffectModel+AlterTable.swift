import ShiftCore
import ShiftSchema
import ShiftSyntax

extension EffectModel {
  /// `ALTER TABLE`: the strongest lock of its actions, one pass over the table.
  func alterTable(_ alter: AlterTable, _ builder: inout EffectBuilder) {
    let (key, table) = relation(alter.table, &builder)
    var recursiveMode: LockMode?
    for action in alter.actions {
      let mode = alterTableAction(action.kind, key: key, table: table, &builder)
      builder.lock(key, mode)
      if recurses(action.kind) { recursiveMode = max(recursiveMode ?? mode, mode) }
    }
    // Most actions recurse to the partitions of a partitioned table (not with ONLY).
    if let recursiveMode, !alter.isOnly, table?.isPartitioned == true {
      for partition in partitions(of: key) { builder.lock(partition, recursiveMode) }
    }
  }

  private func recurses(_ kind: AlterTableAction.Kind) -> Bool {
    switch kind {
    case .attachPartition, .detachPartition, .renameTable, .renameConstraint, .setSchema,
      .ownerTo, .setTablespace:
      false
    default: true
    }
  }

  /// One action's lock mode on the altered table; records rewrites, scans and the rest.
  private func alterTableAction(
    _ kind: AlterTableAction.Kind,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) -> LockMode {
    switch kind {
    case .addColumn(let column, _):
      addColumn(column, key: key, table: table, &builder)
      return .accessExclusive
    case .dropColumn(let column, _, _):
      builder.breaking("drops column \(key).\(column.value)")
      builder.destroysData = true
      builder.phase(.contract)
      if let table {
        let name = catalog.normalize(column)
        // Foreign keys of the column go with it: their referenced tables are locked too.
        for constraint in table.constraints
        where constraint.kind == .foreignKey && constraint.columns.contains(name) {
          if let reference = constraint.reference {
            builder.lock(reference.table, .accessExclusive)
          }
        }
      }
      return .accessExclusive
    case .alterColumnType(let column, let type, let using):
      alterColumnType(column, to: type, using: using, key: key, table: table, &builder)
      return .accessExclusive
    case .setDefault:
      return .accessExclusive
    case .dropDefault(let column):
      let name = catalog.normalize(column)
      if let existing = table?.column(named: name), existing.isNotNull,
        existing.identity == nil, existing.generated == nil, existing.defaultValue != nil
      {
        builder.breaking(
          "drops the default of NOT NULL column \(key).\(name): old INSERTs that omit it fail"
        )
      }
      builder.phase(.contract)
      return .accessExclusive
    case .setNotNull(let column):
      setNotNull(catalog.normalize(column), key: key, table: table, &builder)
      return .accessExclusive
    case .dropNotNull:
      return .accessExclusive
    case .addIdentity, .alterIdentity, .dropExpression, .setStorage, .setCompression:
      return .accessExclusive
    case .setStatistics, .setColumnOptions, .clusterOn, .setWithoutCluster:
      return .shareUpdateExclusive
    case .addConstraint(let constraint):
      return addConstraint(constraint, key: key, table: table, &builder)
    case .dropConstraint(let name, _, let isCascade):
      dropConstraint(
        catalog.normalize(name),
        isCascade: isCascade,
        key: key,
        table: table,
        &builder
      )
      return .accessExclusive
    case .validateConstraint(let name):
      validateConstraint(catalog.normalize(name), key: key, table: table, &builder)
      return .shareUpdateExclusive
    case .renameConstraint, .alterConstraint:
      return .accessExclusive
    case .renameTable(let name):
      builder.breaking("renames table \(key) to \(name.value)")
      return .accessExclusive
    case .renameColumn(let column, let name):
      builder.breaking("renames column \(key).\(column.value) to \(name.value)")
      return .accessExclusive
    case .setSchema(let schema):
      builder.breaking("moves table \(key) to schema \(schema.value)")
      return .accessExclusive
    case .setLogged, .setUnlogged, .setAccessMethod:
      for part in storage(of: key) { builder.rewrite(part) }
      builder.phase(.migrate)
      return .accessExclusive
    case .setTablespace(let tablespace):
      if tablespace.value == "pg_default" {
        builder.assume(
          .heuristic,
          "assumed \(key) already lives in pg_default: SET TABLESPACE moves nothing",
          object: key.description
        )
      } else {
        for part in storage(of: key) { builder.rewrite(part) }
        builder.phase(.migrate)
      }
      return .accessExclusive
    case .setStorageParameters(let names), .resetStorageParameters(let names):
      return names.allSatisfy(Self.isLightStorageParameter)
        ? .shareUpdateExclusive : .accessExclusive
    case .attachPartition(let name):
      attachPartition(name, parent: key, &builder)
      return settings.pgVersion >= 12 ? .shareUpdateExclusive : .accessExclusive
    case .detachPartition(let name, let isConcurrent, let isFinalize):
      let (partition, _) = relation(name, &builder)
      builder.breaking("detaches partition \(partition): its rows leave \(key)")
      if isConcurrent || isFinalize {
        if settings.pgVersion < 14 {
          builder.assume(.notModelled, "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14")
        }
        builder.requiresOutsideTransaction = isConcurrent
        builder.lock(partition, .shareUpdateExclusive)
        return .shareUpdateExclusive
      }
      builder.lock(partition, .accessExclusive)
      return .accessExclusive
    case .enableTrigger, .rule:
      return .shareRowExclusive
    case .disableTrigger:
      builder.phase(.contract)
      return .shareRowExclusive
    case .rowLevelSecurity, .replicaIdentity, .ownerTo, .inherit, .noInherit, .setWithoutOIDs:
      return .accessExclusive
    case .other(let words):
      builder.assume(
        .notModelled,
        "ALTER TABLE … \(words) is not modelled; ACCESS EXCLUSIVE assumed"
      )
      return .accessExclusive
    }
  }

  /// Storage parameters PostgreSQL changes under SHARE UPDATE EXCLUSIVE: fillfactor, the
  /// TOAST and autovacuum parameters and parallel_workers.
  static func isLightStorageParameter(_ name: String) -> Bool {
    let name = name.lowercased()
    let plain = name.hasPrefix("toast.") ? String(name.dropFirst(6)) : name
    return plain == "fillfactor" || plain.hasPrefix("autovacuum_") || plain == "parallel_workers"
      || plain == "toast_tuple_target" || plain == "vacuum_index_cleanup"
      || plain == "vacuum_truncate" || plain == "log_autovacuum_min_duration"
  }

  // MARK: - ADD COLUMN

  static let serialTypes: Set<String> = [
    "serial", "serial4", "bigserial", "serial8", "smallserial", "serial2",
  ]

  private func addColumn(
    _ column: ColumnDefinition,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) {
    let name = catalog.normalize(column.name)
    var rewriteReason: String?
    let isSerial = column.type.map { Self.serialTypes.contains($0.canonicalName) } ?? false
    if isSerial {
      rewriteReason = "serial column: every row gets nextval()"
    } else if column.identity != nil {
      rewriteReason = "identity column: every row gets a value"
    } else if let generated = generatedColumn(column) {
      if generated.isStored || settings.pgVersion < 18 {
        rewriteReason = "stored generated column"
      }
    } else if let value = column.defaultValue, !isNullLiteral(value) {
      switch catalog.volatility(of: value, in: key) {
      case .volatile:
        rewriteReason = "volatile default"
      case .unknown(let names):
        rewriteReason = "default of unknown volatility"
        builder.assume(
          .unknownVolatility,
          "volatility of \(names.joined(separator: ", ")) unknown; assumed volatile (rewrite)",
          object: names.joined(separator: ", ")
        )
      case .immutable, .stable:
        if settings.pgVersion < 11 { rewriteReason = "default before PostgreSQL 11" }
      }
    }
    if rewriteReason != nil {
      for part in storage(of: key) { builder.rewrite(part) }
    }
    let hasDefault =
      column.defaultValue.map { !isNullLiteral($0) } ?? false || isSerial
      || column.identity != nil || column.generatedExpression != nil
    if column.isNotNull, !hasDefault {
      builder.breaking("adds NOT NULL column \(key).\(name) without a default: old INSERTs fail")
      // PostgreSQL checks the existing rows (and fails when there are any).
      for part in storage(of: key) { builder.scan(part) }
    }
    for constraint in column.constraints {
      switch constraint.kind {
      case .check:
        for part in storage(of: key) { builder.scan(part) }
      case .unique, .primaryKey:
        for part in storage(of: key) { builder.scan(part) }
        builder.isDataDependent = true
      case .references(let reference):
        let (referenced, _) = relation(reference.table, &builder)
        builder.lock(referenced, .shareRowExclusive)
        for part in storage(of: key) { builder.scan(part) }
        builder.scan(referenced)
      default:
        break
      }
    }
    _ = table
  }

  private func generatedColumn(_ column: ColumnDefinition) -> (
    expression: Expression, isStored: Bool
  )? {
    for constraint in column.constraints {
      if case .generated(let expression, let isStored) = constraint.kind {
        return (expression, isStored)
      }
    }
    return nil
  }

  func isNullLiteral(_ expression: Expression) -> Bool {
    switch expression {
    case .literal(.null, _): true
    case .cast(let inner, _, _): isNullLiteral(inner)
    default: false
    }
  }

  // MARK: - SET NOT NULL

  private func setNotNull(
    _ column: String,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) {
    builder.isDataDependent = true
    builder.phase(.contract)
    guard let table else {
      for part in storage(of: key) { builder.scan(part) }
      return
    }
    if let existing = table.column(named: column), existing.isNotNull { return }
    if table.column(named: column) == nil, table.isComplete {
      builder.assume(.unknownColumn, "column \(key).\(column) is not in the catalog")
    }
    if settings.pgVersion >= 12, let proof = notNullCheck(column, in: table, &builder) {
      _ = proof
      return
    }
    for part in storage(of: key) { builder.scan(part) }
  }

  /// A validated `CHECK (column IS NOT NULL)` (possibly one conjunct of an AND) on `table`.
  func notNullCheck(_ column: String, in table: Table, _ builder: inout EffectBuilder)
    -> Constraint?
  {
    for constraint in table.constraints
    where constraint.kind == .check && constraint.isValidated {
      guard let check = constraint.check else { continue }
      for conjunct in conjuncts(check) {
        guard case .compound("is", let items, let range) = conjunct, items.count == 1,
          case .column(let name) = items[0], catalog.normalize(name.name) == column
        else { continue }
        // The syntax tree does not keep NOT: read it from the source when it is known.
        if let text = sourceText(range, of: constraint.origin)?.uppercased() {
          if text.contains("NOT NULL") || text.contains("NOTNULL") { return constraint }
        } else {
          builder.assume(
            .heuristic,
            "assumed CHECK \(constraint.name ?? "") of \(table.name) reads IS NOT NULL",
            object: constraint.name
          )
          return constraint
        }
      }
    }
    return nil
  }

  private func conjuncts(_ expression: Expression) -> [Expression] {
    if case .binary(let op, let left, let right, _) = expression, op.uppercased() == "AND" {
      return conjuncts(left) + conjuncts(right)
    }
    return [expression]
  }

  // MARK: - Constraints

  private func addConstraint(
    _ constraint: TableConstraint,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) -> LockMode {
    builder.isDataDependent = true
    switch constraint.kind {
    case .check:
      if !constraint.isNotValid {
        for part in storage(of: key) { builder.scan(part) }
        builder.phase(.migrate)
      }
      return .accessExclusive
    case .foreignKey(_, let reference):
      let (referenced, _) = relation(reference.table, &builder)
      builder.lock(referenced, .shareRowExclusive)
      if !constraint.isNotValid {
        for part in storage(of: key) { builder.scan(part) }
        builder.scan(referenced)
        builder.phase(.migrate)
      }
      return .shareRowExclusive
    case .unique(let columns, let usingIndex), .primaryKey(let columns, let usingIndex):
      builder.phase(.migrate)
      let isPrimaryKey: Bool
      if case .primaryKey = constraint.kind { isPrimaryKey = true } else { isPrimaryKey = false }
      if let usingIndex {
        let index = table?.index(named: catalog.normalize(usingIndex))
        if index == nil {
          builder.assume(
            .unknownObject,
            "index \(usingIndex.value) is not in the catalog",
            object: usingIndex.value
          )
        }
        builder.lockIndex(
          ObjectName(schema: key.schema, name: catalog.normalize(usingIndex)),
          .accessExclusive
        )
        if isPrimaryKey {
          let keyColumns = index?.columns.compactMap { $0 } ?? []
          if needsNotNullScan(keyColumns, table: table, &builder) {
            for part in storage(of: key) { builder.scan(part) }
          }
        }
      } else {
        for part in storage(of: key) { builder.scan(part) }
        _ = columns
      }
      return .accessExclusive
    case .exclude:
      builder.phase(.migrate)
      for part in storage(of: key) { builder.scan(part) }
      return .accessExclusive
    }
  }

  /// Whether making `columns` NOT NULL (for a primary key) must scan the table.
  private func needsNotNullScan(
    _ columns: [String],
    table: Table?,
    _ builder: inout EffectBuilder
  ) -> Bool {
    guard let table, !columns.isEmpty else { return true }
    return columns.contains { name in
      guard let column = table.column(named: name) else { return true }
      if column.isNotNull { return false }
      return settings.pgVersion < 12 || notNullCheck(name, in: table, &builder) == nil
    }
  }

  private func dropConstraint(
    _ name: String,
    isCascade: Bool,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) {
    builder.phase(.contract)
    guard let table else { return }
    guard let constraint = table.constraint(named: name) else {
      builder.assume(
        .unknownObject,
        "constraint \(name) of \(key) is not in the catalog",
        object: name
      )
      return
    }
    if constraint.kind == .foreignKey, let reference = constraint.reference {
      builder.lock(reference.table, .accessExclusive)
    }
    if isCascade, constraint.kind == .primaryKey || constraint.kind == .unique {
      for (referencing, foreignKey) in referencingTables(key)
      where Set(foreignKey.reference?.columns ?? []) == Set(constraint.columns)
        || foreignKey.reference?.columns.isEmpty == true
      {
        builder.lock(referencing, .accessExclusive)
      }
    }
  }

  private func validateConstraint(
    _ name: String,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) {
    builder.phase(.migrate)
    builder.isDataDependent = true
    guard let constraint = table?.constraint(named: name) else {
      builder.assume(
        .unknownObject,
        "constraint \(name) of \(key) is not in the catalog; assumed a CHECK to validate",
        object: name
      )
      for part in storage(of: key) { builder.scan(part) }
      return
    }
    if constraint.kind == .foreignKey, let reference = constraint.reference {
      builder.lock(reference.table, .rowShare)
      if !constraint.isValidated { builder.scan(reference.table) }
    }
    if !constraint.isValidated {
      for part in storage(of: key) { builder.scan(part) }
    }
  }

  // MARK: - Partitions

  private func attachPartition(
    _ name: QualifiedName,
    parent: ObjectName,
    _ builder: inout EffectBuilder
  ) {
    let (partition, table) = relation(name, &builder)
    builder.lock(partition, .accessExclusive)
    if let proof = table?.constraints.first(where: { $0.kind == .check && $0.isValidated }) {
      builder.assume(
        .heuristic,
        "assumed CHECK \(proof.name ?? "") of \(partition) implies the partition bound (no scan)",
        object: proof.name
      )
    } else {
      for part in storage(of: partition) { builder.scan(part) }
    }
    _ = parent
  }
}
