import ShiftCore

extension StatementParser {
  /// Where an expression appears; column defaults stop before constraint keywords.
  enum ExpressionContext {
    case general
    /// A column `DEFAULT`: `COLLATE` and `NOT NULL` after it are constraints.
    case columnDefault
  }

  // Binding powers, loosely following PostgreSQL's operator precedence table.
  private static let orPower = 1
  private static let andPower = 2
  private static let notPower = 3
  private static let isPower = 4
  private static let comparisonPower = 5
  private static let likePower = 6
  private static let otherOperatorPower = 7
  private static let additivePower = 8
  private static let multiplicativePower = 9
  private static let exponentPower = 10
  private static let atTimeZonePower = 11
  private static let collatePower = 12
  private static let unaryPower = 13

  mutating func expression(_ context: ExpressionContext = .general) throws(SyntaxError)
    -> Expression
  {
    try expression(minimumPower: 0, context)
  }

  private mutating func expression(minimumPower: Int, _ context: ExpressionContext)
    throws(SyntaxError) -> Expression
  {
    var left = try prefixExpression(context)
    while let token = current {
      let start = left.range.start
      switch token.kind {
      case .op:
        if tokenEquals(token, "::") {
          index += 1
          let type = try typeName()
          left = .cast(left, type, SourceRange(start: start, end: lastEnd))
          continue
        }
        let power = binaryPower(token)
        guard power > minimumPower else { return left }
        index += 1
        let op = text(token)
        // `x = ANY (array)` and friends.
        if let next = current, next.kind == .word,
          next.keyword == .any || next.keyword == .all || next.keyword == .some,
          lookahead(1)?.kind == .leftParen
        {
          index += 1
          let inner = try parenthesizedExpressionOrQuery()
          left = .binary(
            op,
            left,
            .compound(
              upper(next).lowercased(),
              [inner],
              SourceRange(start: next.start, end: lastEnd)
            ),
            SourceRange(start: start, end: lastEnd)
          )
          continue
        }
        let right = try expression(minimumPower: power, context)
        left = .binary(op, left, right, SourceRange(start: start, end: lastEnd))
      case .leftBracket:
        guard Self.unaryPower + 1 > minimumPower else { return left }
        index += 1
        var items = [left]
        if !at(kind: .colon) { items.append(try expression()) }
        if eat(kind: .colon), !at(kind: .rightBracket) { items.append(try expression()) }
        try expect(kind: .rightBracket, "']'")
        left = .compound("subscript", items, SourceRange(start: start, end: lastEnd))
      case .dot:
        // Field selection after a parenthesized expression: `(row).field`, `(x).*`.
        index += 1
        if !eat(kind: .op) { _ = try identifier("a field name") }
        left = .compound("field", [left], SourceRange(start: start, end: lastEnd))
      case .word:
        guard let next = try infixKeyword(left, token, minimumPower, context) else { return left }
        left = next
      default:
        return left
      }
    }
    return left
  }

  private func binaryPower(_ token: Token) -> Int {
    let length = token.end - token.start
    if length == 1 {
      switch bytes[token.start] {
      case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="): return Self.comparisonPower
      case UInt8(ascii: "+"), UInt8(ascii: "-"): return Self.additivePower
      case UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"): return Self.multiplicativePower
      case UInt8(ascii: "^"): return Self.exponentPower
      default: return Self.otherOperatorPower
      }
    }
    if tokenEquals(token, "<=") || tokenEquals(token, ">=") || tokenEquals(token, "<>")
      || tokenEquals(token, "!=") || tokenEquals(token, "==")
    {
      return Self.comparisonPower
    }
    return Self.otherOperatorPower
  }

  /// Handles keyword operators after an operand; `nil` when the keyword ends the expression.
  private mutating func infixKeyword(
    _ left: Expression,
    _ token: Token,
    _ minimumPower: Int,
    _ context: ExpressionContext
  ) throws(SyntaxError) -> Expression? {
    let start = left.range.start
    switch token.keyword {
    case .and:
      guard Self.andPower > minimumPower else { return nil }
      index += 1
      let right = try expression(minimumPower: Self.andPower, context)
      return .binary("AND", left, right, SourceRange(start: start, end: lastEnd))
    case .or:
      guard Self.orPower > minimumPower else { return nil }
      index += 1
      let right = try expression(minimumPower: Self.orPower, context)
      return .binary("OR", left, right, SourceRange(start: start, end: lastEnd))
    case .is:
      guard Self.isPower > minimumPower else { return nil }
      index += 1
      eat(.not)
      var items = [left]
      if eat(.distinct) {
        try expect(.from)
        items.append(try expression(minimumPower: Self.isPower, context))
      } else if let next = current, next.kind == .word,
        [.null, .true, .false, .unknown].contains(next.keyword)
      {
        index += 1
      } else if let next = current, next.kind == .word, next.keyword == .none,
        dialect == .postgres
      {
        // IS DOCUMENT, IS NORMALIZED, IS JSON …
        index += 1
        while let word = current, word.kind == .word, word.keyword == .none { index += 1 }
      } else {
        items.append(try expression(minimumPower: Self.isPower, context))
      }
      return .compound("is", items, SourceRange(start: start, end: lastEnd))
    case .isnull, .notnull:
      guard Self.isPower > minimumPower else { return nil }
      index += 1
      return .compound("is", [left], SourceRange(start: start, end: lastEnd))
    case .not:
      // Only `NOT LIKE/ILIKE/IN/BETWEEN/SIMILAR/GLOB/REGEXP/MATCH` continue an expression.
      guard let next = lookahead(1), next.kind == .word,
        [.like, .ilike, .in, .between, .similar, .glob, .regexp].contains(next.keyword)
          || (dialect == .sqlite && next.kind == .word && upper(next) == "MATCH")
      else { return nil }
      guard Self.likePower > minimumPower else { return nil }
      index += 1
      return try infixKeyword(left, next, minimumPower, context)
    case .like, .ilike, .glob, .regexp:
      guard Self.likePower > minimumPower else { return nil }
      index += 1
      var items = [left, try expression(minimumPower: Self.likePower, context)]
      if eat(.escape) { items.append(try expression(minimumPower: Self.likePower, context)) }
      return .compound("like", items, SourceRange(start: start, end: lastEnd))
    case .similar:
      guard Self.likePower > minimumPower else { return nil }
      index += 1
      try expect(.to)
      var items = [left, try expression(minimumPower: Self.likePower, context)]
      if eat(.escape) { items.append(try expression(minimumPower: Self.likePower, context)) }
      return .compound("like", items, SourceRange(start: start, end: lastEnd))
    case .between:
      guard Self.likePower > minimumPower else { return nil }
      index += 1
      eat(.symmetric)
      let low = try expression(minimumPower: Self.andPower, context)
      try expect(.and)
      let high = try expression(minimumPower: Self.likePower, context)
      return .compound("between", [left, low, high], SourceRange(start: start, end: lastEnd))
    case .in:
      guard Self.likePower > minimumPower, let next = lookahead(1) else { return nil }
      if next.kind != .leftParen {
        guard dialect == .sqlite else { return nil }
        index += 1
        let table = try qualifiedName("a table name")
        return .compound("in", [left, .column(table)], SourceRange(start: start, end: lastEnd))
      }
      index += 1
      let list = try parenthesizedExpressionOrQuery()
      return .compound("in", [left, list], SourceRange(start: start, end: lastEnd))
    case .collate:
      guard context != .columnDefault, Self.collatePower > minimumPower else { return nil }
      index += 1
      _ = try qualifiedName("a collation name")
      return .compound("collate", [left], SourceRange(start: start, end: lastEnd))
    case .at:
      guard Self.atTimeZonePower > minimumPower else { return nil }
      if let next = lookahead(1), next.keyword == .local {
        index += 2
        return .compound("at time zone", [left], SourceRange(start: start, end: lastEnd))
      }
      guard at(.at), lookahead(1)?.keyword == .time else { return nil }
      index += 2
      try expect(.zone)
      let zone = try expression(minimumPower: Self.atTimeZonePower, context)
      return .compound("at time zone", [left, zone], SourceRange(start: start, end: lastEnd))
    case .operator where lookahead(1)?.kind == .leftParen:
      guard Self.otherOperatorPower > minimumPower else { return nil }
      let op = try qualifiedOperator()
      let right = try expression(minimumPower: Self.otherOperatorPower, context)
      return .binary(op, left, right, SourceRange(start: start, end: lastEnd))
    default:
      if dialect == .sqlite, upper(token) == "MATCH", Self.likePower > minimumPower {
        index += 1
        let right = try expression(minimumPower: Self.likePower, context)
        return .compound("like", [left, right], SourceRange(start: start, end: lastEnd))
      }
      return nil
    }
  }

  /// `OPERATOR(schema.op)`; returns the operator's symbol.
  private mutating func qualifiedOperator() throws(SyntaxError) -> String {
    try expect(.operator)
    try expect(kind: .leftParen, "'('")
    while at(kind: .word) || at(kind: .quotedIdentifier), lookahead(1)?.kind == .dot { index += 2 }
    guard let token = current, token.kind == .op else { throw error(expected: "an operator") }
    index += 1
    try expect(kind: .rightParen, "')'")
    return text(token)
  }

  /// `( expr, … )` as a list, or `( SELECT … )` as a subquery.
  mutating func parenthesizedExpressionOrQuery() throws(SyntaxError) -> Expression {
    let start = currentStart
    if let next = lookahead(1), next.kind == .word,
      next.keyword == .select || next.keyword == .with || next.keyword == .values
    {
      try skipParenthesized()
      return .compound("subquery", [], SourceRange(start: start, end: lastEnd))
    }
    try expect(kind: .leftParen, "'('")
    var items: [Expression] = []
    if !at(kind: .rightParen) {
      repeat { items.append(try expression()) } while eat(kind: .comma)
    }
    try expect(kind: .rightParen, "',' or ')'")
    return .compound("list", items, SourceRange(start: start, end: lastEnd))
  }

  private mutating func prefixExpression(_ context: ExpressionContext) throws(SyntaxError)
    -> Expression
  {
    guard let token = current else { throw error(expected: "an expression") }
    let start = token.start
    switch token.kind {
    case .string:
      index += 1
      // PostgreSQL's implicit concatenation of adjacent string literals across lines.
      var value = unquoteString(token, escape: unicodeEscapeCharacter(after: token))
      while let next = current, next.kind == .string, dialect == .postgres {
        index += 1
        value += unquoteString(next, escape: unicodeEscapeCharacter(after: next))
      }
      return .literal(.string(value), SourceRange(start: start, end: lastEnd))
    case .dollarString:
      index += 1
      return .literal(.string(unquoteString(token)), token.range)
    case .bitString:
      index += 1
      return .literal(.bitString(text(token)), token.range)
    case .number:
      index += 1
      return .literal(.number(text(token)), token.range)
    case .parameter:
      index += 1
      return .parameter(text(token), token.range)
    case .op:
      if tokenEquals(token, "*") {
        index += 1
        return .compound("star", [], token.range)
      }
      index += 1
      let operand = try expression(minimumPower: Self.unaryPower, context)
      return .unary(text(token), operand, SourceRange(start: start, end: lastEnd))
    case .leftParen:
      if let next = lookahead(1), next.kind == .word,
        next.keyword == .select || next.keyword == .with || next.keyword == .values
      {
        try skipParenthesized()
        return .compound("subquery", [], SourceRange(start: start, end: lastEnd))
      }
      index += 1
      let first = try expression()
      if eat(kind: .comma) {
        var items = [first]
        repeat { items.append(try expression()) } while eat(kind: .comma)
        try expect(kind: .rightParen, "',' or ')'")
        return .compound("row", items, SourceRange(start: start, end: lastEnd))
      }
      try expect(kind: .rightParen, "')'")
      return first
    case .leftBracket:
      // Array element lists inside ARRAY[…] use nested brackets: ARRAY[[1,2],[3,4]].
      index += 1
      var items: [Expression] = []
      if !at(kind: .rightBracket) {
        repeat { items.append(try expression()) } while eat(kind: .comma)
      }
      try expect(kind: .rightBracket, "']'")
      return .compound("array", items, SourceRange(start: start, end: lastEnd))
    case .quotedIdentifier:
      return try nameOrCall()
    case .word:
      return try wordExpression(token, context)
    default:
      throw error(expected: "an expression")
    }
  }

  private mutating func wordExpression(_ token: Token, _ context: ExpressionContext)
    throws(SyntaxError) -> Expression
  {
    let start = token.start
    switch token.keyword {
    case .null:
      index += 1
      return .literal(.null, token.range)
    case .true, .false:
      index += 1
      return .literal(.boolean(token.keyword == .true), token.range)
    case .not:
      index += 1
      let operand = try expression(minimumPower: Self.notPower, context)
      return .unary("NOT", operand, SourceRange(start: start, end: lastEnd))
    case .default:
      index += 1
      return .compound("default", [], token.range)
    case .operator where lookahead(1)?.kind == .leftParen:
      let op = try qualifiedOperator()
      let operand = try expression(minimumPower: Self.unaryPower, context)
      return .unary(op, operand, SourceRange(start: start, end: lastEnd))
    case .exists:
      index += 1
      let query = try parenthesizedExpressionOrQuery()
      return .compound("exists", [query], SourceRange(start: start, end: lastEnd))
    case .case:
      return try caseExpression()
    case .cast where lookahead(1)?.kind == .leftParen:
      index += 2
      let inner = try expression()
      try expect(.as)
      let type = try typeName()
      try expect(kind: .rightParen, "')'")
      return .cast(inner, type, SourceRange(start: start, end: lastEnd))
    case .array:
      index += 1
      if at(kind: .leftParen) {
        let query = try parenthesizedExpressionOrQuery()
        return .compound("array", [query], SourceRange(start: start, end: lastEnd))
      }
      guard at(kind: .leftBracket) else { throw error(expected: "'[' or '(' after ARRAY") }
      let list = try prefixExpression(context)
      return .compound("array", list.children, SourceRange(start: start, end: lastEnd))
    case .row where lookahead(1)?.kind == .leftParen:
      index += 1
      let list = try parenthesizedExpressionOrQuery()
      return .compound("row", list.children, SourceRange(start: start, end: lastEnd))
    case .current_date, .current_time, .current_timestamp, .localtime, .localtimestamp,
      .current_user, .current_role, .session_user, .user, .current_catalog, .current_schema:
      index += 1
      var arguments: [Expression] = []
      var isKeywordForm = true
      if at(kind: .leftParen) {
        isKeywordForm = false
        index += 1
        if !at(kind: .rightParen) { arguments.append(try expression()) }
        try expect(kind: .rightParen, "')'")
      }
      let name = QualifiedName([Identifier(token.keyword.rawValue, range: token.range)])
      return .function(
        FunctionCall(
          name: name,
          arguments: arguments,
          isKeywordForm: isKeywordForm,
          range: SourceRange(start: start, end: lastEnd)
        )
      )
    default:
      // A typed literal: `interval '1 day'`, `date '2024-01-01'`, `timestamptz '…'`.
      if dialect == .postgres, let next = lookahead(1), next.kind == .string,
        token.keyword != .uescape
      {
        let type = try typeName()
        guard let literal = current, literal.kind == .string else {
          throw error(expected: "a string literal")
        }
        index += 1
        let value = Expression.literal(.string(unquoteString(literal)), literal.range)
        // `interval '1' day` style trailing field.
        while let field = current, field.kind == .word,
          [.year, .month, .day, .hour, .minute, .second, .to].contains(field.keyword)
        {
          index += 1
        }
        return .cast(value, type, SourceRange(start: start, end: lastEnd))
      }
      if dialect == .postgres,
        token.keyword == .interval || token.keyword == .timestamp
          || token.keyword == .time, let next = lookahead(1), next.kind == .leftParen,
        let after = lookahead(4), after.kind == .string
      {
        let type = try typeName()
        let literal = try stringLiteral()
        return .cast(
          .literal(.string(literal), SourceRange(start: after.start, end: after.end)),
          type,
          SourceRange(start: start, end: lastEnd)
        )
      }
      return try nameOrCall()
    }
  }

  /// A column reference (`a`, `t.a`, `t.*`) or a function call (`f(…)`, `s.f(…)`).
  private mutating func nameOrCall() throws(SyntaxError) -> Expression {
    let start = currentStart
    var parts = [try identifier("an expression")]
    while at(kind: .dot) {
      if let next = lookahead(1), next.kind == .op, tokenEquals(next, "*") {
        index += 2
        return .compound(
          "star",
          [.column(QualifiedName(parts))],
          SourceRange(start: start, end: lastEnd)
        )
      }
      guard let next = lookahead(1), next.kind == .word || next.kind == .quotedIdentifier else {
        break
      }
      index += 1
      parts.append(try identifier())
    }
    let name = QualifiedName(parts)
    guard at(kind: .leftParen) else { return .column(name) }
    index += 1
    var arguments: [Expression] = []
    // Aggregate and keyword-syntax arguments: DISTINCT, ALL, ORDER BY, FROM, FOR, IN,
    // PLACING, AS, named arguments `=>`; the expressions between them are kept.
    while !at(kind: .rightParen) {
      guard let token = current else { throw error(expected: "')'") }
      if token.kind == .comma {
        index += 1
        continue
      }
      if token.kind == .word,
        [.distinct, .all, .from, .for, .in, .placing, .as, .leading, .trailing, .both, .order, .by]
          .contains(token.keyword)
      {
        index += 1
        if token.keyword == .as {
          _ = try? typeName()
        }
        continue
      }
      if token.kind == .op, tokenEquals(token, "=>") || tokenEquals(token, ":=") {
        index += 1
        continue
      }
      if token.kind == .word, let next = lookahead(1), next.kind == .op,
        tokenEquals(next, "=>") || tokenEquals(next, ":=")
      {
        index += 2
        continue
      }
      let argument = try expression()
      arguments.append(argument)
      // ORDER BY x ASC|DESC NULLS FIRST inside aggregates; SEPARATOR, etc.
      while let trailing = current, trailing.kind == .word,
        [.asc, .desc, .nulls, .first, .last, .using].contains(trailing.keyword)
      {
        index += 1
        if trailing.keyword == .using { index += 1 }
      }
    }
    try expect(kind: .rightParen, "')'")
    // WITHIN GROUP (…), FILTER (WHERE …), OVER (…) | OVER name
    if at(.within), lookahead(1)?.keyword == .group {
      index += 2
      try skipParenthesized()
    }
    if at(.filter), lookahead(1)?.kind == .leftParen {
      index += 1
      try skipParenthesized()
    }
    if eat(.over) {
      if at(kind: .leftParen) {
        try skipParenthesized()
      } else {
        _ = try identifier("a window name")
      }
    }
    return .function(
      FunctionCall(
        name: name,
        arguments: arguments,
        isKeywordForm: false,
        range: SourceRange(start: start, end: lastEnd)
      )
    )
  }

  private mutating func caseExpression() throws(SyntaxError) -> Expression {
    let start = currentStart
    try expect(.case)
    var items: [Expression] = []
    if !at(.when) { items.append(try expression()) }
    guard at(.when) else { throw error(expected: "WHEN") }
    while eat(.when) {
      items.append(try expression())
      try expect(.then)
      items.append(try expression())
    }
    if eat(.else) { items.append(try expression()) }
    try expect(.end)
    return .compound("case", items, SourceRange(start: start, end: lastEnd))
  }
}
