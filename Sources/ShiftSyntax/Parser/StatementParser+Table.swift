import ShiftCore

extension StatementParser {
  // MARK: - CREATE TABLE

  mutating func parseCreateTable(isTemporary: Bool, isUnlogged: Bool) throws(SyntaxError)
    -> StatementKind
  {
    try expect(.table)
    let ifNotExists = eatIfNotExists()
    var table = CreateTable(name: try qualifiedName("a table name"))
    table.ifNotExists = ifNotExists
    table.isTemporary = isTemporary
    table.isUnlogged = isUnlogged
    if eat(.partition) {
      try expect(.of)
      table.partitionOf = try qualifiedName("a parent table name")
    } else if eat(.of) {
      _ = try qualifiedName("a type name")
    }
    if at(kind: .leftParen) {
      // `CREATE TABLE t (a, b) AS SELECT …` names columns only.
      if try !parseTableElements(into: &table) {
        table.isAsQuery = true
        try skipRest()
        return .createTable(table)
      }
    }
    while let token = current {
      switch token.keyword {
      case .as:
        table.isAsQuery = true
        try skipRest()
      case .inherits:
        index += 1
        try expect(kind: .leftParen, "'('")
        table.inherits = try qualifiedNameList("a parent table name")
        try expect(kind: .rightParen, "')'")
      case .partition:
        index += 1
        try expect(.by)
        table.partitionStrategy = try word()
        try skipParenthesized()
      case .for:
        // FOR VALUES … | DEFAULT of a partition.
        index += 1
        try skipPartitionBound()
      case .default:
        index += 1
      case .using, .tablespace:
        index += 1
        _ = try identifier("a name")
      case .with:
        index += 1
        if at(kind: .leftParen) { try skipParenthesized() } else { try expectOneOf(.oids) }
      case .without:
        index += 1
        if dialect == .sqlite {
          try expect(.rowid)
          table.isWithoutRowID = true
        } else {
          try expect(.oids)
        }
      case .strict where dialect == .sqlite:
        index += 1
        table.isStrict = true
      case .on where lookahead(1)?.keyword == .commit:
        index += 2
        _ = try word()
        if at(.rows) { index += 1 }
      default:
        if token.kind == .comma, dialect == .sqlite {
          index += 1
          continue
        }
        throw error(expected: "end of CREATE TABLE")
      }
    }
    return .createTable(table)
  }

  private mutating func expectOneOf(_ keyword: Keyword) throws(SyntaxError) { try expect(keyword) }

  private mutating func skipPartitionBound() throws(SyntaxError) {
    try expect(.values)
    while let token = current, token.kind == .word || token.kind == .leftParen {
      if token.kind == .leftParen {
        try skipParenthesized()
      } else {
        guard [.in, .from, .to, .with].contains(token.keyword) else { return }
        index += 1
      }
    }
  }

  /// Parses `( element, … )`; returns false when it was a bare column-name list
  /// (`CREATE TABLE t (a, b) AS …`), which it consumed.
  private mutating func parseTableElements(into table: inout CreateTable) throws(SyntaxError)
    -> Bool
  {
    try expect(kind: .leftParen, "'('")
    if eat(kind: .rightParen) { return true }
    // Column-name list before AS: names separated by commas with no types.
    if let first = current, first.kind == .word || first.kind == .quotedIdentifier,
      let next = lookahead(1), next.kind == .comma || next.kind == .rightParen,
      table.partitionOf == nil, dialect == .postgres
    {
      var probe = self
      var names: [Identifier] = []
      repeat { names.append(try probe.identifier()) } while probe.eat(kind: .comma)
      if probe.eat(kind: .rightParen), probe.at(.as) {
        self = probe
        return false
      }
    }
    repeat {
      if atTableConstraintStart {
        table.constraints.append(try tableConstraint())
      } else if at(.like) {
        index += 1
        table.likeTables.append(try qualifiedName("a table name"))
        while let option = current, option.kind == .word,
          option.keyword == .including || option.keyword == .excluding
        {
          index += 2
        }
      } else {
        table.columns.append(try columnDefinition(requireType: table.partitionOf == nil))
      }
    } while eat(kind: .comma)
    try expect(kind: .rightParen, "',' or ')'")
    return true
  }

  var atTableConstraintStart: Bool {
    guard let token = current, token.kind == .word else { return false }
    switch token.keyword {
    case .constraint, .check, .foreign: return true
    case .unique, .primary:
      guard let next = lookahead(1) else { return false }
      return next.kind == .leftParen || next.keyword == .key || next.keyword == .using
        || next.keyword == .nulls
    case .exclude:
      guard let next = lookahead(1) else { return false }
      return next.kind == .leftParen || next.keyword == .using
    default: return false
    }
  }

  // MARK: - Columns and constraints

  mutating func columnDefinition(requireType: Bool = true) throws(SyntaxError) -> ColumnDefinition {
    let start = currentStart
    let name = try identifier("a column name")
    var type: TypeName?
    if let token = current, token.kind == .word || token.kind == .quotedIdentifier {
      let startsConstraint =
        dialect == .sqlite
        ? Self.sqliteConstraintStarts.contains(token.keyword)
        : (!requireType
          && (Self.postgresConstraintStarts.contains(token.keyword) || token.keyword == .with))
      if !startsConstraint { type = try typeName() }
    }
    if type == nil, requireType, dialect == .postgres {
      throw error(expected: "a data type for column \(name.value)")
    }
    if !requireType, eat(.with) { try expect(.options) }
    var constraints: [ColumnConstraint] = []
    while let constraint = try columnConstraint() { constraints.append(constraint) }
    return ColumnDefinition(
      name: name,
      type: type,
      constraints: constraints,
      range: SourceRange(start: start, end: lastEnd)
    )
  }

  static let postgresConstraintStarts: Set<Keyword> = [
    .constraint, .primary, .not, .null, .unique, .check, .default, .collate, .references,
    .generated,
  ]

  /// One column constraint, or `nil` at `,`, `)` or the end of the statement.
  private mutating func columnConstraint() throws(SyntaxError) -> ColumnConstraint? {
    guard let token = current, token.kind == .word else {
      if let token = current, token.kind != .comma, token.kind != .rightParen {
        throw error(expected: "a column constraint, ',' or ')'")
      }
      return nil
    }
    let start = token.start
    var name: Identifier?
    if eat(.constraint) { name = try identifier("a constraint name") }
    guard let head = current, head.kind == .word else {
      throw error(expected: "a column constraint")
    }
    let kind: ColumnConstraint.Kind
    switch head.keyword {
    case .not:
      index += 1
      if eat(.deferrable) { return try columnConstraint() }
      try expect(.null)
      kind = .notNull
    case .null:
      index += 1
      kind = .null
    case .default:
      index += 1
      kind = .defaultValue(try expression(.columnDefault))
    case .check:
      index += 1
      try expect(kind: .leftParen, "'('")
      let condition = try expression()
      try expect(kind: .rightParen, "')'")
      kind = .check(condition)
      if at(.no), lookahead(1)?.keyword == .inherit { index += 2 }
    case .unique:
      index += 1
      if eat(.nulls) {
        eat(.not)
        try expect(.distinct)
      }
      try skipIndexParameters()
      kind = .unique
    case .primary:
      index += 1
      try expect(.key)
      if dialect == .sqlite {
        if !eat(.asc) { eat(.desc) }
      }
      try skipIndexParameters()
      kind = .primaryKey
    case .references:
      index += 1
      kind = .references(try foreignKeyReference())
    case .generated:
      index += 1
      if eat(.by) {
        try expect(.default)
        try expect(.as)
        try expect(.identity)
        if at(kind: .leftParen) { try skipParenthesized() }
        kind = .identity(isAlways: false)
      } else {
        try expect(.always)
        try expect(.as)
        if eat(.identity) {
          if at(kind: .leftParen) { try skipParenthesized() }
          kind = .identity(isAlways: true)
        } else {
          kind = try generatedExpression()
        }
      }
    case .as where dialect == .sqlite:
      index += 1
      kind = try generatedExpression()
    case .collate:
      index += 1
      kind = .collate(try qualifiedName("a collation name").description)
    case .autoincrement where dialect == .sqlite:
      index += 1
      kind = .autoincrement
    case .deferrable:
      index += 1
      return try columnConstraint()
    case .initially:
      index += 2
      return try columnConstraint()
    case .compression, .storage:
      index += 2
      return try columnConstraint()
    default:
      throw error(expected: "a column constraint, ',' or ')'")
    }
    // SQLite conflict clause: ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE.
    if dialect == .sqlite, at(.on, .conflict) { index += 3 }
    return ColumnConstraint(name: name, kind: kind, range: SourceRange(start: start, end: lastEnd))
  }

  private mutating func generatedExpression() throws(SyntaxError) -> ColumnConstraint.Kind {
    try expect(kind: .leftParen, "'('")
    let generation = try expression()
    try expect(kind: .rightParen, "')'")
    var isStored = dialect == .postgres
    if eat(.stored) {
      isStored = true
    } else if eat(.virtual) {
      isStored = false
    }
    return .generated(generation, isStored: isStored)
  }

  /// Index parameters after UNIQUE/PRIMARY KEY: INCLUDE (…), WITH (…), USING INDEX TABLESPACE x.
  private mutating func skipIndexParameters() throws(SyntaxError) {
    while true {
      if eat(.include) {
        try skipParenthesized()
      } else if at(.with), lookahead(1)?.kind == .leftParen {
        index += 1
        try skipParenthesized()
      } else if at(.using), lookahead(1)?.keyword == .index {
        index += 2
        try expect(.tablespace)
        _ = try identifier("a tablespace name")
      } else {
        return
      }
    }
  }

  mutating func foreignKeyReference() throws(SyntaxError) -> ForeignKeyReference {
    let table = try qualifiedName("a referenced table name")
    var columns: [Identifier] = []
    if at(kind: .leftParen) { columns = try parenthesizedIdentifiers() }
    var reference = ForeignKeyReference(table: table, columns: columns)
    while true {
      if eat(.match) {
        _ = try word()
      } else if at(.on), let next = lookahead(1), next.keyword == .delete || next.keyword == .update
      {
        index += 2
        var action = try word()
        if action == "SET" || action == "NO" {
          action += " " + (try word())
          if at(kind: .leftParen) { try skipParenthesized() }
        }
        if next.keyword == .delete {
          reference.onDelete = action
        } else {
          reference.onUpdate = action
        }
      } else {
        // [NOT] DEFERRABLE and INITIALLY belong to the constraint, which records them.
        return reference
      }
    }
  }

  mutating func tableConstraint() throws(SyntaxError) -> TableConstraint {
    let start = currentStart
    var name: Identifier?
    if eat(.constraint) { name = try identifier("a constraint name") }
    guard let head = current, head.kind == .word else {
      throw error(expected: "CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or EXCLUDE")
    }
    let kind: TableConstraint.Kind
    switch head.keyword {
    case .check:
      index += 1
      try expect(kind: .leftParen, "'('")
      let condition = try expression()
      try expect(kind: .rightParen, "')'")
      kind = .check(condition)
    case .unique, .primary:
      index += 1
      if head.keyword == .primary { try expect(.key) }
      if eat(.nulls) {
        eat(.not)
        try expect(.distinct)
      }
      var columns: [Identifier] = []
      var usingIndex: Identifier?
      if at(.using), lookahead(1)?.keyword == .index, lookahead(2)?.keyword != .tablespace {
        index += 2
        usingIndex = try identifier("an index name")
      } else {
        columns = try parenthesizedIdentifiers()
        try skipIndexParameters()
      }
      kind =
        head.keyword == .unique
        ? .unique(columns: columns, usingIndex: usingIndex)
        : .primaryKey(columns: columns, usingIndex: usingIndex)
    case .foreign:
      index += 1
      try expect(.key)
      let columns = try parenthesizedIdentifiers()
      try expect(.references)
      kind = .foreignKey(columns: columns, reference: try foreignKeyReference())
    case .exclude:
      index += 1
      var method: String?
      if eat(.using) { method = try identifier("an index method").value }
      try skipParenthesized()
      try skipIndexParameters()
      if eat(.where) { try skipParenthesized() }
      kind = .exclude(method: method)
    default:
      throw error(expected: "CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or EXCLUDE")
    }
    var isNotValid = false
    var isDeferrable = false
    while true {
      if at(.not), lookahead(1)?.keyword == .valid {
        index += 2
        isNotValid = true
      } else if at(.not), lookahead(1)?.keyword == .deferrable {
        index += 2
      } else if eat(.deferrable) {
        isDeferrable = true
      } else if eat(.initially) {
        _ = try word()
      } else if at(.no), lookahead(1)?.keyword == .inherit {
        index += 2
      } else if dialect == .sqlite, at(.on, .conflict) {
        index += 3
      } else {
        break
      }
    }
    return TableConstraint(
      name: name,
      kind: kind,
      isNotValid: isNotValid,
      isDeferrable: isDeferrable,
      range: SourceRange(start: start, end: lastEnd)
    )
  }
}
