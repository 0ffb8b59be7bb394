public import ShiftCore

/// What kind of quoted or commented text ran to the end of the input.
public enum UnterminatedKind: String, Sendable, Hashable {
  case string = "quoted string"
  case quotedIdentifier = "quoted identifier"
  case dollarQuote = "dollar-quoted string"
  case blockComment = "block comment"
}

/// A lossless byte lexer for PostgreSQL and SQLite.
///
/// Every byte of the input belongs to exactly one token, so the tokens concatenate back to
/// the input (whitespace and comments are tokens too). The lexer never fails: text that
/// cannot be lexed becomes an ``TokenKind/unterminated`` or ``TokenKind/invalid`` token,
/// and the parser reports it with its location.
///
/// The lexer borrows the bytes for its lifetime; use it inside `withUnsafeBufferPointer`
/// or through ``tokenize(_:dialect:)``.
public struct Lexer {
  @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
  @usableFromInline let dialect: Dialect
  @usableFromInline var position: Int
  private let keywords = KeywordTable.shared

  /// Set when a token ran to the end of the input: what it was.
  public private(set) var unterminatedKind: UnterminatedKind?

  // COPY … FROM STDIN tracking: data lines follow the terminating semicolon.
  private var atStatementStart = true
  private var copyState: UInt8 = 0
  private var copyDataPending = false

  /// Creates a lexer over borrowed bytes, starting at `start`.
  public init(bytes: UnsafeBufferPointer<UInt8>, dialect: Dialect, start: Int = 0) {
    self.bytes = bytes
    self.dialect = dialect
    self.position = start
  }

  /// Lexes a whole source into its lossless token stream.
  public static func tokenize(_ source: SourceFile, dialect: Dialect) -> [Token] {
    source.bytes.withUnsafeBufferPointer { buffer in
      var lexer = Lexer(bytes: buffer, dialect: dialect)
      var tokens: [Token] = []
      tokens.reserveCapacity(buffer.count / 4 + 1)
      while let token = lexer.next() { tokens.append(token) }
      return tokens
    }
  }

  /// The next token, or `nil` at the end of the input.
  public mutating func next() -> Token? {
    let count = bytes.count
    guard position < count else { return nil }
    let start = position
    if copyDataPending, start == 0 || bytes[start - 1] == 0x0A {
      copyDataPending = false
      return lexCopyData(start)
    }
    // A UTF-8 byte order mark (EF BB BF) at the start of a file, as some editors write it,
    // is not part of the SQL: lex it as whitespace.
    if start == 0, count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
      position = 3
      return Token(kind: .whitespace, start: 0, end: 3)
    }
    let byte = bytes[start]
    let token: Token
    switch byte {
    case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
      token = lexWhitespace(start)
    case UInt8(ascii: "-") where peek(start + 1) == UInt8(ascii: "-"):
      var index = start + 2
      while index < count, bytes[index] != 0x0A { index += 1 }
      position = index
      token = Token(kind: .lineComment, start: start, end: index)
    case UInt8(ascii: "/") where peek(start + 1) == UInt8(ascii: "*"):
      token = lexBlockComment(start)
    case UInt8(ascii: "'"):
      token = lexQuoted(start, bodyStart: start + 1, kind: .string, backslashEscapes: false)
    case UInt8(ascii: "\""):
      token = lexQuoted(
        start,
        bodyStart: start + 1,
        kind: .quotedIdentifier,
        backslashEscapes: false
      )
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      token = lexNumber(start)
    case UInt8(ascii: "."):
      if let next = peek(start + 1), next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
        token = lexNumber(start)
      } else {
        position = start + 1
        token = Token(kind: .dot, start: start, end: start + 1)
      }
    case UInt8(ascii: "("): token = single(.leftParen, start)
    case UInt8(ascii: ")"): token = single(.rightParen, start)
    case UInt8(ascii: ","): token = single(.comma, start)
    case UInt8(ascii: ";"): token = single(.semicolon, start)
    case UInt8(ascii: "]"): token = single(.rightBracket, start)
    case UInt8(ascii: "["):
      if dialect == .sqlite {
        token = lexBracketIdentifier(start)
      } else {
        token = single(.leftBracket, start)
      }
    case UInt8(ascii: "`") where dialect == .sqlite:
      token = lexQuoted(
        start,
        bodyStart: start + 1,
        kind: .quotedIdentifier,
        backslashEscapes: false
      )
    case UInt8(ascii: ":"):
      token = lexColon(start)
    case UInt8(ascii: "$"):
      token = lexDollar(start)
    case UInt8(ascii: "?") where dialect == .sqlite:
      var index = start + 1
      while index < count, isDigit(bytes[index]) { index += 1 }
      position = index
      token = Token(kind: .parameter, start: start, end: index)
    case UInt8(ascii: "@") where dialect == .sqlite:
      token = lexNamedParameter(start)
    case UInt8(ascii: "\\") where dialect == .postgres:
      var index = start + 1
      while index < count, bytes[index] != 0x0A { index += 1 }
      position = index
      token = Token(kind: .psqlMeta, start: start, end: index)
    default:
      if isIdentifierStart(byte) {
        token = lexWordOrPrefixedLiteral(start)
      } else if isOperatorByte(byte) {
        token = lexOperator(start)
      } else {
        position = start + 1
        token = Token(kind: .invalid, start: start, end: start + 1)
      }
    }
    track(token)
    return token
  }

  // MARK: - Statement-level tracking for COPY … FROM STDIN

  private mutating func track(_ token: Token) {
    guard dialect == .postgres, !token.kind.isTrivia, token.kind != .copyData,
      token.kind != .psqlMeta
    else { return }
    if token.kind == .semicolon {
      if copyState == 3 { copyDataPending = true }
      copyState = 0
      atStatementStart = true
      return
    }
    if atStatementStart {
      atStatementStart = false
      copyState = token.keyword == .copy ? 1 : 0
      return
    }
    switch copyState {
    case 1 where token.keyword == .from: copyState = 2
    case 2: copyState = token.keyword == .stdin ? 3 : 1
    default: break
    }
  }

  private mutating func lexCopyData(_ start: Int) -> Token {
    let count = bytes.count
    var lineStart = start
    while lineStart < count {
      var lineEnd = lineStart
      while lineEnd < count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      var contentEnd = lineEnd
      if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      if contentEnd - lineStart == 2, bytes[lineStart] == UInt8(ascii: "\\"),
        bytes[lineStart + 1] == UInt8(ascii: ".")
      {
        position = contentEnd
        return Token(kind: .copyData, start: start, end: contentEnd)
      }
      lineStart = lineEnd + 1
    }
    position = count
    return Token(kind: .copyData, start: start, end: count)
  }

  // MARK: - Token forms

  @inline(__always)
  private func peek(_ index: Int) -> UInt8? {
    index < bytes.count ? bytes[index] : nil
  }

  @inline(__always)
  private mutating func single(_ kind: TokenKind, _ start: Int) -> Token {
    position = start + 1
    return Token(kind: kind, start: start, end: start + 1)
  }

  private mutating func lexWhitespace(_ start: Int) -> Token {
    var index = start
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { break }
      index += 1
      // Data of COPY … FROM STDIN begins on the line after the command.
      if byte == 0x0A, copyDataPending { break }
    }
    position = index
    return Token(kind: .whitespace, start: start, end: index)
  }

  private mutating func lexBlockComment(_ start: Int) -> Token {
    let count = bytes.count
    var index = start + 2
    var depth = 1
    while index < count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "*"), index + 1 < count, bytes[index + 1] == UInt8(ascii: "/") {
        depth -= 1
        index += 2
        if depth == 0 {
          position = index
          return Token(kind: .blockComment, start: start, end: index)
        }
      } else if byte == UInt8(ascii: "/"), index + 1 < count,
        bytes[index + 1] == UInt8(ascii: "*"), dialect == .postgres
      {
        depth += 1
        index += 2
      } else {
        index += 1
      }
    }
    return unterminated(.blockComment, start)
  }

  private mutating func unterminated(_ kind: UnterminatedKind, _ start: Int) -> Token {
    position = bytes.count
    if unterminatedKind == nil { unterminatedKind = kind }
    return Token(kind: .unterminated, start: start, end: bytes.count)
  }

  /// Lexes `'…'` or `"…"` (doubled quote escapes) starting with the quote at `bodyStart - 1`.
  private mutating func lexQuoted(
    _ start: Int,
    bodyStart: Int,
    kind: TokenKind,
    backslashEscapes: Bool
  ) -> Token {
    let quote = bytes[bodyStart - 1]
    let count = bytes.count
    var index = bodyStart
    while index < count {
      let byte = bytes[index]
      if byte == quote {
        if index + 1 < count, bytes[index + 1] == quote {
          index += 2
          continue
        }
        position = index + 1
        return Token(kind: kind, start: start, end: index + 1)
      }
      if backslashEscapes, byte == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      index += 1
    }
    return unterminated(kind == .quotedIdentifier ? .quotedIdentifier : .string, start)
  }

  private mutating func lexBracketIdentifier(_ start: Int) -> Token {
    let count = bytes.count
    var index = start + 1
    while index < count {
      if bytes[index] == UInt8(ascii: "]") {
        position = index + 1
        return Token(kind: .quotedIdentifier, start: start, end: index + 1)
      }
      index += 1
    }
    return unterminated(.quotedIdentifier, start)
  }

  private mutating func lexNumber(_ start: Int) -> Token {
    let count = bytes.count
    var index = start
    if bytes[index] == UInt8(ascii: "0"), index + 1 < count {
      let marker = bytes[index + 1] | 0x20
      if marker == UInt8(ascii: "x") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "b") {
        var end = index + 2
        while end < count, isHexDigit(bytes[end]) || bytes[end] == UInt8(ascii: "_") { end += 1 }
        if end > index + 2 {
          position = end
          return Token(kind: .number, start: start, end: end)
        }
      }
    }
    while index < count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
    if index < count, bytes[index] == UInt8(ascii: "."),
      !(index + 1 < count && bytes[index + 1] == UInt8(ascii: "."))
    {
      index += 1
      while index < count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
    }
    if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      var end = index + 1
      if end < count, bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-") {
        end += 1
      }
      if end < count, isDigit(bytes[end]) {
        while end < count, isDigit(bytes[end]) { end += 1 }
        index = end
      }
    }
    position = index
    return Token(kind: .number, start: start, end: index)
  }

  private mutating func lexColon(_ start: Int) -> Token {
    let next = peek(start + 1)
    if next == UInt8(ascii: ":") || next == UInt8(ascii: "=") {
      position = start + 2
      return Token(kind: .op, start: start, end: start + 2)
    }
    if dialect == .sqlite, let next, isIdentifierStart(next) {
      return lexNamedParameter(start)
    }
    return single(.colon, start)
  }

  /// SQLite's `:name`, `@name`, `$name`, including Tcl-style `$a::b` and `$a(index)`.
  private mutating func lexNamedParameter(_ start: Int) -> Token {
    let count = bytes.count
    var index = start + 1
    var nameLength = 0
    var kind = TokenKind.parameter
    while index < count {
      let byte = bytes[index]
      if isIdentifierContinue(byte) {
        index += 1
        nameLength += 1
      } else if byte == UInt8(ascii: ":"), index + 1 < count, bytes[index + 1] == UInt8(ascii: ":")
      {
        index += 2
      } else if byte == UInt8(ascii: "("), nameLength > 0 {
        // Up to `)`; whitespace or the end first makes the token illegal, as in SQLite.
        index += 1
        while index < count, bytes[index] != UInt8(ascii: ")"), !isSpace(bytes[index]) {
          index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ")") {
          index += 1
        } else {
          kind = .invalid
        }
        break
      } else {
        break
      }
    }
    position = index
    return Token(kind: nameLength > 0 ? kind : .invalid, start: start, end: index)
  }

  @inline(__always)
  func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

  private mutating func lexDollar(_ start: Int) -> Token {
    let count = bytes.count
    var index = start + 1
    if dialect == .postgres {
      if index < count, isDigit(bytes[index]) {
        while index < count, isDigit(bytes[index]) { index += 1 }
        position = index
        return Token(kind: .parameter, start: start, end: index)
      }
      // Dollar-quote opening delimiter: $tag$ with a tag that does not start with a digit.
      if index < count, isIdentifierStart(bytes[index]) {
        while index < count, isIdentifierContinue(bytes[index]), bytes[index] != UInt8(ascii: "$") {
          index += 1
        }
      }
      guard index < count, bytes[index] == UInt8(ascii: "$") else {
        position = start + 1
        return Token(kind: .invalid, start: start, end: start + 1)
      }
      let tagLength = index - start + 1
      var search = index + 1
      while search < count {
        if bytes[search] == UInt8(ascii: "$"), search + tagLength <= count {
          var matches = true
          var offset = 1
          while offset < tagLength {
            if bytes[search + offset] != bytes[start + offset] {
              matches = false
              break
            }
            offset += 1
          }
          if matches {
            position = search + tagLength
            return Token(kind: .dollarString, start: start, end: position)
          }
        }
        search += 1
      }
      return unterminated(.dollarQuote, start)
    }
    return lexNamedParameter(start)
  }

  private mutating func lexWordOrPrefixedLiteral(_ start: Int) -> Token {
    let count = bytes.count
    let first = bytes[start] | 0x20
    if let second = peek(start + 1) {
      if second == UInt8(ascii: "'") {
        switch first {
        case UInt8(ascii: "e") where dialect == .postgres:
          return lexQuoted(start, bodyStart: start + 2, kind: .string, backslashEscapes: true)
        case UInt8(ascii: "n") where dialect == .postgres:
          return lexQuoted(start, bodyStart: start + 2, kind: .string, backslashEscapes: false)
        case UInt8(ascii: "b") where dialect == .postgres, UInt8(ascii: "x"):
          return lexQuoted(start, bodyStart: start + 2, kind: .bitString, backslashEscapes: false)
        default: break
        }
      } else if first == UInt8(ascii: "u"), second == UInt8(ascii: "&"), dialect == .postgres,
        let third = peek(start + 2), third == UInt8(ascii: "'") || third == UInt8(ascii: "\"")
      {
        return lexQuoted(
          start,
          bodyStart: start + 3,
          kind: third == UInt8(ascii: "'") ? .string : .quotedIdentifier,
          backslashEscapes: false
        )
      }
    }
    var index = start + 1
    while index < count, isIdentifierContinue(bytes[index]) { index += 1 }
    position = index
    return Token(
      kind: .word,
      keyword: keywords.lookup(bytes, start, index),
      start: start,
      end: index
    )
  }

  /// SQLite's two-byte operators (`->>` is `->` plus one byte).
  private static let sqliteOperatorPairs: [(UInt8, UInt8)] = [
    "<=", "<>", "<<", ">=", ">>", "==", "!=", "||", "->",
  ]
  .map { (pair: StaticString) in (pair.utf8Start[0], pair.utf8Start[1]) }

  /// SQLite lexes operators from a fixed set, longest first: `a||-1` is `||`, `-`, `1`.
  private mutating func lexSQLiteOperator(_ start: Int) -> Token {
    var length = 1
    if let second = peek(start + 1),
      Self.sqliteOperatorPairs.contains(where: { $0.0 == bytes[start] && $0.1 == second })
    {
      length = 2
      if bytes[start] == UInt8(ascii: "-"), peek(start + 2) == UInt8(ascii: ">") { length = 3 }
    }
    position = start + length
    return Token(kind: .op, start: start, end: start + length)
  }

  private mutating func lexOperator(_ start: Int) -> Token {
    if dialect == .sqlite { return lexSQLiteOperator(start) }
    let count = bytes.count
    var index = start
    var hasSpecial = false
    while index < count, isOperatorByte(bytes[index]) {
      let byte = bytes[index]
      // A comment start ends the operator: `=--x` is `=` then a comment.
      if index > start, index + 1 < count {
        let next = bytes[index + 1]
        if (byte == UInt8(ascii: "-") && next == UInt8(ascii: "-"))
          || (byte == UInt8(ascii: "/") && next == UInt8(ascii: "*"))
        {
          break
        }
      }
      switch byte {
      case UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "@"), UInt8(ascii: "#"),
        UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"), UInt8(ascii: "|"),
        UInt8(ascii: "`"), UInt8(ascii: "?"):
        hasSpecial = true
      default: break
      }
      index += 1
    }
    // PostgreSQL: a multi-character operator cannot end in + or - unless it contains
    // one of ~ ! @ # % ^ & | ` ?, so `=-1` lexes as `=` followed by `-1`.
    if !hasSpecial {
      while index - start > 1,
        bytes[index - 1] == UInt8(ascii: "+") || bytes[index - 1] == UInt8(ascii: "-")
      {
        index -= 1
      }
    }
    position = index
    return Token(kind: .op, start: start, end: index)
  }

  // MARK: - Byte classes

  @inline(__always)
  func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  @inline(__always)
  func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
  }

  @inline(__always)
  func isIdentifierStart(_ byte: UInt8) -> Bool {
    let lower = byte | 0x20
    return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
      || byte >= 0x80
  }

  @inline(__always)
  func isIdentifierContinue(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || isDigit(byte) || byte == UInt8(ascii: "$")
  }

  @inline(__always)
  func isOperatorByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"),
      UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "~"),
      UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "^"), UInt8(ascii: "&"),
      UInt8(ascii: "|"):
      return true
    case UInt8(ascii: "@"), UInt8(ascii: "#"), UInt8(ascii: "?"), UInt8(ascii: "`"):
      return dialect == .postgres
    default:
      return false
    }
  }
}
