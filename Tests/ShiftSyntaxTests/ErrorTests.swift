import Foundation
import ShiftCore
import ShiftSyntax
import Testing

/// The `-- expect: <what> at L:C` header of an invalid fixture.
private struct Expectation {
  var what: String
  var location: ShiftCore.SourceLocation

  init(_ bytes: [UInt8]) throws {
    let firstLine = bytes.prefix { $0 != 0x0A }
    let header = String(decoding: firstLine, as: UTF8.self)
    let prefix = "-- expect: "
    try #require(header.hasPrefix(prefix), "header: \(header)")
    let body = header.dropFirst(prefix.count)
    let at = try #require(body.range(of: " at ", options: .backwards))
    what = String(body[..<at.lowerBound])
    let numbers = body[at.upperBound...].split(separator: ":").compactMap { Int($0) }
    try #require(numbers.count == 2)
    location = ShiftCore.SourceLocation(line: numbers[0], column: numbers[1])
  }

  /// Whether `kind` is the kind of error `what` describes.
  func matches(_ kind: SyntaxError.Kind) -> Bool {
    switch kind {
    case .invalidUTF8: what == "invalid UTF-8"
    case .nulByte: what == "NUL byte"
    case .unterminated(let unterminated):
      what == "unterminated " + (unterminated == .string ? "string" : unterminated.rawValue)
    case .unexpected(let expected), .unexpectedEnd(let expected):
      what.hasPrefix("expected ") && expected.hasSuffix(what.dropFirst("expected ".count))
    case .binaryFile, .unexpectedCharacter: false
    }
  }
}

/// SQL with a syntax error, where it is and what kind it is.
struct ErrorCase: Sendable, CustomTestStringConvertible {
  var sql: String
  var line: Int
  var column: Int
  var kind: SyntaxError.Kind
  var testDescription: String { sql }
}

@Suite struct ErrorTests {
  @Test(arguments: FixtureFile.invalid)
  func invalidFixtureReportsItsErrorWhereTheHeaderSays(_ file: FixtureFile) throws {
    let bytes = try file.bytes()
    let expectation = try Expectation(bytes)
    let source = SourceFile(path: file.name, bytes: bytes)
    let parsed = SQLParser.parse(source, dialect: file.dialect)
    try #require(parsed.errors.count == 1, "\(parsed.errors)")
    let error = parsed.errors[0]
    #expect(error.location == expectation.location)
    #expect(expectation.matches(error.kind), "\(error.kind) for '\(expectation.what)'")
    for word in expectation.what.lowercased().split(separator: " ") {
      #expect(error.message.lowercased().contains(word), "'\(word)' not in '\(error.message)'")
    }
    #expect(error.range.start >= 0 && error.range.end <= bytes.count)
    #expect(source.location(at: error.range.start) == error.location)
    let lines = error.render(in: source).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(
      lines.first
        == "\(file.name):\(expectation.location.line):\(expectation.location.column): error: \(error.message)"
    )
  }

  @Test(arguments: [
    ("invalid/syntax_error_add_column.sql", "ALTER TABLE users ADD COLUMN nickname text"),
    ("invalid/syntax_error_create_index.sql", "CREATE INDEX users_email_idx ON users (email)"),
  ])
  func theRestOfTheFileIsParsedAfterASyntaxError(_ name: String, _ following: String) throws {
    let file = try #require(FixtureFile.invalid.first { $0.name == name })
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    let failing = try #require(parsed.statements.first { $0.syntaxError != nil })
    #expect(failing.kindName == "other")
    #expect(failing.syntaxError == parsed.errors.first)
    let last = try #require(parsed.statements.last)
    #expect(last.syntaxError == nil)
    #expect(parsed.source.text(last.range) == following)
    #expect(last.range.start > failing.range.end)
  }

  @Test(arguments: ["invalid/nul_byte.sql", "invalid/invalid_utf8.sql"])
  func encodingErrorsStopBeforeParsing(_ name: String) throws {
    let file = try #require(FixtureFile.invalid.first { $0.name == name })
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.statements.isEmpty)
    #expect(parsed.errors.count == 1)
  }

  static let syntaxCases: [ErrorCase] = [
    ErrorCase(
      sql: "ALTER TABLE users ADD COLUMN ;",
      line: 1,
      column: 30,
      kind: .unexpectedEnd(expected: "a column name")
    ),
    ErrorCase(
      sql: "CREATE INDEX i ON t USING btree a;",
      line: 1,
      column: 33,
      kind: .unexpected(expected: "'(' and the indexed columns")
    ),
    ErrorCase(
      sql: "SELECT 1;\nCREATE TABLE t (a int,);",
      line: 2,
      column: 23,
      kind: .unexpected(expected: "a column name")
    ),
    ErrorCase(
      sql: "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0",
      line: 1,
      column: 44,
      kind: .unexpectedEnd(expected: "')'")
    ),
    ErrorCase(
      sql: "LOCK t IN FOO MODE;",
      line: 1,
      column: 11,
      kind: .unexpected(expected: "a lock mode such as SHARE or ACCESS EXCLUSIVE")
    ),
    ErrorCase(sql: "UPDATE t SET a 1;", line: 1, column: 16, kind: .unexpected(expected: "'='")),
    ErrorCase(
      sql: "INSERT INTO t (a) VALUE (1);",
      line: 1,
      column: 19,
      kind: .unexpected(expected: "VALUES, SELECT or DEFAULT VALUES")
    ),
    ErrorCase(
      sql: "CREATE TRIGGER tr ON t EXECUTE FUNCTION f();",
      line: 1,
      column: 19,
      kind: .unexpected(expected: "BEFORE, AFTER or INSTEAD OF")
    ),
    ErrorCase(
      sql: "ALTER TABLE t RENAME COLUMN a b;",
      line: 1,
      column: 31,
      kind: .unexpected(expected: "TO")
    ),
    ErrorCase(
      sql: "ALTER TYPE e ADD VALUE x;",
      line: 1,
      column: 24,
      kind: .unexpected(expected: "an enum label")
    ),
    ErrorCase(
      sql: "ALTER TABLE;",
      line: 1,
      column: 12,
      kind: .unexpectedEnd(expected: "a table name")
    ),
    ErrorCase(
      sql: "DROP;",
      line: 1,
      column: 5,
      kind: .unexpectedEnd(expected: "an object type such as TABLE, INDEX or VIEW")
    ),
    ErrorCase(
      sql: "ALTER TABLE t ALTER COLUMN a SET;",
      line: 1,
      column: 33,
      kind: .unexpectedEnd(
        expected: "DEFAULT, NOT NULL, DATA TYPE, STATISTICS, STORAGE or a sequence option"
      )
    ),
    ErrorCase(sql: "SELECT 1; {;", line: 1, column: 11, kind: .unexpected(expected: "a statement")),
    ErrorCase(
      sql: "ALTER TABLE t ADD COLUMN a int DEFAULT;",
      line: 1,
      column: 39,
      kind: .unexpectedEnd(expected: "an expression")
    ),
  ]

  @Test(arguments: syntaxCases)
  func syntaxErrorsAreLocatedAtTheOffendingToken(_ testCase: ErrorCase) throws {
    let parsed = parse(testCase.sql)
    try #require(parsed.errors.count == 1, "\(parsed.errors)")
    let error = parsed.errors[0]
    #expect(
      error.location == ShiftCore.SourceLocation(line: testCase.line, column: testCase.column)
    )
    #expect(error.kind == testCase.kind)
    #expect(error.message.hasPrefix("expected "))
    #expect(error.message.contains(", found "))
    #expect(error.description == "\(testCase.line):\(testCase.column): \(error.message)")
  }

  @Test func renderShowsPathLineAndCaret() throws {
    let parsed = parse("ALTER TABLE users ADD COLUMN ;")
    let error = try #require(parsed.errors.first)
    #expect(
      error.render(in: parsed.source) == """
        test.sql:1:30: error: expected a column name, found end of statement
          ALTER TABLE users ADD COLUMN ;
        \(String(repeating: " ", count: 2 + 29))^
        """
    )
  }

  @Test func renderAlignsTheCaretAfterMultibyteCharacters() throws {
    let sql = "SELECT 1;\nALTER TABLE \"café\" ADD COLUMN ;"
    let parsed = parse(sql)
    let error = try #require(parsed.errors.first)
    // `é` is two bytes but one column: the `;` is column 31, byte column 32.
    #expect(error.location == ShiftCore.SourceLocation(line: 2, column: 31))
    let lines = error.render(in: parsed.source).split(
      separator: "\n",
      omittingEmptySubsequences: false
    )
    try #require(lines.count == 3)
    #expect(lines[0] == "test.sql:2:31: error: expected a column name, found end of statement")
    #expect(lines[1] == "  ALTER TABLE \"café\" ADD COLUMN ;")
    #expect(lines[2] == String(repeating: " ", count: 2 + 30) + "^")
    // The caret sits under the `;` when both are counted in characters.
    let caret = try #require(lines[2].firstIndex(of: "^"))
    let offset = lines[2].distance(from: lines[2].startIndex, to: caret)
    #expect(Array(lines[1])[offset] == ";")
  }

  @Test func renderKeepsTabsSoTheCaretLinesUp() throws {
    let parsed = parse("SELECT 1;\n\tCREATE INDEX ON;")
    let error = try #require(parsed.errors.first)
    #expect(error.location == ShiftCore.SourceLocation(line: 2, column: 17))
    let lines = error.render(in: parsed.source).split(
      separator: "\n",
      omittingEmptySubsequences: false
    )
    #expect(lines[1] == "  \tCREATE INDEX ON;")
    #expect(lines[2] == "  \t" + String(repeating: " ", count: 15) + "^")
  }

  @Test func renderPutsTheCaretPastTheEndForAMissingToken() throws {
    let parsed = parse("ALTER TABLE t ADD COLUMN")
    let error = try #require(parsed.errors.first)
    #expect(error.location == ShiftCore.SourceLocation(line: 1, column: 25))
    let lines = error.render(in: parsed.source).split(
      separator: "\n",
      omittingEmptySubsequences: false
    )
    #expect(lines[2] == String(repeating: " ", count: 2 + 24) + "^")
  }

  @Test func renderOfAnUnterminatedStringPointsAtTheQuote() throws {
    let parsed = parse("INSERT INTO t VALUES ('naïve', 'x);\nSELECT 1;")
    try #require(parsed.errors.count == 1)
    let error = parsed.errors[0]
    #expect(error.kind == .unterminated(.string))
    #expect(error.location == ShiftCore.SourceLocation(line: 1, column: 32))
    let lines = error.render(in: parsed.source).split(
      separator: "\n",
      omittingEmptySubsequences: false
    )
    #expect(lines[2] == String(repeating: " ", count: 2 + 31) + "^")
  }

  @Test func renderShowsControlCharactersVisibly() throws {
    let source = SourceFile(
      path: "t.sql",
      bytes: Array("SELECT 1;\nSELECT '\u{01}".utf8) + [0x27, 0x00]
    )
    let parsed = SQLParser.parse(source, dialect: .postgres)
    let error = try #require(parsed.errors.first)
    #expect(error.kind == .nulByte)
    let lines = error.render(in: source).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[1] == "  SELECT '\u{FFFD}'\u{FFFD}")
    #expect(lines[2] == String(repeating: " ", count: 2 + 10) + "^")
  }
}

@Suite struct LongLineRenderingTests {
  @Test func aLongLineIsShownAsAWindowAroundTheCaret() throws {
    let text = "SELECT " + String(repeating: "a, ", count: 300) + "'open"
    let parsed = SQLParser.parse(text, dialect: .postgres, path: "long.sql")
    let error = try #require(parsed.errors.first)
    let lines = error.render(in: parsed.source).split(
      separator: "\n",
      omittingEmptySubsequences: false
    )
    #expect(lines.count == 3)
    #expect(lines[0].hasPrefix("long.sql:1:908: error: unterminated"))
    // Two leading spaces, an ellipsis, at most 120 columns of the line.
    #expect(lines[1].count <= 2 + 1 + 120)
    #expect(lines[1].hasPrefix("  …"))
    #expect(lines[1].hasSuffix("'open"))
    // The caret still points at the quote.
    let caret = try #require(lines[2].firstIndex(of: "^"))
    let quote = try #require(lines[1].firstIndex(of: "'"))
    #expect(
      lines[2].distance(from: lines[2].startIndex, to: caret)
        == lines[1].distance(from: lines[1].startIndex, to: quote)
    )
  }
}
