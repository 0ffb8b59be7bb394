public import ShiftCore

/// The lexical class of a token.
public enum TokenKind: UInt8, Sendable, Hashable {
  /// Spaces, tabs, newlines.
  case whitespace
  /// `-- …` to the end of the line.
  case lineComment
  /// `/* … */`, nested in PostgreSQL.
  case blockComment
  /// An unquoted word: keyword or identifier.
  case word
  /// `"…"` (also SQLite's `[…]` and `` `…` ``, and PostgreSQL's `U&"…"`).
  case quotedIdentifier
  /// `'…'` including the prefixed forms `E'…'`, `N'…'`, `U&'…'`.
  case string
  /// `B'…'` and `X'…'`.
  case bitString
  /// `$tag$ … $tag$`.
  case dollarString
  /// A numeric literal.
  case number
  /// `$1` in PostgreSQL; `?`, `?NNN`, `:name`, `@name`, `$name` in SQLite.
  case parameter
  /// An operator such as `=`, `<>`, `->>`, `||`, `::`.
  case op
  case leftParen
  case rightParen
  case leftBracket
  case rightBracket
  case comma
  case semicolon
  case dot
  case colon
  /// A psql meta-command line (`\set`, `\connect`, `\i`), up to the end of the line.
  case psqlMeta
  /// The data lines of `COPY … FROM stdin;` up to and including the `\.` line.
  case copyData
  /// A string, identifier, dollar quote or comment that runs to the end of the input.
  case unterminated
  /// A byte that cannot start any token.
  case invalid

  /// Whitespace and comments: tokens the parser skips.
  public var isTrivia: Bool {
    switch self {
    case .whitespace, .lineComment, .blockComment: true
    default: false
    }
  }
}

/// One token: a kind and a byte range into the source, plus a keyword code for words.
public struct Token: Sendable, Hashable {
  /// The lexical class.
  public var kind: TokenKind
  /// The keyword this word spells (case-insensitively), or `.none`.
  public var keyword: Keyword
  /// Offset of the first byte.
  public var start: Int
  /// Offset one past the last byte.
  public var end: Int

  /// Creates a token.
  public init(kind: TokenKind, keyword: Keyword = .none, start: Int, end: Int) {
    self.kind = kind
    self.keyword = keyword
    self.start = start
    self.end = end
  }

  /// The byte range of the token.
  public var range: SourceRange { SourceRange(start: start, end: end) }
}
