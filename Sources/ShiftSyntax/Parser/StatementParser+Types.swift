import ShiftCore

extension StatementParser {
  /// Parses a type name: multi-word SQL types, qualified names, modifiers and arrays.
  mutating func typeName() throws(SyntaxError) -> TypeName {
    dialect == .sqlite ? try sqliteTypeName() : try postgresTypeName()
  }

  private mutating func postgresTypeName() throws(SyntaxError) -> TypeName {
    let start = currentStart
    var written: String
    var canonical: String
    guard let first = current, first.kind == .word || first.kind == .quotedIdentifier else {
      throw error(expected: "a type name")
    }
    switch first.kind == .word ? first.keyword : .none {
    case .double where lookahead(1)?.keyword == .precision:
      index += 2
      written = "double precision"
      canonical = "float8"
    case .character, .char, .national:
      index += 1
      if first.keyword == .national { try expectOneOf([.character, .char]) }
      if eat(.varying) {
        written = "character varying"
        canonical = "varchar"
      } else {
        written = "character"
        canonical = "bpchar"
      }
    case .bit:
      index += 1
      if eat(.varying) {
        written = "bit varying"
        canonical = "varbit"
      } else {
        written = "bit"
        canonical = "bit"
      }
    case .timestamp, .time:
      index += 1
      let base = first.keyword == .timestamp ? "timestamp" : "time"
      var modifiers: [String] = []
      if at(kind: .leftParen) { modifiers = try typeModifiers() }
      var withZone = false
      if eat(.with) {
        try expect(.time)
        try expect(.zone)
        withZone = true
      } else if eat(.without) {
        try expect(.time)
        try expect(.zone)
      }
      written = base + (withZone ? " with time zone" : "")
      canonical = base + (withZone ? "tz" : "")
      return finishType(written, canonical, modifiers, start)
    case .interval:
      index += 1
      written = "interval"
      canonical = "interval"
      var modifiers: [String] = []
      while let field = current, field.kind == .word,
        [.year, .month, .day, .hour, .minute, .second, .to].contains(field.keyword)
      {
        index += 1
      }
      if at(kind: .leftParen) { modifiers = try typeModifiers() }
      return finishType(written, canonical, modifiers, start)
    default:
      let name = try qualifiedName("a type name")
      var parts = name.parts.map(\.value)
      if parts.count == 2, parts[0] == "pg_catalog" { parts.removeFirst() }
      written = parts.joined(separator: ".")
      // A quoted name is exact: `"char"` is the one-byte type, not `char(1)`.
      let isAlias = parts.count == 1 && !name.name.isQuoted
      canonical = isAlias ? Self.canonicalTypeNames[written] ?? written : written
    }
    var modifiers: [String] = []
    if at(kind: .leftParen) { modifiers = try typeModifiers() }
    if canonical == "float8", modifiers.count == 1, let precision = Int(modifiers[0]) {
      canonical = precision <= 24 ? "float4" : "float8"
      modifiers = []
    }
    return finishType(written, canonical, modifiers, start)
  }

  private mutating func expectOneOf(_ keywords: [Keyword]) throws(SyntaxError) {
    for keyword in keywords where eat(keyword) { return }
    throw error(expected: keywords.map { $0.rawValue.uppercased() }.joined(separator: " or "))
  }

  private mutating func finishType(
    _ written: String,
    _ canonical: String,
    _ modifiers: [String],
    _ start: Int
  ) -> TypeName {
    var dimensions = 0
    while true {
      if at(kind: .leftBracket) {
        var offset = 1
        if let inner = lookahead(offset), inner.kind == .number { offset += 1 }
        guard let close = lookahead(offset), close.kind == .rightBracket else { break }
        index += offset + 1
        dimensions += 1
      } else if at(.array) {
        index += 1
        dimensions += 1
        if at(kind: .leftBracket), lookahead(1)?.kind == .number,
          lookahead(2)?.kind == .rightBracket
        {
          index += 3
        }
      } else {
        break
      }
    }
    return TypeName(
      name: written,
      canonicalName: canonical,
      modifiers: modifiers,
      arrayDimensions: dimensions,
      range: SourceRange(start: start, end: lastEnd)
    )
  }

  /// `( value [, value …] )` after a type name.
  private mutating func typeModifiers() throws(SyntaxError) -> [String] {
    try expect(kind: .leftParen, "'('")
    var modifiers: [String] = []
    repeat {
      guard let token = current, token.kind != .rightParen else { break }
      var textValue = ""
      while let part = current, part.kind != .comma, part.kind != .rightParen {
        if part.kind == .leftParen { throw error(expected: "a type modifier") }
        textValue += text(part)
        index += 1
      }
      if textValue.isEmpty { throw error(expected: "a type modifier") }
      modifiers.append(textValue.lowercased())
    } while eat(kind: .comma)
    try expect(kind: .rightParen, "')'")
    return modifiers
  }

  /// SQLite: any sequence of words not starting a constraint, then `(n)` or `(n, m)`.
  private mutating func sqliteTypeName() throws(SyntaxError) -> TypeName {
    let start = currentStart
    var words: [String] = []
    while let token = current, token.kind == .word || token.kind == .quotedIdentifier,
      !Self.sqliteConstraintStarts.contains(token.keyword)
    {
      words.append(token.kind == .word ? foldedWord(token) : unquoteIdentifier(token))
      index += 1
    }
    if words.isEmpty { throw error(expected: "a type name") }
    var modifiers: [String] = []
    if at(kind: .leftParen) { modifiers = try typeModifiers() }
    let written = words.joined(separator: " ")
    return TypeName(
      name: written,
      canonicalName: written,
      modifiers: modifiers,
      arrayDimensions: 0,
      range: SourceRange(start: start, end: lastEnd)
    )
  }

  static let sqliteConstraintStarts: Set<Keyword> = [
    .constraint, .primary, .not, .null, .unique, .check, .default, .collate, .references,
    .generated, .as,
  ]

  static let canonicalTypeNames: [String: String] = [
    "int": "int4", "integer": "int4", "int4": "int4",
    "smallint": "int2", "int2": "int2",
    "bigint": "int8", "int8": "int8",
    "real": "float4", "float4": "float4",
    "float": "float8", "float8": "float8",
    "numeric": "numeric", "decimal": "numeric", "dec": "numeric",
    "boolean": "bool", "bool": "bool",
    "varchar": "varchar",
    "char": "bpchar", "bpchar": "bpchar",
    "timestamptz": "timestamptz", "timetz": "timetz",
    "varbit": "varbit",
  ]
}
