import ShiftCore

extension StatementParser {
  /// Parses the whole statement.
  mutating func parseStatement() throws(SyntaxError) -> StatementKind {
    guard let first = current else { throw error(expected: "a statement") }
    if first.kind == .invalid { throw error(expected: "a statement") }
    let kind: StatementKind
    switch first.kind == .word ? first.keyword : .none {
    case .create: kind = try parseCreate()
    case .alter: kind = try parseAlter()
    case .drop: kind = try parseDrop()
    case .reindex: kind = try parseReindex()
    case .cluster: kind = try parseCluster()
    case .vacuum: kind = try parseVacuum()
    case .analyze, .analyse: kind = try parseAnalyze()
    case .truncate: kind = try parseTruncate()
    case .comment: kind = try parseComment()
    case .grant, .revoke: kind = try parsePrivilege()
    case .set: kind = try parseSet()
    case .reset: kind = try parseReset()
    case .begin, .start, .commit, .end, .rollback, .abort, .savepoint, .release, .prepare:
      kind = try parseTransaction()
    case .lock: kind = try parseLock()
    case .insert, .update, .delete, .replace, .with: kind = try parseDataChange()
    case .select, .values, .table, .explain, .show:
      try skipRest()
      kind = .select
    case .do: kind = try parseDo()
    case .call:
      index += 1
      let name = try qualifiedName("a procedure name")
      try skipRest()
      kind = .call(name)
    case .copy: kind = try parseCopy()
    case .pragma: kind = try parsePragma()
    case .refresh: kind = try parseRefresh()
    default:
      if first.kind == .leftParen, dialect == .postgres {
        // A parenthesized query: (SELECT …) UNION (SELECT …).
        try skipRest()
        kind = .select
      } else {
        let starts = dialect == .postgres ? Self.postgresStatementWords : Self.sqliteStatementWords
        guard first.kind == .word, starts.contains(text(first).lowercased()) else {
          throw error(expected: "a statement such as CREATE, ALTER, DROP, INSERT or UPDATE")
        }
        kind = .other(keywords: try leadingKeywordsAndSkip())
      }
    }
    try expectEnd()
    return kind
  }

  /// The first words of an unmodelled statement; the rest is skipped.
  mutating func leadingKeywordsAndSkip() throws(SyntaxError) -> String {
    var words: [String] = []
    while let token = current, token.kind == .word, words.count < 3 {
      words.append(upper(token))
      index += 1
    }
    try skipRest()
    return words.joined(separator: " ")
  }

  // MARK: - CREATE

  private mutating func parseCreate() throws(SyntaxError) -> StatementKind {
    try expect(.create)
    var isOrReplace = false
    var isTemporary = false
    var isUnlogged = false
    var isUnique = false
    var isMaterialized = false
    var isConstraint = false
    var isRecursive = false
    modifiers: while let token = current, token.kind == .word {
      switch token.keyword {
      case .or:
        index += 1
        try expect(.replace)
        isOrReplace = true
      case .temp, .temporary:
        index += 1
        isTemporary = true
      case .local, .global:
        index += 1
      case .unlogged:
        index += 1
        isUnlogged = true
      case .unique:
        index += 1
        isUnique = true
      case .materialized:
        index += 1
        isMaterialized = true
      case .constraint:
        index += 1
        isConstraint = true
      case .recursive:
        index += 1
        isRecursive = true
      case .trusted, .default:
        index += 1
      default:
        if text(token).lowercased() == "procedural" {
          index += 1
        } else {
          break modifiers
        }
      }
    }
    guard let objectWord = current, objectWord.kind == .word else {
      throw error(expected: "an object type such as TABLE, INDEX or VIEW")
    }
    switch objectWord.keyword {
    case .table:
      return try parseCreateTable(isTemporary: isTemporary, isUnlogged: isUnlogged)
    case .index:
      return try parseCreateIndex(isUnique: isUnique)
    case .view:
      _ = isRecursive
      return try parseCreateView(
        isOrReplace: isOrReplace,
        isMaterialized: isMaterialized,
        isTemporary: isTemporary
      )
    case .function, .procedure:
      return try parseCreateFunction(isOrReplace: isOrReplace)
    case .trigger:
      return try parseCreateTrigger(isOrReplace: isOrReplace, isConstraint: isConstraint)
    case .type:
      return try parseCreateType()
    case .sequence:
      index += 1
      var flags: [String] = []
      if eatIfNotExists() { flags.append("IF NOT EXISTS") }
      let name = try qualifiedName("a sequence name")
      flags += try remainingWords()
      return .objectDefinition(
        ObjectStatement(objectType: .sequence, names: [name], flags: ["CREATE"] + flags)
      )
    case .schema:
      index += 1
      var flags = ["CREATE"]
      if eatIfNotExists() { flags.append("IF NOT EXISTS") }
      var names: [QualifiedName] = []
      if eat(.authorization) {
        flags.append("AUTHORIZATION")
        names.append(try qualifiedName("a role name"))
      } else {
        names.append(try qualifiedName("a schema name"))
        if eat(.authorization) { _ = try identifier("a role name") }
      }
      // CREATE SCHEMA may embed schema elements (CREATE TABLE …); they are not modelled.
      try skipRest()
      return .objectDefinition(ObjectStatement(objectType: .schema, names: names, flags: flags))
    case .extension:
      index += 1
      var flags = ["CREATE"]
      if eatIfNotExists() { flags.append("IF NOT EXISTS") }
      let name = try qualifiedName("an extension name")
      flags += try remainingWords()
      return .objectDefinition(ObjectStatement(objectType: .extension, names: [name], flags: flags))
    case .domain:
      index += 1
      let name = try qualifiedName("a domain name")
      eat(.as)
      _ = try typeName()
      try skipRest()
      return .objectDefinition(
        ObjectStatement(objectType: .domain, names: [name], flags: ["CREATE"])
      )
    case .policy:
      index += 1
      let name = try qualifiedName("a policy name")
      try expect(.on)
      let table = try qualifiedName("a table name")
      try skipRest()
      return .objectDefinition(
        ObjectStatement(objectType: .policy, names: [name], table: table, flags: ["CREATE"])
      )
    case .rule:
      index += 1
      let name = try qualifiedName("a rule name")
      try expect(.as)
      try expect(.on)
      let event = try word()
      try expect(.to)
      let table = try qualifiedName("a table name")
      try skipRest()
      return .objectDefinition(
        ObjectStatement(objectType: .rule, names: [name], table: table, flags: ["CREATE", event])
      )
    default:
      guard Self.otherCreatableObjects.contains(text(objectWord).lowercased()) else {
        throw error(expected: "an object type such as TABLE, INDEX or VIEW")
      }
      let words = try leadingKeywordsAndSkip()
      return .other(keywords: "CREATE " + words)
    }
  }

  // MARK: - ALTER

  private mutating func parseAlter() throws(SyntaxError) -> StatementKind {
    try expect(.alter)
    guard let objectWord = current, objectWord.kind == .word else {
      throw error(expected: "an object type such as TABLE, INDEX or TYPE")
    }
    switch objectWord.keyword {
    case .table where lookahead(1)?.keyword != .all:
      return .alterTable(try parseAlterTable())
    case .index:
      return try parseAlterIndex()
    case .type:
      return try parseAlterType()
    case .view, .materialized:
      index += 1
      if objectWord.keyword == .materialized { try expect(.view) }
      var flags: [String] = []
      if eatIfExists() { flags.append("IF EXISTS") }
      let name = try qualifiedName("a view name")
      flags += try remainingWords()
      return .alterView(
        ObjectStatement(
          objectType: objectWord.keyword == .view ? .view : .materializedView,
          names: [name],
          flags: flags
        )
      )
    case .sequence, .schema, .function, .procedure, .routine, .domain, .extension, .trigger,
      .policy, .database, .role, .user, .default, .system, .publication, .subscription,
      .tablespace, .aggregate, .collation, .statistics, .rule:
      index += 1
      let objectType = Self.objectType(for: objectWord.keyword)
      var flags: [String] = ["ALTER"]
      if objectWord.keyword == .default || objectWord.keyword == .system {
        flags += try remainingWords()
        return .objectDefinition(ObjectStatement(objectType: objectType, names: [], flags: flags))
      }
      if eatIfExists() { flags.append("IF EXISTS") }
      let name = try qualifiedName("a name")
      var table: QualifiedName?
      if objectWord.keyword == .trigger || objectWord.keyword == .policy
        || objectWord.keyword == .rule, eat(.on)
      {
        table = try qualifiedName("a table name")
      }
      flags += try remainingWords()
      return .objectDefinition(
        ObjectStatement(objectType: objectType, names: [name], table: table, flags: flags)
      )
    default:
      guard Self.otherAlterableObjects.contains(text(objectWord).lowercased()) else {
        throw error(expected: "an object type such as TABLE, INDEX or TYPE")
      }
      let words = try leadingKeywordsAndSkip()
      return .other(keywords: "ALTER " + words)
    }
  }

  static func objectType(for keyword: Keyword) -> ObjectType {
    switch keyword {
    case .table: .table
    case .index: .index
    case .view: .view
    case .sequence: .sequence
    case .type: .type
    case .domain: .domain
    case .function: .function
    case .procedure: .procedure
    case .routine: .routine
    case .aggregate: .aggregate
    case .trigger: .trigger
    case .schema: .schema
    case .extension: .extension
    case .policy: .policy
    case .rule: .rule
    case .database: .database
    case .role, .user: .role
    case .tablespace: .tablespace
    case .publication: .publication
    case .subscription: .subscription
    case .collation: .collation
    case .statistics: .statistics
    case .column: .column
    case .constraint: .constraint
    default: .other(keyword.rawValue.uppercased())
    }
  }

  // MARK: - DROP

  private mutating func parseDrop() throws(SyntaxError) -> StatementKind {
    try expect(.drop)
    guard let objectWord = current, objectWord.kind == .word else {
      throw error(expected: "an object type such as TABLE, INDEX or VIEW")
    }
    index += 1
    var objectType = Self.objectType(for: objectWord.keyword)
    if objectWord.keyword == .materialized {
      try expect(.view)
      objectType = .materializedView
    } else if objectWord.keyword == .foreign {
      try expect(.table)
      objectType = .other("FOREIGN TABLE")
    } else if objectWord.keyword == .owned {
      try expect(.by)
      _ = try remainingWords()
      return .drop(DropObject(objectType: .other("OWNED"), names: []))
    } else if case .other = objectType {
      guard Self.otherDroppableObjects.contains(text(objectWord).lowercased()) else {
        index -= 1
        throw error(expected: "an object type such as TABLE, INDEX or VIEW")
      }
      let words = try leadingKeywordsAndSkip()
      return .other(keywords: "DROP " + upper(objectWord) + (words.isEmpty ? "" : " " + words))
    }
    var drop = DropObject(objectType: objectType, names: [])
    if eat(.concurrently) { drop.isConcurrent = true }
    if eatIfExists() { drop.ifExists = true }
    switch objectType {
    case .function, .procedure, .routine, .aggregate:
      repeat {
        drop.names.append(try qualifiedName("a function name"))
        if at(kind: .leftParen) { try skipParenthesized() }
      } while eat(kind: .comma)
    case .trigger where dialect == .sqlite:
      drop.names.append(try qualifiedName("a trigger name"))
    case .trigger, .policy, .rule:
      drop.names.append(try qualifiedName("a name"))
      try expect(.on)
      drop.table = try qualifiedName("a table name")
    default:
      drop.names = try qualifiedNameList("a name")
    }
    if eat(.cascade) {
      drop.isCascade = true
    } else {
      eat(.restrict)
    }
    // DROP DATABASE … WITH (FORCE)
    if eat(.with) { try skipParenthesized() }
    return .drop(drop)
  }

  /// Words that start a PostgreSQL statement (the grammar's top-level commands).
  static let postgresStatementWords: Set<String> = [
    "abort", "alter", "analyze", "analyse", "begin", "call", "checkpoint", "close", "cluster",
    "comment", "commit", "copy", "create", "deallocate", "declare", "delete", "discard", "do",
    "drop", "end", "execute", "explain", "fetch", "grant", "import", "insert", "listen", "load",
    "lock", "merge", "move", "notify", "prepare", "reassign", "refresh", "reindex", "release",
    "reset", "revoke", "rollback", "savepoint", "security", "select", "set", "show", "start",
    "table", "truncate", "unlisten", "update", "vacuum", "values", "with",
  ]

  /// Words that start a SQLite statement.
  static let sqliteStatementWords: Set<String> = [
    "alter", "analyze", "attach", "begin", "commit", "create", "delete", "detach", "drop", "end",
    "explain", "insert", "pragma", "reindex", "release", "replace", "rollback", "savepoint",
    "select", "update", "vacuum", "values", "with",
  ]

  /// Objects CREATE accepts that the parser does not model.
  static let otherCreatableObjects: Set<String> = [
    "access", "aggregate", "cast", "collation", "conversion", "database", "event", "foreign",
    "group", "language", "operator", "publication", "role", "server", "statistics",
    "subscription", "tablespace", "text", "transform", "user", "virtual",
  ]

  /// Objects ALTER accepts that the parser does not model.
  static let otherAlterableObjects: Set<String> = [
    "table", "index", "materialized", "view",  // … ALL IN TABLESPACE
    "conversion", "event", "foreign", "group", "language", "large", "operator", "server",
    "text", "user",
  ]

  /// Objects DROP accepts that the parser does not model.
  static let otherDroppableObjects: Set<String> = [
    "access", "cast", "conversion", "event", "foreign", "group", "language", "operator",
    "owned", "publication", "role", "server", "statistics", "subscription", "tablespace",
    "text", "transform", "user", "database", "collation", "aggregate",
  ]
}
