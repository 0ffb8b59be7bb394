import ShiftCore
import ShiftSyntax

extension Replayer {
  /// Names and adds constraints in PostgreSQL's order.
  ///
  /// Checks come first, then the primary key, then unique and exclusion constraints (each
  /// with its index), then foreign keys. In a new
  /// table, a unique constraint that repeats the primary key or an earlier unique
  /// constraint is merged into it, as both databases do.
  mutating func addConstraints(
    _ pending: [PendingConstraint],
    to key: ObjectName,
    isNewTable: Bool
  ) {
    let ordered = pending.sorted { $0.range.start < $1.range.start }
    if isPostgres {
      for constraint in ordered where constraint.isCheck {
        addCheck(constraint, to: key, isNewTable: isNewTable)
      }
      let indexBacked = ordered.filter(\.isIndexBacked)
      let primaryKeys = indexBacked.filter {
        if case .primaryKey = $0.kind { return true }
        return false
      }
      let others = indexBacked.filter {
        if case .primaryKey = $0.kind { return false }
        return true
      }
      for constraint in merged(primaryKeys + others, isNewTable: isNewTable) {
        addIndexBacked(constraint, to: key, isNewTable: isNewTable)
      }
      for constraint in ordered where constraint.isForeignKey {
        addForeignKey(constraint, to: key, isNewTable: isNewTable)
      }
    } else {
      let indexBacked = Set(
        merged(ordered.filter(\.isIndexBacked), isNewTable: isNewTable).map(\.range.start)
      )
      for constraint in ordered {
        if constraint.isCheck {
          addCheck(constraint, to: key, isNewTable: isNewTable)
        } else if constraint.isForeignKey {
          addForeignKey(constraint, to: key, isNewTable: isNewTable)
        } else if indexBacked.contains(constraint.range.start) {
          addIndexBacked(constraint, to: key, isNewTable: isNewTable)
        }
      }
    }
  }

  /// Drops unique constraints of a new table that repeat an earlier primary key or unique
  /// constraint on the same columns (an unnamed earlier one takes the later one's name).
  private func merged(_ constraints: [PendingConstraint], isNewTable: Bool) -> [PendingConstraint] {
    guard isNewTable else { return constraints }
    var kept: [PendingConstraint] = []
    for constraint in constraints {
      let prior =
        constraint.isExclusion || constraint.usingIndex != nil
        ? nil
        : kept.firstIndex {
          !$0.isExclusion && $0.usingIndex == nil && !$0.columns.isEmpty
            && $0.columns == constraint.columns
        }
      if let prior {
        if kept[prior].name == nil { kept[prior].name = constraint.name }
      } else {
        kept.append(constraint)
      }
    }
    return kept
  }

  private mutating func addCheck(_ pending: PendingConstraint, to key: ObjectName, isNewTable: Bool)
  {
    guard case .check(let expression) = pending.kind, let table = catalog[table: key] else {
      return
    }
    var name = pending.name
    if isPostgres {
      if let written = name, table.constraint(named: written) != nil {
        note(.conflict, "constraint \(written) of \(key) already exists", object: written)
        return
      }
      if name == nil {
        var referenced: [String] = []
        for column in expression.columnReferences {
          let columnName = normalize(column.name)
          if !referenced.contains(columnName) { referenced.append(columnName) }
        }
        let single = referenced.count == 1 ? referenced[0] : nil
        name = PostgresNaming.choose(key.name, single, label: "check") {
          catalog.constraintExists($0, in: key.schema)
        }
      }
    }
    catalog[table: key]?.constraints.append(
      Constraint(
        name: name,
        kind: .check,
        columns: pending.columns,
        isValidated: isNewTable || !pending.isNotValid,
        isDeferrable: pending.isDeferrable,
        check: expression,
        origin: origin
      )
    )
  }

  private mutating func addIndexBacked(
    _ pending: PendingConstraint,
    to key: ObjectName,
    isNewTable: Bool
  ) {
    guard let table = catalog[table: key] else { return }
    let kind: Constraint.Kind
    var method: String? = isPostgres ? "btree" : nil
    switch pending.kind {
    case .primaryKey: kind = .primaryKey
    case .exclusion(let written):
      kind = .exclusion
      method = written ?? "btree"
    default: kind = .unique
    }
    if kind == .primaryKey, table.primaryKey != nil {
      note(.conflict, "table \(key) already has a primary key", object: key.description)
      return
    }
    if let written = pending.name, isPostgres, table.constraint(named: written) != nil {
      note(.conflict, "constraint \(written) of \(key) already exists", object: written)
      return
    }
    if let indexName = pending.usingIndex {
      attachIndex(indexName, as: kind, pending: pending, to: key)
      return
    }
    var keys = pending.columns.map { Index.Key(column: $0) }
    if kind == .exclusion, let written = exclusionKeys(pending.range) { keys = written }
    checkColumnsExist(keys.compactMap(\.column), in: key)
    var name = pending.name
    var indexName: String?
    if isPostgres {
      if name == nil {
        let addition =
          kind == .primaryKey
          ? nil : PostgresNaming.nameAddition(PostgresNaming.indexColumnNames(keys))
        let label = kind == .primaryKey ? "pkey" : kind == .exclusion ? "excl" : "key"
        name = PostgresNaming.choose(key.name, addition, label: label) {
          catalog.relationExists($0, in: key.schema) || catalog.constraintExists($0, in: key.schema)
        }
      } else if let written = name, catalog.relationExists(written, in: key.schema) {
        note(.conflict, "relation \(key.schema).\(written) already exists", object: written)
      }
      indexName = name
    } else if !isRowIDAlias(kind: kind, columns: pending.columns, table: table) {
      let count = table.indexes.filter { $0.name.hasPrefix("sqlite_autoindex_") }.count
      indexName = "sqlite_autoindex_\(key.name)_\(count + 1)"
    }
    var columns = pending.columns
    if kind == .exclusion { columns = keys.compactMap(\.column) }
    if kind == .primaryKey, isPostgres || table.isWithoutRowID || indexName == nil {
      setNotNull(columns, in: key)
    }
    catalog[table: key]?.constraints.append(
      Constraint(
        name: name,
        kind: kind,
        columns: columns,
        isDeferrable: pending.isDeferrable,
        indexName: indexName,
        origin: origin
      )
    )
    if let indexName {
      catalog[table: key]?.indexes.append(
        Index(
          name: indexName,
          table: key,
          isUnique: kind != .exclusion,
          keys: keys,
          method: method,
          constraintName: name ?? indexName,
          origin: origin
        )
      )
    }
  }

  /// SQLite: a single-column `INTEGER PRIMARY KEY` of a rowid table is the rowid itself
  /// and has no index.
  private func isRowIDAlias(kind: Constraint.Kind, columns: [String], table: Table) -> Bool {
    guard kind == .primaryKey, !table.isWithoutRowID, columns.count == 1,
      let column = table.column(named: columns[0]), let type = column.type
    else { return false }
    return type.name.lowercased() == "integer" && type.modifiers.isEmpty
  }

  private mutating func setNotNull(_ columns: [String], in key: ObjectName) {
    for column in columns {
      if let position = catalog[table: key]?.columns.firstIndex(where: { $0.name == column }) {
        catalog[table: key]?.columns[position].isNotNull = true
      }
    }
  }

  /// `ADD CONSTRAINT [name] PRIMARY KEY|UNIQUE USING INDEX index`: the index becomes the
  /// constraint's (renamed to the constraint's name when one is written).
  private mutating func attachIndex(
    _ indexName: String,
    as kind: Constraint.Kind,
    pending: PendingConstraint,
    to key: ObjectName
  ) {
    guard let table = catalog[table: key] else { return }
    let name = pending.name ?? indexName
    var columns: [String] = []
    if let position = table.indexes.firstIndex(where: { $0.name == indexName }) {
      var index = table.indexes[position]
      if index.constraintName != nil {
        note(.conflict, "index \(indexName) already belongs to a constraint", object: indexName)
        return
      }
      index.name = name
      index.constraintName = name
      index.isUnique = true
      columns = index.keys.compactMap(\.column)
      catalog[table: key]?.indexes[position] = index
    } else {
      noteAssumed("index", "\(key.schema).\(indexName)")
      let placeholder = Index(
        name: name,
        table: key,
        isUnique: true,
        keys: [],
        method: "btree",
        constraintName: name,
        origin: assumedOrigin
      )
      catalog[table: key]?.indexes.append(placeholder)
    }
    if kind == .primaryKey { setNotNull(columns, in: key) }
    catalog[table: key]?.constraints.append(
      Constraint(
        name: name,
        kind: kind,
        columns: columns,
        isDeferrable: pending.isDeferrable,
        indexName: name,
        origin: origin
      )
    )
  }

  private mutating func addForeignKey(
    _ pending: PendingConstraint,
    to key: ObjectName,
    isNewTable: Bool
  ) {
    guard case .foreignKey(let reference) = pending.kind, let table = catalog[table: key] else {
      return
    }
    checkColumnsExist(pending.columns, in: key)
    let referencedKey: ObjectName
    var referencedColumns = reference.columns.map(normalize)
    if let found = catalog.resolve(reference.table, where: { catalog[table: $0] != nil }) {
      referencedKey = found
      if let referenced = catalog[table: found] {
        if referenced.origin.isAssumed { noteAssumed("table", found.description) }
        if referencedColumns.isEmpty, let primaryKey = referenced.primaryKey {
          referencedColumns = primaryKey.columns
        } else if !referencedColumns.isEmpty {
          checkColumnsExist(referencedColumns, in: found)
        }
      }
    } else {
      referencedKey = catalog.nameForCreating(reference.table)
      noteAssumed("table", referencedKey.description)
    }
    var name = pending.name
    if isPostgres {
      if let written = name, table.constraint(named: written) != nil {
        note(.conflict, "constraint \(written) of \(key) already exists", object: written)
        return
      }
      if name == nil {
        name = PostgresNaming.choose(
          key.name,
          PostgresNaming.nameAddition(pending.columns),
          label: "fkey"
        ) { catalog.constraintExists($0, in: key.schema) }
      }
    }
    catalog[table: key]?.constraints.append(
      Constraint(
        name: name,
        kind: .foreignKey,
        columns: pending.columns,
        reference: Constraint.Reference(
          table: referencedKey,
          columns: referencedColumns,
          onDelete: reference.onDelete,
          onUpdate: reference.onUpdate
        ),
        isValidated: isNewTable || !pending.isNotValid,
        isDeferrable: pending.isDeferrable,
        origin: origin
      )
    )
  }

  /// The elements of `EXCLUDE [USING m] (element WITH op, …)`, read from the source.
  ///
  /// The syntax tree does not keep them. Plain columns, function calls by name, other
  /// expressions as unknown; `nil` without a source.
  func exclusionKeys(_ range: SourceRange) -> [Index.Key]? {
    guard let source else { return nil }
    let words = SourceWords(source, range: range, dialect: dialect).words
    guard var index = words.firstIndex(where: { $0.kind == .leftParen }) else { return nil }
    index += 1
    var result: [Index.Key] = []
    var depth = 0
    var element: [SourceWords.Word] = []
    while index < words.count {
      let word = words[index]
      index += 1
      if word.kind == .leftParen { depth += 1 }
      if word.kind == .rightParen {
        if depth == 0 {
          result.append(exclusionKey(element, range: range))
          break
        }
        depth -= 1
      }
      if depth == 0, word.kind == .comma {
        result.append(exclusionKey(element, range: range))
        element = []
        continue
      }
      element.append(word)
    }
    return result
  }

  private func exclusionKey(_ element: [SourceWords.Word], range: SourceRange) -> Index.Key {
    let unknown = Index.Key(expression: .literal(.null, range))
    var start = 0
    while start < element.count, element[start].kind == .leftParen { start += 1 }
    let isParenthesized = start > 0
    let words = Array(element[start...])
    guard let first = words.first, first.kind == .word || first.kind == .quotedIdentifier else {
      return unknown
    }
    let name = catalog.normalize(first.value)
    if words.count > 1, words[1].kind == .leftParen {
      let call = FunctionCall(
        name: QualifiedName([Identifier(name)]),
        arguments: [],
        isKeywordForm: false,
        range: range
      )
      return Index.Key(expression: .function(call))
    }
    if words.count > 1, words[1].kind == .dot { return unknown }
    if isParenthesized {
      return Index.Key(expression: .column(QualifiedName([Identifier(name)])))
    }
    return Index.Key(column: name)
  }
}
