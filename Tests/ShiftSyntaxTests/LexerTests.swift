import ShiftCore
import ShiftSyntax
import Testing

/// A token as kind and text, for comparing token streams.
struct Lexeme: Sendable, Equatable, CustomStringConvertible {
  var kind: TokenKind
  var text: String

  init(_ kind: TokenKind, _ text: String) {
    self.kind = kind
    self.text = text
  }

  var description: String { "\(kind) \(text.debugDescription)" }
}

/// SQL and the tokens it lexes to, whitespace left out.
struct LexCase: Sendable, CustomTestStringConvertible {
  var id: String
  var dialect: Dialect
  var sql: String
  var tokens: [Lexeme]

  init(_ id: String, _ dialect: Dialect, _ sql: String, _ tokens: [Lexeme]) {
    self.id = id
    self.dialect = dialect
    self.sql = sql
    self.tokens = tokens
  }

  init(_ id: String, _ sql: String, _ tokens: [Lexeme]) {
    self.init(id, .postgres, sql, tokens)
  }

  var testDescription: String { id }
}

private func word(_ text: String) -> Lexeme { Lexeme(.word, text) }
private func op(_ text: String) -> Lexeme { Lexeme(.op, text) }
private func number(_ text: String) -> Lexeme { Lexeme(.number, text) }
private func string(_ text: String) -> Lexeme { Lexeme(.string, text) }
private func quoted(_ text: String) -> Lexeme { Lexeme(.quotedIdentifier, text) }
private func parameter(_ text: String) -> Lexeme { Lexeme(.parameter, text) }
private func dollar(_ text: String) -> Lexeme { Lexeme(.dollarString, text) }
private let comma = Lexeme(.comma, ",")
private let semicolon = Lexeme(.semicolon, ";")
private let select = word("SELECT")

/// Tokens of `sql` without whitespace.
private func lexemes(_ sql: String, _ dialect: Dialect) -> [Lexeme] {
  let source = SourceFile(path: "test.sql", text: sql)
  return Lexer.tokenize(source, dialect: dialect).filter { $0.kind != .whitespace }.map {
    Lexeme($0.kind, source.text($0.range))
  }
}

@Suite struct LexerTests {
  static let cases: [LexCase] = [
    // Dollar quotes
    LexCase(
      "dollar quote with a tag holds $$ and semicolons",
      "SELECT $fn$ a $$ b; $$ $fn$;",
      [select, dollar("$fn$ a $$ b; $$ $fn$"), semicolon]
    ),
    LexCase(
      "a line comment inside a dollar quote is body text",
      "SELECT $fn$ x -- not a comment; $$\n y $fn$;",
      [select, dollar("$fn$ x -- not a comment; $$\n y $fn$"), semicolon]
    ),
    LexCase(
      // Text inside a dollar quote is not lexed, so a closing tag in a `--` line ends it,
      // exactly as in PostgreSQL (`SELECT $fn$ a -- $fn$ AS x` returns 'a -- ').
      "the closing tag ends the quote even after -- in the body",
      "SELECT $fn$ a -- $fn$ AS x;",
      [select, dollar("$fn$ a -- $fn$"), word("AS"), word("x"), semicolon]
    ),
    LexCase(
      "$1 is a parameter and $a$ opens a quote",
      "SELECT $1, $a$x$a$, $12;",
      [select, parameter("$1"), comma, dollar("$a$x$a$"), comma, parameter("$12"), semicolon]
    ),
    LexCase(
      "empty dollar quote; tags are case-sensitive",
      "SELECT $$$$, $T$ $t$ $T$, $_$x$_$;",
      [select, dollar("$$$$"), comma, dollar("$T$ $t$ $T$"), comma, dollar("$_$x$_$"), semicolon]
    ),
    // Strings
    LexCase(
      "E strings honour backslash escapes, standard strings do not",
      #"SELECT E'it\'s', e'a\\', 'b\';"#,
      [select, string(#"E'it\'s'"#), comma, string(#"e'a\\'"#), comma, string(#"'b\'"#), semicolon]
    ),
    LexCase(
      "doubled quotes stay inside a string",
      "SELECT 'it''s', '', ';';",
      [select, string("'it''s'"), comma, string("''"), comma, string("';'"), semicolon]
    ),
    LexCase(
      "U& strings and U& identifiers",
      #"SELECT U&'d\0061t', U&"d\0061t", N'x';"#,
      [
        select, string(#"U&'d\0061t'"#), comma, quoted(#"U&"d\0061t""#), comma, string("N'x'"),
        semicolon,
      ]
    ),
    LexCase(
      "bit strings in both spellings",
      "SELECT B'1010', X'1F', b'0', x'ff';",
      [
        select, Lexeme(.bitString, "B'1010'"), comma, Lexeme(.bitString, "X'1F'"), comma,
        Lexeme(.bitString, "b'0'"), comma, Lexeme(.bitString, "x'ff'"), semicolon,
      ]
    ),
    LexCase(
      "doubled quotes in quoted identifiers",
      #"SELECT "a""b", "semi;colon";"#,
      [select, quoted(#""a""b""#), comma, quoted(#""semi;colon""#), semicolon]
    ),
    // Comments
    LexCase(
      "block comments nest in PostgreSQL",
      "SELECT /* a /* b */ c; */ 1;",
      [select, Lexeme(.blockComment, "/* a /* b */ c; */"), number("1"), semicolon]
    ),
    LexCase(
      "block comments do not nest in SQLite",
      .sqlite,
      "SELECT /* a /* b */ c */ 1;",
      [
        select, Lexeme(.blockComment, "/* a /* b */"), word("c"), op("*"), op("/"), number("1"),
        semicolon,
      ]
    ),
    LexCase(
      "a comment start ends an operator",
      "SELECT 5--3;\n+/* c */2;",
      [
        select, number("5"), Lexeme(.lineComment, "--3;"), op("+"),
        Lexeme(.blockComment, "/* c */"),
        number("2"), semicolon,
      ]
    ),
    // Numbers
    LexCase(
      "numeric literals",
      "SELECT 1, 1.5, .5, 5., 1e10, 1.5E-3, 2.5e+4;",
      [
        select, number("1"), comma, number("1.5"), comma, number(".5"), comma, number("5."), comma,
        number("1e10"), comma, number("1.5E-3"), comma, number("2.5e+4"), semicolon,
      ]
    ),
    LexCase(
      "an exponent marker without digits is not part of the number",
      "SELECT 1e, 2ex;",
      [select, number("1"), word("e"), comma, number("2"), word("ex"), semicolon]
    ),
    // Operators
    LexCase(
      "multi-character operators",
      "SELECT a->>b, a#>>b, a@>b, a<@b, a||b, a::b, a!=b, a<>b, a>=b, a<=b;",
      [
        select, word("a"), op("->>"), word("b"), comma, word("a"), op("#>>"), word("b"), comma,
        word("a"), op("@>"), word("b"), comma, word("a"), op("<@"), word("b"), comma, word("a"),
        op("||"), word("b"), comma, word("a"), op("::"), word("b"), comma, word("a"), op("!="),
        word("b"), comma, word("a"), op("<>"), word("b"), comma, word("a"), op(">="), word("b"),
        comma, word("a"), op("<="), word("b"), semicolon,
      ]
    ),
    LexCase(
      // PostgreSQL: a multi-character operator cannot end in + or - unless it contains one
      // of ~ ! @ # % ^ & | ` ?, so `=-1` is `=` and `-1`, while `@-` and `!=-` stay whole.
      "operators ending in + or - follow PostgreSQL's rule",
      "SELECT x=-1, x<=-1, x*-1, x=+1, x@-1, x!=-1;",
      [
        select, word("x"), op("="), op("-"), number("1"), comma, word("x"), op("<="), op("-"),
        number("1"), comma, word("x"), op("*"), op("-"), number("1"), comma, word("x"), op("="),
        op("+"), number("1"), comma, word("x"), op("@-"), number("1"), comma, word("x"),
        op("!=-"), number("1"), semicolon,
      ]
    ),
    LexCase(
      "SQLite operators are its fixed set, longest first",
      .sqlite,
      "SELECT a||-1, a<=-2, a->>'x', a==b, a<<2;",
      [
        select, word("a"), op("||"), op("-"), number("1"), comma, word("a"), op("<="), op("-"),
        number("2"), comma, word("a"), op("->>"), string("'x'"), comma, word("a"), op("=="),
        word("b"), comma, word("a"), op("<<"), number("2"), semicolon,
      ]
    ),
    LexCase(
      "brackets are subscripts in PostgreSQL",
      "SELECT a[1:2];",
      [
        select, word("a"), Lexeme(.leftBracket, "["), number("1"), Lexeme(.colon, ":"), number("2"),
        Lexeme(.rightBracket, "]"), semicolon,
      ]
    ),
    // psql
    LexCase(
      "a psql meta-command runs to the end of its line",
      "\\set ON_ERROR_STOP on\nSELECT 1;",
      [Lexeme(.psqlMeta, "\\set ON_ERROR_STOP on"), select, number("1"), semicolon]
    ),
    LexCase(
      "COPY FROM stdin data is one token up to the \\. line",
      "COPY t (a) FROM stdin;\nx;y\t'q\"\n$$ /*\n\\.\nSELECT 1;",
      [
        word("COPY"), word("t"), Lexeme(.leftParen, "("), word("a"), Lexeme(.rightParen, ")"),
        word("FROM"), word("stdin"), semicolon, Lexeme(.copyData, "x;y\t'q\"\n$$ /*\n\\."), select,
        number("1"), semicolon,
      ]
    ),
    LexCase(
      "COPY TO stdout has no data block",
      "COPY t TO stdout;\nSELECT 1;",
      [
        word("COPY"), word("t"), word("TO"), word("stdout"), semicolon, select, number("1"),
        semicolon,
      ]
    ),
    // SQLite quoting and parameters
    LexCase(
      "SQLite bracket, backtick and double-quoted identifiers",
      .sqlite,
      "SELECT [a b], `c``d`, \"e\"\"f\", [x]];",
      [
        select, quoted("[a b]"), comma, quoted("`c``d`"), comma, quoted("\"e\"\"f\""), comma,
        quoted("[x]"), Lexeme(.rightBracket, "]"), semicolon,
      ]
    ),
    LexCase(
      "SQLite parameters in every form",
      .sqlite,
      "SELECT ?, ?12, :name, @name, $name, $a::b, $v(x);",
      [
        select, parameter("?"), comma, parameter("?12"), comma, parameter(":name"), comma,
        parameter("@name"), comma, parameter("$name"), comma, parameter("$a::b"), comma,
        parameter("$v(x)"), semicolon,
      ]
    ),
    LexCase(
      "SQLite strings have no backslash escapes and no E or dollar forms",
      .sqlite,
      #"SELECT 'a\', E'x';"#,
      [select, string(#"'a\'"#), comma, word("E"), string("'x'"), semicolon]
    ),
    LexCase(
      "identifiers may hold $ and non-ASCII letters",
      "SELECT price$usd, café, 名前;",
      [select, word("price$usd"), comma, word("café"), comma, word("名前"), semicolon]
    ),
    // Unterminated and invalid input
    LexCase(
      "an unterminated string runs to the end",
      "SELECT 'abc;\nSELECT 1;",
      [select, Lexeme(.unterminated, "'abc;\nSELECT 1;")]
    ),
    LexCase(
      "a byte that starts no token is invalid",
      "SELECT {1};",
      [select, Lexeme(.invalid, "{"), number("1"), Lexeme(.invalid, "}"), semicolon]
    ),
  ]

  @Test(arguments: cases)
  func tokenKinds(_ testCase: LexCase) {
    #expect(lexemes(testCase.sql, testCase.dialect) == testCase.tokens)
  }

  @Test(arguments: cases)
  func tableCasesLexLosslessly(_ testCase: LexCase) {
    let source = SourceFile(path: "test.sql", text: testCase.sql)
    let tokens = Lexer.tokenize(source, dialect: testCase.dialect)
    #expect(tokens.map { source.text($0.range) }.joined() == testCase.sql)
  }

  @Test(arguments: FixtureFile.all)
  func tokensConcatenateToTheFile(_ file: FixtureFile) throws {
    let source = try file.source()
    let tokens = Lexer.tokenize(source, dialect: file.dialect)
    var reassembled: [UInt8] = []
    reassembled.reserveCapacity(source.bytes.count)
    var expectedStart = 0
    for token in tokens {
      #expect(token.start == expectedStart, "gap or overlap before \(token)")
      #expect(token.end > token.start, "empty token \(token)")
      expectedStart = token.end
      reassembled += source.bytes[token.start..<token.end]
    }
    #expect(expectedStart == source.bytes.count)
    #expect(reassembled == source.bytes)
  }

  @Test(arguments: FixtureFile.valid)
  func tokenLocationsMatchANaiveRecount(_ file: FixtureFile) throws {
    let source = try file.source()
    let text = try #require(String(validating: source.bytes, as: UTF8.self))
    // Walk the scalars once, recording (line, column) at each scalar's first byte.
    var expected: [Int: ShiftCore.SourceLocation] = [:]
    var offset = 0
    var line = 1
    var column = 1
    for scalar in text.unicodeScalars {
      expected[offset] = ShiftCore.SourceLocation(line: line, column: column)
      offset += scalar.utf8.count
      if scalar == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    let tokens = Lexer.tokenize(source, dialect: file.dialect)
    var checked = 0
    for token in tokens {
      let location = source.location(at: token.start)
      #expect(location == expected[token.start], "token at byte \(token.start)")
      #expect(location.line >= 1 && location.column >= 1)
      checked += 1
    }
    #expect(checked == tokens.count)
    if !source.bytes.isEmpty {
      #expect(source.location(at: source.bytes.count).line == line)
    }
  }

  @Test func keywordsMatchCaseInsensitively() {
    let source = SourceFile(path: "t.sql", text: "SeLeCt select SELECT selectx")
    let words = Lexer.tokenize(source, dialect: .postgres).filter { $0.kind == .word }
    #expect(words.map(\.keyword) == [.select, .select, .select, .none])
  }

  @Test func unterminatedKindIsReported() {
    let cases: [(String, UnterminatedKind)] = [
      ("SELECT 'a", .string), ("SELECT \"a", .quotedIdentifier), ("SELECT $x$ a $y$", .dollarQuote),
      ("/* a /* b */", .blockComment),
    ]
    for (sql, kind) in cases {
      let source = SourceFile(path: "t.sql", text: sql)
      source.bytes.withUnsafeBufferPointer { buffer in
        var lexer = Lexer(bytes: buffer, dialect: .postgres)
        var last: Token?
        while let token = lexer.next() { last = token }
        #expect(last?.kind == .unterminated, "\(sql)")
        #expect(lexer.unterminatedKind == kind, "\(sql)")
      }
    }
  }

  @Test func crlfLineEndingsCountAsOneLineBreak() {
    let source = SourceFile(path: "t.sql", text: "SELECT 1;\r\nSELECT 2;\r\n")
    let tokens = Lexer.tokenize(source, dialect: .postgres)
    let second = tokens.filter { $0.keyword == .select }[1]
    #expect(source.location(at: second.start) == ShiftCore.SourceLocation(line: 2, column: 1))
    #expect(source.lineText(1) == "SELECT 1;")
    #expect(source.lineCount == 2)
  }
}

@Suite struct UnicodeColumnTests {
  @Test func columnsCountUnicodeScalarsNotBytes() {
    let sql = "SELECT 'café'; SELECT 2;"
    let parsed = parse(sql)
    #expect(parsed.errors.isEmpty)
    try? #require(parsed.statements.count == 2)
    let second = parsed.statements[1]
    // 'é' is two bytes: the byte offset is 16, the column 16 (scalars), not 17.
    #expect(second.range.start == 16)
    #expect(
      parsed.source.location(at: second.range.start)
        == ShiftCore.SourceLocation(line: 1, column: 16)
    )
  }

  @Test func columnsCountAstralScalarsOnce() {
    let source = SourceFile(path: "t.sql", text: "-- 😀名\nSELECT '😀'; SELECT 3;")
    let offset = Array(source.bytes).count - "SELECT 3;".utf8.count
    #expect(source.location(at: offset) == ShiftCore.SourceLocation(line: 2, column: 13))
  }

  @Test func anOffsetInsideAScalarReportsThatScalar() {
    let source = SourceFile(path: "t.sql", text: "aé b")
    // Bytes: a(0) é(1,2) space(3) b(4).
    #expect(source.location(at: 1).column == 2)
    #expect(source.location(at: 2).column == 2)
    #expect(source.location(at: 3).column == 3)
    #expect(source.location(at: 4).column == 4)
  }
}
