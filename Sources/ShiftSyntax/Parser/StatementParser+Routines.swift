import ShiftCore

extension StatementParser {
  // MARK: - Functions and procedures

  mutating func parseCreateFunction(isOrReplace: Bool) throws(SyntaxError) -> StatementKind {
    let isProcedure = at(.procedure)
    index += 1
    var function = CreateFunction(
      name: try qualifiedName("a function name"),
      isProcedure: isProcedure
    )
    function.isOrReplace = isOrReplace
    guard let open = current, open.kind == .leftParen else {
      throw error(expected: "'(' and the arguments")
    }
    try skipParenthesized()
    function.arguments = text(SourceRange(start: open.end, end: max(open.end, lastEnd - 1)))
    while let token = current {
      switch token.keyword {
      case .returns where lookahead(1)?.keyword == .null:
        try skipFunctionOption(token)  // RETURNS NULL ON NULL INPUT
      case .returns:
        index += 1
        let start = currentStart
        eat(.setof)
        if eat(.table) {
          try skipParenthesized()
        } else {
          _ = try typeName()
          // `table.column%TYPE`
          if atOperator("%"), lookahead(1)?.keyword == .type { index += 2 }
        }
        function.returns = text(SourceRange(start: start, end: lastEnd))
      case .language:
        index += 1
        if let name = current, name.kind == .string {
          index += 1
          function.language = unquoteString(name).lowercased()
        } else {
          function.language = try identifier("a language name").value
        }
      case .immutable, .stable, .volatile:
        index += 1
        function.volatility = Volatility(rawValue: token.keyword.rawValue)
      case .as:
        index += 1
        guard let body = current, body.kind == .string || body.kind == .dollarString else {
          throw error(expected: "the function body as a string")
        }
        index += 1
        function.body = body.range
        // C functions: AS 'obj_file', 'link_symbol'.
        if eat(kind: .comma) { _ = try stringLiteral() }
      case .begin:
        // SQL-standard body: BEGIN ATOMIC … END (the splitter kept its semicolons).
        let start = token.start
        index += 1
        try expect(.atomic)
        var depth = 1
        while let inner = current, depth > 0 {
          index += 1
          if inner.keyword == .begin || inner.keyword == .case {
            depth += 1
          } else if inner.keyword == .end {
            depth -= 1
          }
        }
        if depth > 0 { throw error(expected: "END of the BEGIN ATOMIC body") }
        function.body = SourceRange(start: start, end: lastEnd)
        function.isStandardBody = true
      case .return:
        let start = token.start
        index += 1
        _ = try expression()
        function.body = SourceRange(start: start, end: lastEnd)
        function.isStandardBody = true
      case .window, .strict, .leakproof, .parallel, .cost, .rows, .support, .security,
        .external, .called, .not, .transform, .set:
        try skipFunctionOption(token)
      default:
        throw error(expected: "a function option such as RETURNS, LANGUAGE, AS or VOLATILE")
      }
    }
    return .createFunction(function)
  }

  private mutating func skipFunctionOption(_ token: Token) throws(SyntaxError) {
    index += 1
    switch token.keyword {
    case .not:
      try expect(.leakproof)
    case .parallel:
      _ = try word()
    case .cost, .rows:
      guard eat(kind: .number) else { throw error(expected: "a number") }
    case .support:
      _ = try qualifiedName("a support function")
    case .security:
      _ = try word()
    case .external:
      try expect(.security)
      _ = try word()
    case .called:
      try expect(.on)
      try expect(.null)
      try expect(.input)
    case .returns:
      try expect(.null)
      try expect(.on)
      try expect(.null)
      try expect(.input)
    case .transform:
      repeat {
        try expect(.for)
        try expect(.type)
        _ = try typeName()
      } while eat(kind: .comma)
    case .set:
      // SET configuration_parameter { TO value | = value | FROM CURRENT }
      _ = try qualifiedName("a configuration parameter")
      if eat(.from) {
        try expect(.current)
      } else {
        if !eat(.to) {
          guard at(kind: .op), let op = current, tokenEquals(op, "=") else {
            throw error(expected: "TO or '='")
          }
          index += 1
        }
        repeat {
          guard let value = current, value.kind != .comma else { throw error(expected: "a value") }
          index += 1
        } while eat(kind: .comma)
      }
    default:
      break
    }
  }

  // MARK: - Triggers

  mutating func parseCreateTrigger(isOrReplace: Bool, isConstraint: Bool) throws(SyntaxError)
    -> StatementKind
  {
    try expect(.trigger)
    let ifNotExists = eatIfNotExists()
    let name = try qualifiedName("a trigger name")
    var timing = ""
    if eat(.before) {
      timing = "BEFORE"
    } else if eat(.after) {
      timing = "AFTER"
    } else if eat(.instead) {
      try expect(.of)
      timing = "INSTEAD OF"
    } else if dialect == .postgres {
      throw error(expected: "BEFORE, AFTER or INSTEAD OF")
    }
    var events: [String] = []
    var updateColumns: [Identifier] = []
    repeat {
      guard let event = current, event.kind == .word,
        [.insert, .update, .delete, .truncate].contains(event.keyword)
      else { throw error(expected: "INSERT, UPDATE, DELETE or TRUNCATE") }
      index += 1
      events.append(upper(event))
      if event.keyword == .update, eat(.of) {
        repeat { updateColumns.append(try identifier("a column name")) } while eat(kind: .comma)
      }
    } while eat(.or)
    try expect(.on)
    var trigger = CreateTrigger(name: name, table: try qualifiedName("a table name"))
    trigger.isOrReplace = isOrReplace
    trigger.isConstraint = isConstraint
    trigger.ifNotExists = ifNotExists
    trigger.timing = timing
    trigger.events = events
    trigger.updateColumns = updateColumns
    if dialect == .sqlite {
      if eat(.for) {
        try expect(.each)
        try expect(.row)
        trigger.isForEachRow = true
      }
      if eat(.when) { trigger.condition = try expression() }
      guard let begin = current, begin.keyword == .begin else { throw error(expected: "BEGIN") }
      index = tokens.count
      guard let last = tokens.last, last.keyword == .end else { throw error(expected: "END") }
      trigger.body = SourceRange(start: begin.start, end: last.end)
      return .createTrigger(trigger)
    }
    while let token = current {
      switch token.keyword {
      case .from:
        index += 1
        _ = try qualifiedName("a table name")
      case .not:
        index += 1
        try expect(.deferrable)
      case .deferrable:
        index += 1
      case .initially:
        index += 1
        _ = try word()
      case .referencing:
        index += 1
        while let item = current, item.kind == .word, item.keyword == .old || item.keyword == .new {
          index += 1
          _ = try word()  // TABLE
          eat(.as)
          _ = try identifier("a transition relation name")
        }
      case .for:
        index += 1
        eat(.each)
        if eat(.row) {
          trigger.isForEachRow = true
        } else {
          try expect(.statement)
        }
      case .when:
        index += 1
        try expect(kind: .leftParen, "'('")
        trigger.condition = try expression()
        try expect(kind: .rightParen, "')'")
      case .execute:
        index += 1
        if !eat(.function) { try expect(.procedure) }
        trigger.function = try qualifiedName("a function name")
        try skipParenthesized()
      default:
        throw error(expected: "FOR EACH ROW, WHEN or EXECUTE FUNCTION")
      }
    }
    if trigger.function == nil { throw error(expected: "EXECUTE FUNCTION") }
    return .createTrigger(trigger)
  }

  // MARK: - DO, COPY, PRAGMA, CALL

  mutating func parseDo() throws(SyntaxError) -> StatementKind {
    try expect(.do)
    var body: SourceRange?
    while let token = current {
      if token.kind == .string || token.kind == .dollarString {
        index += 1
        body = token.range
      } else if eat(.language) {
        _ = try identifier("a language name")
      } else {
        throw error(expected: "the DO block's body")
      }
    }
    guard body != nil else { throw error(expected: "the DO block's body") }
    return .doBlock(body: body)
  }

  mutating func parseCopy() throws(SyntaxError) -> StatementKind {
    try expect(.copy)
    var table: QualifiedName?
    if at(kind: .leftParen) {
      try skipParenthesized()
    } else {
      table = try qualifiedName("a table name")
      if at(kind: .leftParen) { try skipParenthesized() }
    }
    var isFromStdin = false
    if eat(.from) {
      isFromStdin = eat(.stdin)
    } else {
      try expect(.to)
    }
    try skipRest()
    return .copy(table: table, isFromStdin: isFromStdin)
  }

  mutating func parsePragma() throws(SyntaxError) -> StatementKind {
    try expect(.pragma)
    let name = try qualifiedName("a pragma name")
    var value: String?
    if at(kind: .op), let op = current, tokenEquals(op, "=") {
      index += 1
      value = try pragmaValue()
    } else if eat(kind: .leftParen) {
      value = try pragmaValue()
      try expect(kind: .rightParen, "')'")
    }
    return .pragma(name: name, value: value)
  }

  private mutating func pragmaValue() throws(SyntaxError) -> String {
    guard let token = current else { throw error(expected: "a pragma value") }
    var value = ""
    if token.kind == .op, tokenEquals(token, "-") || tokenEquals(token, "+") {
      value = text(token)
      index += 1
    }
    guard let token = current,
      [.word, .number, .string, .quotedIdentifier].contains(token.kind)
    else { throw error(expected: "a pragma value") }
    index += 1
    switch token.kind {
    case .string: value += unquoteString(token)
    case .quotedIdentifier: value += unquoteIdentifier(token)
    default: value += text(token)
    }
    return value
  }
}
