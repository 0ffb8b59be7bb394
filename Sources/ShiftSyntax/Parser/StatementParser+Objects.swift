import ShiftCore

extension StatementParser {
  // MARK: - Indexes

  mutating func parseCreateIndex(isUnique: Bool) throws(SyntaxError) -> StatementKind {
    try expect(.index)
    let isConcurrent = eat(.concurrently)
    let ifNotExists = eatIfNotExists()
    var name: QualifiedName?
    if !at(.on) { name = try qualifiedName("an index name") }
    try expect(.on)
    let isOnly = eat(.only)
    var index = CreateIndex(table: try qualifiedName("a table name"))
    index.name = name
    index.isUnique = isUnique
    index.isConcurrent = isConcurrent
    index.ifNotExists = ifNotExists
    index.isOnly = isOnly
    if eat(.using) { index.method = try identifier("an index method").value }
    try expect(kind: .leftParen, "'(' and the indexed columns")
    repeat {
      index.elements.append(try indexElement())
    } while eat(kind: .comma)
    try expect(kind: .rightParen, "',' or ')'")
    while !isAtEnd {
      if eat(.include) {
        index.include = try parenthesizedIdentifiers()
      } else if eat(.nulls) {
        eat(.not)
        try expect(.distinct)
      } else if at(.with), lookahead(1)?.kind == .leftParen {
        self.index += 1
        try skipParenthesized()
      } else if eat(.tablespace) {
        _ = try identifier("a tablespace name")
      } else if eat(.where) {
        index.predicate = try expression()
      } else {
        throw error(expected: "INCLUDE, WITH, TABLESPACE, WHERE or end of statement")
      }
    }
    return .createIndex(index)
  }

  private mutating func indexElement() throws(SyntaxError) -> IndexElement {
    let start = currentStart
    let expression = try self.expression(.columnDefault)
    var options: [String] = []
    while let token = current, token.kind != .comma, token.kind != .rightParen {
      if token.kind == .leftParen {
        try skipParenthesized()  // operator class parameters
        continue
      }
      if token.kind == .word {
        if token.keyword == .collate {
          index += 1
          options.append("COLLATE " + (try qualifiedName("a collation name").description))
          continue
        }
        options.append(upper(token))
      } else if token.kind == .quotedIdentifier || token.kind == .dot {
        options.append(text(token))
      } else {
        throw error(expected: "',' or ')'")
      }
      index += 1
    }
    return IndexElement(
      expression: expression,
      options: options,
      range: SourceRange(start: start, end: lastEnd)
    )
  }

  mutating func parseAlterIndex() throws(SyntaxError) -> StatementKind {
    try expect(.index)
    if eat(.all) {
      let words = try remainingWords()
      return .other(keywords: (["ALTER", "INDEX", "ALL"] + words.prefix(1)).joined(separator: " "))
    }
    let ifExists = eatIfExists()
    let name = try qualifiedName("an index name")
    let action: AlterIndex.Action
    if eat(.rename) {
      try expect(.to)
      action = .rename(to: try identifier("a new index name"))
    } else if eat(.set), eat(.tablespace) {
      action = .setTablespace(try identifier("a tablespace name"))
    } else if eat(.attach) {
      try expect(.partition)
      action = .attachPartition(try qualifiedName("an index name"))
    } else {
      let words = try remainingWords()
      action =
        words.isEmpty && at(kind: .leftParen) ? .setOptions : .other(words.joined(separator: " "))
    }
    try skipRest()
    return .alterIndex(AlterIndex(name: name, ifExists: ifExists, action: action))
  }

  mutating func parseReindex() throws(SyntaxError) -> StatementKind {
    try expect(.reindex)
    if dialect == .sqlite {
      // SQLite: REINDEX [collation | [schema.]table-or-index]
      let name = isAtEnd ? nil : try qualifiedName("a table, index or collation name")
      return .reindex(Reindex(target: .other("TABLE OR INDEX"), name: name, isConcurrent: false))
    }
    if at(kind: .leftParen) { try skipParenthesized() }
    let targetWord = try word()
    let target: ObjectType
    switch targetWord {
    case "INDEX": target = .index
    case "TABLE": target = .table
    case "SCHEMA": target = .schema
    case "DATABASE": target = .database
    case "SYSTEM": target = .other("SYSTEM")
    default:
      index -= 1
      throw error(expected: "INDEX, TABLE, SCHEMA, DATABASE or SYSTEM")
    }
    let isConcurrent = eat(.concurrently)
    var name: QualifiedName?
    if !isAtEnd { name = try qualifiedName("a name") }
    return .reindex(Reindex(target: target, name: name, isConcurrent: isConcurrent))
  }

  mutating func parseCluster() throws(SyntaxError) -> StatementKind {
    try expect(.cluster)
    if at(kind: .leftParen) { try skipParenthesized() }
    eat(.verbose)
    var statement = ObjectStatement(objectType: .table, names: [])
    if isAtEnd { return .cluster(statement) }
    let first = try qualifiedName("a table or index name")
    if eat(.on) {
      // Pre-8.3 form: CLUSTER index ON table.
      statement.table = try qualifiedName("a table name")
      statement.names = [statement.table ?? first]
      statement.flags = ["INDEX " + first.description]
    } else {
      statement.names = [first]
      if eat(.using) {
        statement.flags = ["INDEX " + (try qualifiedName("an index name").description)]
      }
    }
    return .cluster(statement)
  }

  mutating func parseVacuum() throws(SyntaxError) -> StatementKind {
    try expect(.vacuum)
    var options: [String] = []
    var isFull = false
    if at(kind: .leftParen) {
      index += 1
      repeat {
        let option = try word()
        options.append(option)
        if option == "FULL" {
          if let value = current, value.kind == .word,
            value.keyword == .false || upper(value) == "OFF"
          {
            isFull = false
          } else {
            isFull = true
          }
        }
        while let value = current, value.kind != .comma, value.kind != .rightParen { index += 1 }
      } while eat(kind: .comma)
      try expect(kind: .rightParen, "')'")
    } else {
      while let token = current, token.kind == .word,
        [.full, .freeze, .verbose, .analyze, .analyse].contains(token.keyword)
      {
        options.append(upper(token))
        if token.keyword == .full { isFull = true }
        index += 1
      }
    }
    if dialect == .sqlite {
      // SQLite: VACUUM [schema] [INTO filename]; the schema is not a table.
      if !at(.into), !isAtEnd { _ = try identifier("a schema name") }
      if eat(.into) { _ = try expression() }
      return .vacuum(Vacuum(isFull: false, isAnalyzeOnly: false, options: options, tables: []))
    }
    let tables = try vacuumTables()
    return .vacuum(Vacuum(isFull: isFull, isAnalyzeOnly: false, options: options, tables: tables))
  }

  mutating func parseAnalyze() throws(SyntaxError) -> StatementKind {
    index += 1
    var options: [String] = []
    if at(kind: .leftParen) {
      try skipParenthesized()
    } else if eat(.verbose) {
      options.append("VERBOSE")
    }
    return .vacuum(
      Vacuum(isFull: false, isAnalyzeOnly: true, options: options, tables: try vacuumTables())
    )
  }

  private mutating func vacuumTables() throws(SyntaxError) -> [QualifiedName] {
    var tables: [QualifiedName] = []
    guard !isAtEnd else { return tables }
    repeat {
      tables.append(try qualifiedName("a table name"))
      if at(kind: .leftParen) { try skipParenthesized() }
    } while eat(kind: .comma)
    return tables
  }

  mutating func parseTruncate() throws(SyntaxError) -> StatementKind {
    try expect(.truncate)
    eat(.table)
    var flags: [String] = []
    var names: [QualifiedName] = []
    repeat {
      if eat(.only) { flags.append("ONLY") }
      names.append(try qualifiedName("a table name"))
      if at(kind: .op), let token = current, tokenEquals(token, "*") { index += 1 }
    } while eat(kind: .comma)
    flags += try remainingWords()
    return .truncate(ObjectStatement(objectType: .table, names: names, flags: flags))
  }

  // MARK: - Types

  mutating func parseCreateType() throws(SyntaxError) -> StatementKind {
    try expect(.type)
    let name = try qualifiedName("a type name")
    if isAtEnd { return .createType(CreateType(name: name, form: .shell)) }
    if at(kind: .leftParen) {
      try skipParenthesized()
      return .createType(CreateType(name: name, form: .base))
    }
    try expect(.as)
    if eat(.enum) {
      try expect(kind: .leftParen, "'('")
      var values: [String] = []
      if !at(kind: .rightParen) {
        repeat { values.append(try stringLiteral("an enum label")) } while eat(kind: .comma)
      }
      try expect(kind: .rightParen, "',' or ')'")
      return .createType(CreateType(name: name, form: .enumeration(values)))
    }
    if eat(.range) {
      try skipParenthesized()
      return .createType(CreateType(name: name, form: .range))
    }
    try expect(kind: .leftParen, "ENUM, RANGE or '('")
    var attributes: [ColumnDefinition] = []
    if !at(kind: .rightParen) {
      repeat { attributes.append(try columnDefinition()) } while eat(kind: .comma)
    }
    try expect(kind: .rightParen, "',' or ')'")
    return .createType(CreateType(name: name, form: .composite(attributes)))
  }

  mutating func parseAlterType() throws(SyntaxError) -> StatementKind {
    try expect(.type)
    let name = try qualifiedName("a type name")
    let action: AlterType.Action
    if at(.add, .value) {
      index += 2
      let ifNotExists = eatIfNotExists()
      let value = try stringLiteral("an enum label")
      var position: String?
      var neighbor: String?
      if eat(.before) {
        position = "BEFORE"
        neighbor = try stringLiteral("an enum label")
      } else if eat(.after) {
        position = "AFTER"
        neighbor = try stringLiteral("an enum label")
      }
      action = .addValue(value, ifNotExists: ifNotExists, position: position, neighbor: neighbor)
    } else if at(.rename, .value) {
      index += 2
      let old = try stringLiteral("an enum label")
      try expect(.to)
      action = .renameValue(old, to: try stringLiteral("an enum label"))
    } else if at(.rename, .to) {
      index += 2
      action = .rename(to: try identifier("a new type name"))
    } else if at(.set, .schema) {
      index += 2
      action = .setSchema(try identifier("a schema name"))
    } else if at(.owner, .to) {
      index += 2
      action = .ownerTo(try identifier("a role name").value)
    } else {
      let words = try remainingWords()
      action = .other(words.prefix(3).joined(separator: " "))
    }
    return .alterType(AlterType(name: name, action: action))
  }

  // MARK: - Views

  mutating func parseCreateView(isOrReplace: Bool, isMaterialized: Bool, isTemporary: Bool)
    throws(SyntaxError) -> StatementKind
  {
    try expect(.view)
    let ifNotExists = eatIfNotExists()
    var view = CreateView(name: try qualifiedName("a view name"))
    view.isOrReplace = isOrReplace
    view.isMaterialized = isMaterialized
    view.isTemporary = isTemporary
    view.ifNotExists = ifNotExists
    if at(kind: .leftParen) { view.columns = try parenthesizedIdentifiers() }
    while !at(.as) {
      if eat(.using) {
        _ = try identifier("an access method")
      } else if eat(.with) {
        try skipParenthesized()
      } else if eat(.tablespace) {
        _ = try identifier("a tablespace name")
      } else {
        throw error(expected: "AS and the view's query")
      }
    }
    try expect(.as)
    let queryStart = currentStart
    // The query runs to the end, except a trailing WITH [NO] DATA / WITH … CHECK OPTION.
    var queryEnd = tokens.count
    if let last = tokens.last, last.keyword == .data, tokens.count >= 3 {
      let withIndex = tokens[tokens.count - 2].keyword == .no ? tokens.count - 3 : tokens.count - 2
      if tokens[withIndex].keyword == .with {
        view.withData = tokens[tokens.count - 2].keyword != .no
        queryEnd = withIndex
      }
    } else if let last = tokens.last, last.keyword == .option, tokens.count >= 4 {
      var withIndex = tokens.count - 3
      if tokens[withIndex].keyword != .with { withIndex -= 1 }
      if withIndex > index, tokens[withIndex].keyword == .with { queryEnd = withIndex }
    }
    var query = StatementParser(
      source: source,
      bytes: bytes,
      dialect: dialect,
      tokens: Array(tokens[index..<max(index, queryEnd)])
    )
    guard !query.isAtEnd else { throw error(expected: "the view's query") }
    view.referencedRelations = try query.skipQueryCollectingRelations()
    view.query = SourceRange(
      start: queryStart,
      end: queryEnd > index ? tokens[queryEnd - 1].end : queryStart
    )
    index = tokens.count
    return .createView(view)
  }

  mutating func parseRefresh() throws(SyntaxError) -> StatementKind {
    try expect(.refresh)
    try expect(.materialized)
    try expect(.view)
    var flags: [String] = []
    if eat(.concurrently) { flags.append("CONCURRENTLY") }
    let name = try qualifiedName("a materialized view name")
    if eat(.with) {
      if eat(.no) { flags.append("WITH NO DATA") } else { flags.append("WITH DATA") }
      try expect(.data)
    }
    return .refreshMaterializedView(
      ObjectStatement(objectType: .materializedView, names: [name], flags: flags)
    )
  }
}
