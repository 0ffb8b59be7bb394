import ShiftCore

/// Recursive-descent parser for one statement's significant tokens.
///
/// Strict where the grammar is clear (names, parentheses, the shape of each action), so a
/// broken statement gets a located "expected …" error; tolerant in option tails it does not
/// model, which it skips with balanced parentheses rather than rejecting valid SQL.
struct StatementParser {
  let source: SourceFile
  let bytes: UnsafeBufferPointer<UInt8>
  let dialect: Dialect
  let tokens: [Token]
  /// Offset of the `;` that ends the statement, where "found end of statement" points.
  let terminator: Int?
  var index = 0

  init(
    source: SourceFile,
    bytes: UnsafeBufferPointer<UInt8>,
    dialect: Dialect,
    tokens: [Token],
    terminator: Int? = nil
  ) {
    self.source = source
    self.bytes = bytes
    self.dialect = dialect
    self.tokens = tokens
    self.terminator = terminator
  }

  // MARK: - Token access

  var isAtEnd: Bool { index >= tokens.count }

  var current: Token? { index < tokens.count ? tokens[index] : nil }

  func lookahead(_ offset: Int) -> Token? {
    let position = index + offset
    return position < tokens.count ? tokens[position] : nil
  }

  /// End offset of the last consumed token (or the start of the statement).
  var lastEnd: Int {
    if index > 0, index - 1 < tokens.count { return tokens[index - 1].end }
    return tokens.first?.start ?? 0
  }

  /// Start offset of the current token (or the end of the statement).
  var currentStart: Int { current?.start ?? lastEnd }

  func at(_ keyword: Keyword) -> Bool {
    guard let token = current else { return false }
    return token.kind == .word && token.keyword == keyword
  }

  func at(_ keyword: Keyword, _ next: Keyword) -> Bool {
    guard let first = current, let second = lookahead(1) else { return false }
    return first.kind == .word && first.keyword == keyword && second.kind == .word
      && second.keyword == next
  }

  func at(kind: TokenKind) -> Bool { current?.kind == kind }

  func atOperator(_ text: StaticString) -> Bool {
    guard let token = current, token.kind == .op else { return false }
    return tokenEquals(token, text)
  }

  func tokenEquals(_ token: Token, _ text: StaticString) -> Bool {
    let length = token.end - token.start
    guard length == text.utf8CodeUnitCount else { return false }
    let pointer = text.utf8Start
    for offset in 0..<length where bytes[token.start + offset] != pointer[offset] {
      return false
    }
    return true
  }

  @discardableResult
  mutating func eat(_ keyword: Keyword) -> Bool {
    if at(keyword) {
      index += 1
      return true
    }
    return false
  }

  @discardableResult
  mutating func eat(_ first: Keyword, _ second: Keyword) -> Bool {
    if at(first, second) {
      index += 2
      return true
    }
    return false
  }

  @discardableResult
  mutating func eat(kind: TokenKind) -> Bool {
    if at(kind: kind) {
      index += 1
      return true
    }
    return false
  }

  mutating func eatIfExists() -> Bool { eat(.if, .exists) }

  mutating func eatIfNotExists() -> Bool {
    if at(.if), let second = lookahead(1), second.keyword == .not, let third = lookahead(2),
      third.keyword == .exists
    {
      index += 3
      return true
    }
    return false
  }

  mutating func expect(_ keyword: Keyword) throws(SyntaxError) {
    guard eat(keyword) else { throw error(expected: keyword.rawValue.uppercased()) }
  }

  mutating func expect(kind: TokenKind, _ description: String) throws(SyntaxError) {
    guard eat(kind: kind) else { throw error(expected: description) }
  }

  /// An "expected …" error at the current token (or at the end of the statement).
  func error(expected: String) -> SyntaxError {
    if let token = current {
      let found = describe(token)
      return SyntaxError(
        kind: .unexpected(expected: expected),
        range: token.range,
        location: source.location(at: token.start),
        message: "expected \(expected), found \(found)"
      )
    }
    let end = terminator ?? lastEnd
    return SyntaxError(
      kind: .unexpectedEnd(expected: expected),
      range: SourceRange(start: end, end: terminator.map { $0 + 1 } ?? end),
      location: source.location(at: end),
      message: "expected \(expected), found end of statement"
    )
  }

  func describe(_ token: Token) -> String {
    switch token.kind {
    case .invalid: return "unexpected character '\(text(token))'"
    case .string, .dollarString: return "a string"
    case .number: return "number \(text(token))"
    default:
      let spelled = text(token)
      return "'" + (spelled.count > 30 ? String(spelled.prefix(30)) + "…" : spelled) + "'"
    }
  }

  func text(_ token: Token) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
  }

  func text(_ range: SourceRange) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range.start..<range.end]), as: UTF8.self)
  }

  /// The upper-cased spelling of a word token.
  func upper(_ token: Token) -> String {
    if token.keyword != .none { return token.keyword.rawValue.uppercased() }
    return text(token).uppercased()
  }

  /// Consumes the current word and returns it upper-cased.
  mutating func word() throws(SyntaxError) -> String {
    guard let token = current, token.kind == .word else { throw error(expected: "a keyword") }
    index += 1
    return upper(token)
  }

  // MARK: - Names

  var atIdentifier: Bool {
    guard let token = current else { return false }
    switch token.kind {
    case .word, .quotedIdentifier: return true
    case .string: return dialect == .sqlite
    default: return false
    }
  }

  mutating func identifier(_ what: String = "a name") throws(SyntaxError) -> Identifier {
    guard let token = current else { throw error(expected: what) }
    switch token.kind {
    case .word:
      index += 1
      return Identifier(foldedWord(token), isQuoted: false, range: token.range)
    case .quotedIdentifier:
      index += 1
      let escape = unicodeEscapeCharacter(after: token)
      return Identifier(
        unquoteIdentifier(token, escape: escape),
        isQuoted: true,
        range: token.range
      )
    case .string where dialect == .sqlite:
      index += 1
      return Identifier(unquoteString(token), isQuoted: true, range: token.range)
    default:
      throw error(expected: what)
    }
  }

  mutating func qualifiedName(_ what: String = "a name") throws(SyntaxError) -> QualifiedName {
    var parts = [try identifier(what)]
    while at(kind: .dot), let next = lookahead(1),
      next.kind == .word || next.kind == .quotedIdentifier
    {
      index += 1
      parts.append(try identifier(what))
    }
    return QualifiedName(parts)
  }

  mutating func qualifiedNameList(_ what: String) throws(SyntaxError) -> [QualifiedName] {
    var names = [try qualifiedName(what)]
    while eat(kind: .comma) { names.append(try qualifiedName(what)) }
    return names
  }

  /// `( name [, name …] )`, skipping per-column options such as `ASC` or `COLLATE`.
  mutating func parenthesizedIdentifiers(_ what: String = "a column name") throws(SyntaxError)
    -> [Identifier]
  {
    try expect(kind: .leftParen, "'('")
    var names: [Identifier] = []
    if eat(kind: .rightParen) { return names }
    repeat {
      names.append(try identifier(what))
      while let token = current, token.kind != .comma, token.kind != .rightParen {
        if token.kind == .leftParen { try skipParenthesized() } else { index += 1 }
      }
    } while eat(kind: .comma)
    try expect(kind: .rightParen, "',' or ')'")
    return names
  }

  func foldedWord(_ token: Token) -> String {
    var hasUpper = false
    for offset in token.start..<token.end {
      let byte = bytes[offset]
      if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
        hasUpper = true
        break
      }
    }
    let slice = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
    if !hasUpper { return String(decoding: slice, as: UTF8.self) }
    return String(unsafeUninitializedCapacity: slice.count) { buffer in
      for (offset, byte) in slice.enumerated() {
        buffer[offset] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
      }
      return slice.count
    }
  }

  /// For a `U&'…'` or `U&"…"` token: the escape character, consuming a following
  /// `UESCAPE 'c'`; `nil` for other tokens.
  mutating func unicodeEscapeCharacter(after token: Token) -> UInt8? {
    guard bytes[token.start] | 0x20 == UInt8(ascii: "u") else { return nil }
    if at(.uescape), let literal = lookahead(1), literal.kind == .string,
      literal.end - literal.start == 3
    {
      index += 2
      return bytes[literal.start + 1]
    }
    return UInt8(ascii: "\\")
  }

  /// Decodes the escapes of a `U&` body.
  ///
  /// Handles `\XXXX`, `\+XXXXXX` (UTF-16 surrogate pairs combined) and a doubled escape
  /// character; malformed escapes are kept as written.
  func decodeUnicodeEscapes(_ body: [UInt8], escape: UInt8) -> [UInt8] {
    func hexValue(_ offset: Int, _ count: Int) -> UInt32? {
      guard offset + count <= body.count else { return nil }
      var value: UInt32 = 0
      for byte in body[offset..<(offset + count)] {
        guard let digit = Int(String(UnicodeScalar(byte)), radix: 16) else { return nil }
        value = value * 16 + UInt32(digit)
      }
      return value
    }
    var result: [UInt8] = []
    result.reserveCapacity(body.count)
    var offset = 0
    while offset < body.count {
      let byte = body[offset]
      guard byte == escape, offset + 1 < body.count else {
        result.append(byte)
        offset += 1
        continue
      }
      if body[offset + 1] == escape {
        result.append(escape)
        offset += 2
        continue
      }
      let isLong = body[offset + 1] == UInt8(ascii: "+")
      let digits = isLong ? 6 : 4
      let first = offset + (isLong ? 2 : 1)
      guard var value = hexValue(first, digits) else {
        result.append(byte)
        offset += 1
        continue
      }
      var end = first + digits
      if (0xD800...0xDBFF).contains(value), end < body.count, body[end] == escape,
        let low = hexValue(end + 1, 4), (0xDC00...0xDFFF).contains(low)
      {
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        end += 5
      }
      guard let scalar = Unicode.Scalar(value) else {
        result.append(byte)
        offset += 1
        continue
      }
      result.append(contentsOf: Array(String(Character(scalar)).utf8))
      offset = end
    }
    return result
  }

  func unquoteIdentifier(_ token: Token, escape: UInt8? = nil) -> String {
    var start = token.start
    let first = bytes[start]
    let isUnicode = first | 0x20 == UInt8(ascii: "u")
    if isUnicode { start += 2 }  // U&"…"
    let opening = bytes[start]
    let closing: UInt8 = opening == UInt8(ascii: "[") ? UInt8(ascii: "]") : opening
    let body = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<max(start + 1, token.end - 1)])
    if opening == UInt8(ascii: "[") { return String(decoding: body, as: UTF8.self) }
    var result: [UInt8] = []
    result.reserveCapacity(body.count)
    var offset = 0
    while offset < body.count {
      let byte = body[offset]
      result.append(byte)
      if byte == closing, offset + 1 < body.count, body[offset + 1] == closing { offset += 1 }
      offset += 1
    }
    if isUnicode { result = decodeUnicodeEscapes(result, escape: escape ?? UInt8(ascii: "\\")) }
    return String(decoding: result, as: UTF8.self)
  }

  /// The value of a string token.
  ///
  /// Quotes are removed, doubled quotes and (for `E'…'`) backslash escapes decoded, `U&`
  /// escapes decoded with `escape`; dollar quotes return their body.
  func unquoteString(_ token: Token, escape: UInt8? = nil) -> String {
    if token.kind == .dollarString {
      var tagEnd = token.start + 1
      while tagEnd < token.end, bytes[tagEnd] != UInt8(ascii: "$") { tagEnd += 1 }
      let tagLength = tagEnd - token.start + 1
      let bodyStart = token.start + tagLength
      let bodyEnd = max(bodyStart, token.end - tagLength)
      return text(SourceRange(start: bodyStart, end: bodyEnd))
    }
    var start = token.start
    var isEscaped = false
    let first = bytes[start] | 0x20
    if bytes[start] != UInt8(ascii: "'") {
      isEscaped = first == UInt8(ascii: "e")
      start += first == UInt8(ascii: "u") ? 2 : 1
    }
    let bodyStart = start + 1
    let bodyEnd = max(bodyStart, token.end - 1)
    var result: [UInt8] = []
    result.reserveCapacity(bodyEnd - bodyStart)
    var offset = bodyStart
    while offset < bodyEnd {
      let byte = bytes[offset]
      if byte == UInt8(ascii: "'"), offset + 1 < bodyEnd, bytes[offset + 1] == UInt8(ascii: "'") {
        result.append(byte)
        offset += 2
        continue
      }
      if isEscaped, byte == UInt8(ascii: "\\"), offset + 1 < bodyEnd {
        let next = bytes[offset + 1]
        switch next {
        case UInt8(ascii: "n"): result.append(0x0A)
        case UInt8(ascii: "t"): result.append(0x09)
        case UInt8(ascii: "r"): result.append(0x0D)
        case UInt8(ascii: "b"): result.append(0x08)
        case UInt8(ascii: "f"): result.append(0x0C)
        default: result.append(next)
        }
        offset += 2
        continue
      }
      result.append(byte)
      offset += 1
    }
    if first == UInt8(ascii: "u") {
      result = decodeUnicodeEscapes(result, escape: escape ?? UInt8(ascii: "\\"))
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// A string literal's value (single-quoted or dollar-quoted).
  mutating func stringLiteral(_ what: String = "a string literal") throws(SyntaxError) -> String {
    guard let token = current, token.kind == .string || token.kind == .dollarString else {
      throw error(expected: what)
    }
    index += 1
    return unquoteString(token)
  }

  // MARK: - Skipping

  /// Skips a parenthesized group starting at the current `(`.
  mutating func skipParenthesized() throws(SyntaxError) {
    try expect(kind: .leftParen, "'('")
    var depth = 1
    while let token = current {
      index += 1
      if token.kind == .leftParen {
        depth += 1
      } else if token.kind == .rightParen {
        depth -= 1
        if depth == 0 { return }
      }
    }
    throw error(expected: "')'")
  }

  /// Skips tokens up to (not including) a top-level comma or the end of the statement.
  mutating func skipToTopLevelComma() throws(SyntaxError) {
    while let token = current, token.kind != .comma {
      if token.kind == .leftParen {
        try skipParenthesized()
      } else if token.kind == .rightParen {
        return
      } else {
        index += 1
      }
    }
  }

  /// Skips the rest of the statement, checking only that parentheses balance.
  mutating func skipRest() throws(SyntaxError) {
    while let token = current {
      if token.kind == .leftParen {
        try skipParenthesized()
      } else if token.kind == .rightParen {
        throw error(expected: "no ')' without a matching '('")
      } else {
        index += 1
      }
    }
  }

  /// Skips the rest of the statement, collecting the names after FROM/JOIN (for views).
  ///
  /// `FROM` inside a function call's parentheses (`extract(year FROM d)`) or after
  /// `IS DISTINCT` is not a relation list; functions in FROM (`generate_series(…)`) and the
  /// query's own common table expressions are not relations.
  mutating func skipQueryCollectingRelations() throws(SyntaxError) -> [QualifiedName] {
    var relations: [QualifiedName] = []
    var commonTables: [Identifier] = []
    // One entry per parenthesis level: whether it holds a function's arguments, and whether
    // a FROM clause is open there (so a top-level comma starts another relation).
    var levels: [(isCall: Bool, inFrom: Bool)] = [(false, false)]
    while let token = current {
      let level = levels.count - 1
      switch token.kind {
      case .leftParen:
        levels.append((opensCallArguments, false))
        index += 1
      case .rightParen:
        guard levels.count > 1 else { throw error(expected: "no ')' without a matching '('") }
        levels.removeLast()
        index += 1
      case .comma where levels[level].inFrom:
        index += 1
        relations += collectRelation()
      case .word where token.keyword == .with:
        var probe = self
        commonTables += probe.commonTableNames()
        index += 1
      case .word where token.keyword == .from || token.keyword == .join:
        let isRelationList =
          !levels[level].isCall
          && !(token.keyword == .from && index > 0 && tokens[index - 1].keyword == .distinct)
        index += 1
        guard isRelationList else { continue }
        levels[level].inFrom = true
        relations += collectRelation()
      case .word where Self.fromClauseEnds.contains(token.keyword):
        levels[level].inFrom = false
        index += 1
      default:
        index += 1
      }
    }
    if levels.count > 1 { throw error(expected: "')'") }
    return relations.filter { relation in
      relation.parts.count > 1 || !commonTables.contains(relation.name)
    }
  }

  /// Keywords after which a top-level comma no longer separates FROM items.
  private static let fromClauseEnds: Set<Keyword> = [
    .where, .group, .having, .window, .order, .limit, .offset, .fetch, .for, .intersect,
    .except, .returning, .select, .values,
  ]

  /// One FROM item after FROM, JOIN or a comma: `[ONLY] name [*] [[AS] alias [(…)]]`; a
  /// function call or subquery there is no relation.
  private mutating func collectRelation() -> [QualifiedName] {
    eat(.only)
    guard atIdentifier, current?.kind != .string, !at(.select), !at(.lateral),
      let name = try? qualifiedName()
    else { return [] }
    if atOperator("*") { index += 1 }
    if at(kind: .leftParen) { return [] }  // a function in FROM; the loop skips its arguments
    if eat(.as) {
      _ = try? identifier()
    } else if let next = current, next.kind == .word, next.keyword == .none {
      index += 1
    }
    return [name]
  }

  /// Whether the `(` at the current token starts a function's arguments rather than a
  /// subquery, a list or a grouping.
  private var opensCallArguments: Bool {
    guard index > 0, let next = lookahead(1) else { return false }
    if [.select, .with, .values, .table].contains(next.keyword) { return false }
    let previous = tokens[index - 1]
    guard previous.kind == .word || previous.kind == .quotedIdentifier else { return false }
    return previous.kind == .quotedIdentifier
      || ![
        .from, .join, .as, .in, .exists, .any, .all, .some, .array, .lateral, .on, .using,
        .where, .and, .or, .not, .select, .then, .else, .when, .by, .values, .row, .with,
        .materialized,
      ].contains(previous.keyword)
  }

  /// The names `WITH [RECURSIVE] name [(…)] AS [[NOT] MATERIALIZED] (…), …` defines, read
  /// from the current `WITH`; empty when it is another use of WITH.
  private mutating func commonTableNames() -> [Identifier] {
    var names: [Identifier] = []
    guard eat(.with) else { return names }
    eat(.recursive)
    repeat {
      guard atIdentifier, let name = try? identifier() else { return names }
      if at(kind: .leftParen), (try? skipParenthesized()) == nil { return names }
      guard eat(.as) else { return names }
      eat(.not)
      eat(.materialized)
      guard at(kind: .leftParen), (try? skipParenthesized()) != nil else { return names }
      names.append(name)
    } while eat(kind: .comma)
    return names
  }

  /// Requires the end of the statement.
  func expectEnd() throws(SyntaxError) {
    if !isAtEnd { throw error(expected: "end of statement") }
  }

  /// Upper-cased words until the end (for flags of loosely modelled statements).
  mutating func remainingWords() throws(SyntaxError) -> [String] {
    var words: [String] = []
    while let token = current {
      if token.kind == .leftParen {
        try skipParenthesized()
        continue
      }
      if token.kind == .rightParen { throw error(expected: "no ')' without a matching '('") }
      if token.kind == .word { words.append(upper(token)) }
      index += 1
    }
    return words
  }
}
