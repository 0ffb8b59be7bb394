import ShiftCore
import ShiftSyntax

extension Replayer {
  /// One element of `CREATE TABLE (…)`, in written order.
  private enum Element {
    case column(ColumnDefinition)
    case like(QualifiedName)
    case constraint(TableConstraint)

    var start: Int {
      switch self {
      case .column(let column): column.range.start
      case .like(let name): name.range.start
      case .constraint(let constraint): constraint.range.start
      }
    }
  }

  mutating func createTable(_ create: CreateTable) {
    let key = catalog.nameForCreating(create.name, isTemporary: create.isTemporary)
    let placeholder = catalog[table: key].map(\.origin.isAssumed) ?? false
    if !placeholder, catalog.relationExists(key.name, in: key.schema) {
      if create.ifNotExists {
        note(.skippedExisting, "relation \(key) already exists; nothing created", object: "\(key)")
      } else {
        note(.conflict, "relation \(key) already exists", object: "\(key)")
      }
      return
    }
    if isPostgres, let schema = create.name.qualifier, !catalog.schemas.contains(normalize(schema))
    {
      noteAssumed("schema", normalize(schema))
      catalog.schemas.insert(normalize(schema))
    }
    var table = Table(
      name: key,
      isUnlogged: create.isUnlogged,
      isTemporary: create.isTemporary,
      partitionStrategy: create.partitionStrategy,
      isWithoutRowID: create.isWithoutRowID,
      isStrict: create.isStrict,
      origin: origin
    )
    var pending: [PendingConstraint] = []
    var inheritedChecks: [Constraint] = []
    for parent in create.inherits {
      guard let parentKey = catalog.resolve(parent, where: { catalog[table: $0] != nil }),
        let parentTable = catalog[table: parentKey]
      else {
        noteAssumed("table", catalog.nameForCreating(parent).description)
        table.isComplete = false
        continue
      }
      table.inherits.append(parentKey)
      if !parentTable.isComplete { table.isComplete = false }
      for column in parentTable.columns where table.column(named: column.name) == nil {
        table.columns.append(inherited(column))
      }
      inheritedChecks += parentTable.constraints.filter { $0.kind == .check }
    }
    var parent: Table?
    if let partitionOf = create.partitionOf {
      if let parentKey = catalog.resolve(partitionOf, where: { catalog[table: $0] != nil }),
        let parentTable = catalog[table: parentKey]
      {
        parent = parentTable
        table.partitionParent = parentKey
        table.columns = parentTable.columns.map(inherited)
        table.isComplete = parentTable.isComplete
      } else {
        let parentKey = catalog.nameForCreating(partitionOf)
        noteAssumed("table", parentKey.description)
        table.partitionParent = parentKey
        table.isComplete = false
      }
    }
    var elements: [Element] = create.columns.map { .column($0) }
    elements += create.likeTables.map { .like($0) }
    elements += create.constraints.map { .constraint($0) }
    elements.sort { $0.start < $1.start }
    for element in elements {
      switch element {
      case .column(let definition):
        let name = normalize(definition.name)
        if let position = table.columns.firstIndex(where: { $0.name == name }) {
          // Inherited or partition column: the definition adds options to it.
          var column = table.columns[position]
          merge(definition, into: &column, table: key, pending: &pending)
          table.columns[position] = column
        } else {
          if create.partitionOf != nil, parent != nil {
            note(.conflict, "column \(key).\(name) does not exist in the partitioned table")
          }
          table.columns.append(makeColumn(definition, table: key, pending: &pending))
        }
      case .like(let source):
        guard let sourceKey = catalog.resolve(source, where: { catalog[table: $0] != nil }),
          let sourceTable = catalog[table: sourceKey]
        else {
          noteAssumed("table", catalog.nameForCreating(source).description)
          table.isComplete = false
          continue
        }
        if !sourceTable.isComplete { table.isComplete = false }
        if likeHasOptions(source) {
          note(
            .notModelled,
            "LIKE \(sourceKey) INCLUDING … not modelled: only columns, types and NOT NULL copied",
            object: key.description
          )
        }
        for column in sourceTable.columns where table.column(named: column.name) == nil {
          var copy = inherited(column)
          copy.defaultValue = nil  // LIKE copies defaults only with INCLUDING DEFAULTS
          copy.defaultVolatility = nil
          copy.identity = nil
          copy.generated = nil
          table.columns.append(copy)
        }
      case .constraint(let constraint):
        pending.append(self.pending(constraint))
      }
    }
    if create.isAsQuery {
      table.isComplete = false
      note(
        .notModelled,
        "the columns of \(key) come from a query and are not known",
        object: key.description
      )
    }
    for check in inheritedChecks where table.constraint(named: check.name ?? "") == nil {
      var copy = check
      copy.origin = origin
      table.constraints.append(copy)
    }
    catalog[table: key] = table
    addConstraints(pending, to: key, isNewTable: true)
    if let parent { clonePartitionObjects(of: parent, into: key) }
  }

  /// Whether `LIKE source` is followed by `INCLUDING` options (read from the source; the
  /// syntax tree does not keep them).
  private func likeHasOptions(_ likeSource: QualifiedName) -> Bool {
    guard let source else { return false }
    let end = min(source.bytes.count, likeSource.range.end + 64)
    let range = SourceRange(start: likeSource.range.end, end: end)
    let words = SourceWords(source, range: range, dialect: dialect).words
    return words.first { $0.kind != .dot }?.keyword == .including
  }

  /// A copy of a parent's (or `LIKE` source's) column, created by this statement.
  private func inherited(_ column: Column) -> Column {
    var copy = column
    copy.origin = origin
    return copy
  }

  /// A new column from its definition; its inline constraints go to `pending`.
  mutating func makeColumn(
    _ definition: ColumnDefinition,
    table key: ObjectName,
    pending: inout [PendingConstraint]
  ) -> Column {
    var column = Column(
      name: normalize(definition.name),
      type: definition.type.map(catalog.canonicalType),
      origin: origin
    )
    if isPostgres, let type = definition.type, let integer = Self.serialTypes[type.canonicalName],
      !type.isArray
    {
      column.type = TypeName(
        name: integer.name,
        canonicalName: integer.canonical,
        range: type.range
      )
      let sequence = createOwnedSequence(for: column.name, of: key, isIdentity: false)
      let sequenceText =
        catalog.searchPath.contains(sequence.schema) ? sequence.name : sequence.description
      let call = FunctionCall(
        name: QualifiedName([Identifier("nextval")]),
        arguments: [
          .cast(
            .literal(.string(sequenceText), type.range),
            TypeName(name: "regclass", canonicalName: "regclass", range: type.range),
            type.range
          )
        ],
        isKeywordForm: false,
        range: type.range
      )
      column.defaultValue = .function(call)
      column.defaultVolatility = .volatile
      column.isNotNull = true
    }
    merge(definition, into: &column, table: key, pending: &pending)
    return column
  }

  /// Applies a definition's inline constraints to a column.
  private mutating func merge(
    _ definition: ColumnDefinition,
    into column: inout Column,
    table key: ObjectName,
    pending: inout [PendingConstraint]
  ) {
    for constraint in definition.constraints {
      let name = constraint.name.map(normalize)
      func add(_ kind: PendingConstraint.Kind) {
        pending.append(
          PendingConstraint(
            name: name,
            kind: kind,
            columns: [column.name],
            usingIndex: nil,
            isNotValid: constraint.isNotValid,
            isDeferrable: false,
            range: constraint.range
          )
        )
      }
      switch constraint.kind {
      case .notNull: column.isNotNull = true
      case .null: column.isNotNull = false
      case .defaultValue(let expression):
        column.defaultValue = expression
        column.defaultVolatility = catalog.volatility(of: expression)
      case .check(let expression): add(.check(expression))
      case .unique: add(.unique)
      case .primaryKey: add(.primaryKey)
      case .references(let reference): add(.foreignKey(reference))
      case .identity(let isAlways):
        column.identity = isAlways ? .always : .byDefault
        column.isNotNull = true
        if isPostgres {
          _ = createOwnedSequence(
            for: column.name,
            of: key,
            isIdentity: true,
            written: constraint.range
          )
        }
      case .generated(let expression, let isStored):
        column.generated = Column.Generated(expression: expression, isStored: isStored)
      case .collate(let collation): column.collation = collation
      case .autoincrement: break
      }
    }
  }

  /// The sequence behind a serial or identity column: `<table>_<column>_seq`, made unique
  /// among the schema's relations.
  mutating func createOwnedSequence(
    for column: String,
    of table: ObjectName,
    isIdentity: Bool,
    written range: SourceRange? = nil
  ) -> ObjectName {
    var key = ObjectName(
      schema: table.schema,
      name: PostgresNaming.choose(table.name, column, label: "seq") {
        catalog.relationExists($0, in: table.schema)
      }
    )
    if let range, let source {
      // `GENERATED … AS IDENTITY (SEQUENCE NAME s …)`, as pg_dump writes it.
      let words = SourceWords(source, range: range, dialect: dialect)
      if let at = words.find([.sequence]), at + 2 < words.words.count,
        words.words[at + 1].value == "name", let name = words.qualifiedName(at: at + 2)
      {
        key = catalog.nameForCreating(name)
      }
    }
    catalog[sequence: key] = SequenceDefinition(
      name: key,
      ownedBy: SequenceDefinition.Owner(table: table, column: column),
      isIdentity: isIdentity,
      origin: origin
    )
    return key
  }

  /// A table constraint in pending form.
  func pending(_ constraint: TableConstraint) -> PendingConstraint {
    let kind: PendingConstraint.Kind
    var columns: [String] = []
    var usingIndex: String?
    switch constraint.kind {
    case .check(let expression): kind = .check(expression)
    case .unique(let written, let index):
      kind = .unique
      columns = written.map(normalize)
      usingIndex = index.map(normalize)
    case .primaryKey(let written, let index):
      kind = .primaryKey
      columns = written.map(normalize)
      usingIndex = index.map(normalize)
    case .foreignKey(let written, let reference):
      kind = .foreignKey(reference)
      columns = written.map(normalize)
    case .exclude(let method):
      kind = .exclusion(method: method)
    }
    return PendingConstraint(
      name: constraint.name.map(normalize),
      kind: kind,
      columns: columns,
      usingIndex: usingIndex,
      isNotValid: constraint.isNotValid,
      isDeferrable: constraint.isDeferrable,
      range: constraint.range
    )
  }

  /// PostgreSQL's serial pseudo-types and the integer types they stand for.
  static let serialTypes: [String: (name: String, canonical: String)] = [
    "serial": ("integer", "int4"), "serial4": ("integer", "int4"),
    "bigserial": ("bigint", "int8"), "serial8": ("bigint", "int8"),
    "smallserial": ("smallint", "int2"), "serial2": ("smallint", "int2"),
  ]

  /// Gives a new partition its parent's constraints and indexes, named as PostgreSQL
  /// names the clones.
  mutating func clonePartitionObjects(of parent: Table, into key: ObjectName) {
    guard var table = catalog[table: key] else { return }
    for constraint in parent.constraints
    where constraint.kind == .check || constraint.kind == .foreignKey {
      guard table.constraint(named: constraint.name ?? "") == nil else { continue }
      var copy = constraint
      copy.origin = origin
      table.constraints.append(copy)
    }
    catalog[table: key] = table
    for index in parent.indexes {
      // ATTACH PARTITION reuses an equivalent index the partition already has.
      if catalog[table: key]?.indexes.contains(where: {
        $0.keys == index.keys && $0.isUnique == index.isUnique && $0.predicate == index.predicate
      }) == true {
        continue
      }
      let constraint = index.constraintName.flatMap { parent.constraint(named: $0) }
      let label: String
      var addition: String? = PostgresNaming.nameAddition(
        PostgresNaming.indexColumnNames(index.keys + index.include.map { Index.Key(column: $0) })
      )
      switch constraint?.kind {
      case .primaryKey?:
        label = "pkey"
        addition = nil
      case .unique?: label = "key"
      case .exclusion?: label = "excl"
      default: label = "idx"
      }
      let name = PostgresNaming.choose(key.name, addition, label: label) {
        catalog.relationExists($0, in: key.schema)
          || (constraint != nil && catalog.constraintExists($0, in: key.schema))
      }
      var copy = index
      copy.name = name
      copy.table = key
      copy.origin = origin
      if var cloned = constraint {
        cloned.name = name
        cloned.indexName = name
        cloned.origin = origin
        copy.constraintName = name
        catalog[table: key]?.constraints.append(cloned)
      }
      catalog[table: key]?.indexes.append(copy)
    }
  }
}
