import ShiftCore

extension StatementParser {
  // MARK: - COMMENT, GRANT, REVOKE

  mutating func parseComment() throws(SyntaxError) -> StatementKind {
    try expect(.comment)
    try expect(.on)
    var objectWords: [String] = []
    while let token = current, token.kind == .word, objectWords.count < 3,
      lookahead(1)?.kind == .word || lookahead(1)?.kind == .quotedIdentifier
    {
      objectWords.append(upper(token))
      index += 1
      if [
        "TABLE", "COLUMN", "INDEX", "VIEW", "TYPE", "FUNCTION", "SCHEMA", "CONSTRAINT",
        "TRIGGER", "SEQUENCE", "DOMAIN", "EXTENSION", "POLICY", "PROCEDURE", "DATABASE", "ROLE",
      ]
      .contains(objectWords.last ?? "") {
        break
      }
    }
    let objectKeyword = Keyword(rawValue: (objectWords.last ?? "").lowercased()) ?? .none
    var objectType = Self.objectType(for: objectKeyword)
    if objectWords.first == "MATERIALIZED" { objectType = .materializedView }
    let name = try qualifiedName("an object name")
    var table: QualifiedName?
    if at(kind: .leftParen) { try skipParenthesized() }
    if eat(.on) {
      eat(.domain)
      table = try qualifiedName("a table name")
    }
    try expect(.is)
    if !eat(.null) { _ = try stringLiteral("a comment string or NULL") }
    return .comment(ObjectStatement(objectType: objectType, names: [name], table: table))
  }

  mutating func parsePrivilege() throws(SyntaxError) -> StatementKind {
    let verb = try word()
    var names: [QualifiedName] = []
    var objectType = ObjectType.table
    // Privileges run up to ON (object privileges) or TO/FROM (role membership).
    while let token = current, token.keyword != .on, token.keyword != .to, token.keyword != .from {
      if token.kind == .leftParen { try skipParenthesized() } else { index += 1 }
    }
    if eat(.on) {
      if let token = current, token.kind == .word, let next = lookahead(1),
        next.kind == .word || next.kind == .quotedIdentifier,
        token.keyword != .none || next.keyword == .in
      {
        if token.keyword == .all {
          index += 1
          objectType = .other(try word() + " IN SCHEMA")
          try expect(.in)
          try expect(.schema)
        } else {
          index += 1
          objectType = Self.objectType(for: token.keyword)
        }
      }
      while let token = current, token.keyword != .to, token.keyword != .from {
        if token.kind == .word || token.kind == .quotedIdentifier {
          names.append(try qualifiedName())
          if at(kind: .leftParen) { try skipParenthesized() }
        } else {
          index += 1
        }
      }
    } else {
      objectType = .role
    }
    var flags = [verb]
    flags += try remainingWords()
    return .privilege(ObjectStatement(objectType: objectType, names: names, flags: flags))
  }

  // MARK: - SET / RESET

  mutating func parseSet() throws(SyntaxError) -> StatementKind {
    try expect(.set)
    var isLocal = false
    // LOCAL and SESSION are also valid parameter names (`SET local = …` parses).
    let nameFollows = lookahead(1).map { $0.kind == .word || $0.kind == .quotedIdentifier } ?? false
    if at(.local), nameFollows {
      index += 1
      isLocal = true
    } else if at(.session), nameFollows, lookahead(1)?.keyword != .authorization {
      index += 1
    }
    if at(.role) || (at(.session) && lookahead(1)?.keyword == .authorization) {
      try skipRest()
      return .set(SetParameter(name: "role", value: nil, isLocal: isLocal, isReset: false))
    }
    if at(.transaction) || at(.session) || at(.constraints) {
      try skipRest()
      return .transaction(.setTransaction)
    }
    if at(.time), lookahead(1)?.keyword == .zone {
      index += 2
      let value = try remainingValue()
      return .set(SetParameter(name: "timezone", value: value, isLocal: isLocal, isReset: false))
    }
    // SET SCHEMA 'name' and SET NAMES 'encoding' take their value without TO or '='.
    if at(.schema) || at(.names), let value = lookahead(1), value.kind != .op {
      let name = at(.schema) ? "search_path" : "client_encoding"
      index += 1
      return .set(
        SetParameter(name: name, value: try remainingValue(), isLocal: isLocal, isReset: false)
      )
    }
    let name = try qualifiedName("a configuration parameter").description
    if !eat(.to) {
      guard at(kind: .op), let op = current, tokenEquals(op, "=") else {
        throw error(expected: "TO or '='")
      }
      index += 1
    }
    let value = try remainingValue()
    return .set(SetParameter(name: name, value: value, isLocal: isLocal, isReset: false))
  }

  /// The value(s) of SET, strings unquoted, comma-joined; `nil` for DEFAULT.
  private mutating func remainingValue() throws(SyntaxError) -> String? {
    var parts: [String] = []
    guard !isAtEnd else { throw error(expected: "a value") }
    if at(.default), lookahead(1) == nil {
      index += 1
      return nil
    }
    while let token = current {
      switch token.kind {
      case .string: parts.append(unquoteString(token))
      case .quotedIdentifier: parts.append(unquoteIdentifier(token))
      case .comma: parts.append(",")
      case .word: parts.append(foldedWord(token))
      default: parts.append(text(token))
      }
      index += 1
    }
    var value = ""
    for part in parts {
      if part == "," {
        value += ", "
      } else if value.isEmpty || value.hasSuffix(" ") || part == "-" || value.hasSuffix("-") {
        value += part
      } else {
        value += " " + part
      }
    }
    return value
  }

  mutating func parseReset() throws(SyntaxError) -> StatementKind {
    try expect(.reset)
    let name: String
    if eat(.all) {
      name = "all"
    } else if eat(.time, .zone) {
      name = "timezone"
    } else if eat(.session, .authorization) {
      name = "session_authorization"
    } else if at(.transaction) {
      _ = try remainingWords()  // RESET TRANSACTION ISOLATION LEVEL
      name = "transaction_isolation"
    } else {
      name = try qualifiedName("a configuration parameter").description
    }
    return .set(SetParameter(name: name, value: nil, isLocal: false, isReset: true))
  }

  // MARK: - Transactions

  mutating func parseTransaction() throws(SyntaxError) -> StatementKind {
    let verb = try word()
    switch verb {
    case "BEGIN", "START":
      if verb == "START" { try expect(.transaction) }
      _ = try remainingWords()
      return .transaction(.begin)
    case "COMMIT", "END":
      if eat(.prepared) {
        _ = try stringLiteral("a transaction identifier")
        return .transaction(.commitPrepared)
      }
      _ = try remainingWords()
      return .transaction(.commit)
    case "ROLLBACK", "ABORT":
      if eat(.prepared) {
        _ = try stringLiteral("a transaction identifier")
        return .transaction(.rollbackPrepared)
      }
      if !eat(.transaction) { eat(.work) }
      if eat(.to) {
        // `ROLLBACK TO SAVEPOINT` alone names a savepoint called "savepoint".
        if at(.savepoint), lookahead(1) != nil { index += 1 }
        return .transaction(.rollbackToSavepoint(try identifier("a savepoint name").value))
      }
      _ = try remainingWords()
      return .transaction(.rollback)
    case "SAVEPOINT":
      return .transaction(.savepoint(try identifier("a savepoint name").value))
    case "RELEASE":
      if at(.savepoint), lookahead(1) != nil { index += 1 }
      return .transaction(.release(try identifier("a savepoint name").value))
    case "PREPARE":
      if eat(.transaction) {
        _ = try stringLiteral("a transaction identifier")
        return .transaction(.prepareTransaction)
      }
      try skipRest()
      return .other(keywords: "PREPARE")
    default:
      index -= 1
      throw error(expected: "a transaction statement")
    }
  }

  // MARK: - LOCK

  mutating func parseLock() throws(SyntaxError) -> StatementKind {
    try expect(.lock)
    eat(.table)
    var tables: [QualifiedName] = []
    repeat {
      eat(.only)
      tables.append(try qualifiedName("a table name"))
      if at(kind: .op), let token = current, tokenEquals(token, "*") { index += 1 }
    } while eat(kind: .comma)
    var mode = "ACCESS EXCLUSIVE"
    if eat(.in) {
      let modeStart = index
      var words: [String] = []
      while let token = current, token.kind == .word, token.keyword != .mode {
        words.append(upper(token))
        index += 1
      }
      try expect(.mode)
      mode = words.joined(separator: " ")
      let known = [
        "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE",
        "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
      ]
      guard known.contains(mode) else {
        index = modeStart
        throw error(expected: "a lock mode such as SHARE or ACCESS EXCLUSIVE")
      }
    }
    let isNoWait = eat(.nowait)
    return .lockTable(LockTable(tables: tables, mode: mode, isNoWait: isNoWait))
  }

  // MARK: - INSERT / UPDATE / DELETE

  mutating func parseDataChange() throws(SyntaxError) -> StatementKind {
    var hasWith = false
    if eat(.with) {
      hasWith = true
      eat(.recursive)
      repeat {
        _ = try identifier("a common table expression name")
        if at(kind: .leftParen) { try skipParenthesized() }
        try expect(.as)
        eat(.not)
        eat(.materialized)
        try skipParenthesized()
        // SEARCH / CYCLE clauses.
        while let token = current, token.kind == .word, token.keyword != .select,
          token.keyword != .insert, token.keyword != .update, token.keyword != .delete,
          token.kind != .comma
        {
          if token.kind == .leftParen { try skipParenthesized() } else { index += 1 }
        }
      } while eat(kind: .comma)
    }
    guard let verb = current, verb.kind == .word else {
      throw error(expected: "SELECT, INSERT, UPDATE or DELETE")
    }
    switch verb.keyword {
    case .insert, .replace:
      var change = try parseInsert()
      change.hasWith = hasWith
      return .dataChange(change)
    case .update:
      var change = try parseUpdate()
      change.hasWith = hasWith
      return .dataChange(change)
    case .delete:
      var change = try parseDelete()
      change.hasWith = hasWith
      return .dataChange(change)
    case .select, .values, .table:
      try skipRest()
      return .select
    default:
      throw error(expected: "SELECT, INSERT, UPDATE or DELETE")
    }
  }

  private mutating func sqliteConflictPrefix() -> Bool {
    if eat(.or) {
      index += 1
      return true
    }
    return false
  }

  private mutating func parseInsert() throws(SyntaxError) -> DataChange {
    var hasConflict = at(.replace)
    index += 1
    if sqliteConflictPrefix() { hasConflict = true }
    try expect(.into)
    var change = DataChange(operation: .insert, table: try qualifiedName("a table name"))
    if eat(.as) { _ = try identifier("an alias") }
    if at(kind: .leftParen), let next = lookahead(1), next.keyword != .select,
      next.keyword != .with,
      next.keyword != .values
    {
      change.columns = try parenthesizedIdentifiers()
    }
    if eat(.overriding) {
      _ = try word()
      try expect(.value)
    }
    if at(.default), lookahead(1)?.keyword == .values {
      index += 2
    } else if at(.values) {
      index += 1
    } else if let token = current,
      token.keyword == .select || token.keyword == .with || token.keyword == .table
        || token.kind == .leftParen
    {
      change.hasQuery = true
    } else {
      throw error(expected: "VALUES, SELECT or DEFAULT VALUES")
    }
    while let token = current {
      if token.kind == .leftParen {
        try skipParenthesized()
      } else {
        if token.keyword == .on, lookahead(1)?.keyword == .conflict { hasConflict = true }
        index += 1
      }
    }
    change.hasConflictClause = hasConflict
    return change
  }

  private mutating func parseUpdate() throws(SyntaxError) -> DataChange {
    try expect(.update)
    let hasConflict = sqliteConflictPrefix()
    eat(.only)
    var change = DataChange(operation: .update, table: try qualifiedName("a table name"))
    change.hasConflictClause = hasConflict
    if at(kind: .op), let token = current, tokenEquals(token, "*") { index += 1 }
    if eat(.as) {
      _ = try identifier("an alias")
    } else if let token = current, token.kind == .word, token.keyword != .set {
      index += 1
    }
    try expect(.set)
    repeat {
      if at(kind: .leftParen) {
        let targets = try parenthesizedIdentifiers()
        try expectEquals()
        let value: Expression?
        if eat(.row) {
          value = try parenthesizedExpressionOrQuery()
        } else {
          value = try parenthesizedExpressionOrQuery()
        }
        for target in targets {
          change.columns.append(target)
          change.assignments.append(Assignment(column: target, value: value))
        }
      } else {
        let target = try identifier("a column name")
        // col.field = …, col[1] = …
        while at(kind: .dot) || at(kind: .leftBracket) {
          if eat(kind: .dot) {
            _ = try identifier("a field name")
          } else {
            index += 1
            _ = try expression()
            if eat(kind: .colon) { _ = try expression() }
            try expect(kind: .rightBracket, "']'")
          }
        }
        try expectEquals()
        let value = try expression()
        change.columns.append(target)
        change.assignments.append(Assignment(column: target, value: value))
      }
    } while eat(kind: .comma)
    try parseFilterTail(&change, joinKeyword: .from)
    return change
  }

  private mutating func expectEquals() throws(SyntaxError) {
    guard at(kind: .op), let token = current, tokenEquals(token, "=") else {
      throw error(expected: "'='")
    }
    index += 1
  }

  private mutating func parseDelete() throws(SyntaxError) -> DataChange {
    try expect(.delete)
    try expect(.from)
    eat(.only)
    var change = DataChange(operation: .delete, table: try qualifiedName("a table name"))
    if at(kind: .op), let token = current, tokenEquals(token, "*") { index += 1 }
    if eat(.as) {
      _ = try identifier("an alias")
    } else if let token = current, token.kind == .word,
      ![.using, .where, .returning, .order, .limit].contains(token.keyword)
    {
      index += 1
    }
    try parseFilterTail(&change, joinKeyword: .using)
    return change
  }

  /// `[FROM|USING …] [WHERE …] [RETURNING …]` (plus SQLite's ORDER BY/LIMIT).
  private mutating func parseFilterTail(_ change: inout DataChange, joinKeyword: Keyword)
    throws(SyntaxError)
  {
    if eat(joinKeyword) {
      change.hasQuery = true
      while let token = current, token.keyword != .where, token.keyword != .returning {
        if token.kind == .leftParen { try skipParenthesized() } else { index += 1 }
      }
    }
    if eat(.where) {
      change.hasWhere = true
      let start = index
      if at(.current), lookahead(1)?.keyword == .of {
        try skipRest()
        return
      }
      if let predicate = try? expression(), isAtEnd || at(.returning) || at(.order) || at(.limit) {
        change.predicate = predicate
      } else {
        index = start
      }
    }
    try skipRest()
  }
}
