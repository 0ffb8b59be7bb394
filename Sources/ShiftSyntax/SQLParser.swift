public import ShiftCore

/// A parsed migration file: its statements in order and the errors found.
public struct ParsedFile: Sendable {
  /// The source that was parsed.
  public var source: SourceFile
  /// The dialect used.
  public var dialect: Dialect
  /// Every statement, in file order (statements with errors included).
  public var statements: [Statement]
  /// Every error: encoding problems, unterminated tokens and syntax errors, in file order.
  public var errors: [SyntaxError]
}

/// The SQL front end: splits a file into statements and parses each into a typed AST.
///
/// Splitting follows what `psql` and `sqlite3` execute: a `;` outside quotes, comments,
/// dollar quotes, `BEGIN ATOMIC … END` bodies, `CREATE RULE … DO (…)` action lists and
/// SQLite trigger bodies ends a statement. Parsing never throws: a statement that is not
/// valid SQL of the modelled form carries a ``SyntaxError`` and parsing goes on with the
/// next one.
public enum SQLParser {
  /// Parses a whole file.
  public static func parse(_ source: SourceFile, dialect: Dialect) -> ParsedFile {
    var statements: [Statement] = []
    let errors = forEachStatement(in: source, dialect: dialect) { statements.append($0) }
    return ParsedFile(source: source, dialect: dialect, statements: statements, errors: errors)
  }

  /// Parses a string (tests and examples).
  public static func parse(_ text: String, dialect: Dialect = .postgres, path: String = "<input>")
    -> ParsedFile
  {
    parse(SourceFile(path: path, text: text), dialect: dialect)
  }

  /// The file's outline: split in full, but only transaction control and `CREATE INDEX`
  /// parsed (about a third of a full parse's time, and nothing kept per statement).
  public static func outline(_ source: SourceFile, dialect: Dialect) -> FileOutline {
    var outline = FileOutline()
    guard EncodingCheck.validate(source) == nil else { return outline }
    source.bytes.withUnsafeBufferPointer { bytes in
      var splitter = StatementSplitter(source: source, bytes: bytes, dialect: dialect)
      splitter.parsesEverything = false
      var position = 0
      _ = splitter.run { statement in
        outline.note(statement, at: position)
        position += 1
      }
      outline.statementCount = position
    }
    return outline
  }

  /// Streams the statements of a file to `body` one at a time, so memory stays bounded by
  /// the file's bytes however many statements it has.
  ///
  /// - Returns: every error found, in file order.
  @discardableResult
  public static func forEachStatement(
    in source: SourceFile,
    dialect: Dialect,
    _ body: (Statement) -> Void
  ) -> [SyntaxError] {
    if let problem = EncodingCheck.validate(source) { return [problem] }
    return source.bytes.withUnsafeBufferPointer { bytes in
      var splitter = StatementSplitter(source: source, bytes: bytes, dialect: dialect)
      return splitter.run(body)
    }
  }
}

/// Cuts the token stream into statements and hands each to the statement parser.
struct StatementSplitter {
  let source: SourceFile
  let bytes: UnsafeBufferPointer<UInt8>
  let dialect: Dialect
  var lexer: Lexer
  var tokens: [Token] = []
  var errors: [SyntaxError] = []
  var transactionDepth = false
  var transactionBlocks = 0
  /// When false, only statements an outline needs are parsed (``SQLParser/outline(_:dialect:)``);
  /// the others get an empty `.other` kind.
  var parsesEverything = true

  init(source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, dialect: Dialect) {
    self.source = source
    self.bytes = bytes
    self.dialect = dialect
    self.lexer = Lexer(bytes: bytes, dialect: dialect)
    tokens.reserveCapacity(256)
  }

  /// Statement-shape state that decides whether a `;` ends the statement.
  struct Shape {
    var wordCount = 0
    var firstWords: (Keyword, Keyword, Keyword, Keyword) = (.none, .none, .none, .none)
    var parenDepth = 0
    var beginDepth = 0
    var isRoutine = false
    var isRule = false
    var isSQLiteTrigger = false
    var inTriggerBody = false
    var triggerBodyClosed = false
    var previous: TokenKind = .semicolon
    var previousKeyword: Keyword = .none

    mutating func note(_ token: Token, dialect: Dialect) {
      defer {
        previous = token.kind
        previousKeyword = token.keyword
      }
      switch token.kind {
      case .leftParen: parenDepth += 1
      case .rightParen: parenDepth = max(0, parenDepth - 1)
      case .word:
        if wordCount < 4 {
          switch wordCount {
          case 0: firstWords.0 = token.keyword
          case 1: firstWords.1 = token.keyword
          case 2: firstWords.2 = token.keyword
          default: firstWords.3 = token.keyword
          }
          wordCount += 1
          classify()
        }
        let keyword = token.keyword
        // psql's heuristic: outside parentheses, BEGIN opens a body, CASE nests only inside
        // one, END closes; `f(begin int)` or `RETURNS TABLE (begin int)` opens nothing.
        if dialect == .postgres, isRoutine, parenDepth == 0 {
          if keyword == .begin || (keyword == .case && beginDepth > 0) {
            beginDepth += 1
          } else if keyword == .end, beginDepth > 0 {
            beginDepth -= 1
          }
        }
        if isSQLiteTrigger {
          if !inTriggerBody, keyword == .begin {
            inTriggerBody = true
          } else if inTriggerBody, keyword == .end, previous == .semicolon {
            triggerBodyClosed = true
          }
        }
      default: break
      }
    }

    mutating func classify() {
      let (first, second, third, fourth) = firstWords
      guard first == .create else { return }
      let objectWord: Keyword
      if second == .or {
        objectWord = fourth
      } else if second == .temp || second == .temporary {
        objectWord = third
      } else {
        objectWord = second
      }
      isRoutine = objectWord == .function || objectWord == .procedure
      isRule = objectWord == .rule
      isSQLiteTrigger = objectWord == .trigger || (second == .trigger)
    }

    /// Whether a `;` at this point ends the statement.
    func semicolonEnds(dialect: Dialect) -> Bool {
      switch dialect {
      case .postgres:
        // Only CREATE RULE action lists hold `;` inside parentheses, so elsewhere an
        // unbalanced `(` does not swallow the rest of the file.
        if parenDepth > 0, isRule { return false }
        return beginDepth == 0
      case .sqlite:
        if isSQLiteTrigger, inTriggerBody { return triggerBodyClosed }
        return true
      }
    }
  }

  mutating func run(_ body: (Statement) -> Void) -> [SyntaxError] {
    var shape = Shape()
    var statementStart = -1
    var lastEnd = 0
    while let token = lexer.next() {
      switch token.kind {
      case .whitespace, .lineComment, .blockComment, .copyData:
        continue
      case .psqlMeta:
        if tokens.isEmpty {
          let text = source.text(token.range).trimmingTrailingWhitespace()
          emit(
            Statement(kind: .psqlMeta(text), range: token.range, hasTerminator: false),
            body
          )
        }
        continue
      case .semicolon:
        if tokens.isEmpty { continue }
        if shape.semicolonEnds(dialect: dialect) {
          finish(start: statementStart, end: lastEnd, terminator: token.start, body)
          shape = Shape()
          statementStart = -1
          continue
        }
      case .unterminated:
        let kind = lexer.unterminatedKind ?? .string
        let error = SyntaxError(
          kind: .unterminated(kind),
          range: token.range,
          location: source.location(at: token.start),
          message: "unterminated \(kind.rawValue): it starts here and runs to the end of the file"
        )
        let start = statementStart >= 0 ? statementStart : token.start
        let statement = Statement(
          kind: .other(keywords: leadingWords()),
          range: SourceRange(start: start, end: token.end),
          hasTerminator: false,
          syntaxError: error
        )
        emit(statement, body)
        errors.append(error)
        tokens.removeAll(keepingCapacity: true)
        return errors
      default:
        break
      }
      if statementStart < 0 { statementStart = token.start }
      shape.note(token, dialect: dialect)
      tokens.append(token)
      lastEnd = token.end
    }
    if !tokens.isEmpty {
      finish(start: statementStart, end: lastEnd, terminator: nil, body)
    }
    return errors
  }

  private func leadingWords() -> String {
    var words: [String] = []
    for token in tokens.prefix(3) where token.kind == .word {
      words.append(source.text(token.range).uppercased())
    }
    return words.joined(separator: " ")
  }

  private mutating func finish(
    start: Int,
    end: Int,
    terminator: Int?,
    _ body: (Statement) -> Void
  ) {
    let range = SourceRange(start: start, end: end)
    let terminated = terminator != nil
    var statement: Statement
    if !parsesEverything, !isOutlined {
      tokens.removeAll(keepingCapacity: true)
      emit(Statement(kind: .other(keywords: ""), range: range, hasTerminator: terminated), body)
      return
    }
    var parser = StatementParser(
      source: source,
      bytes: bytes,
      dialect: dialect,
      tokens: tokens,
      terminator: terminator
    )
    do {
      let kind = try parser.parseStatement()
      statement = Statement(kind: kind, range: range, hasTerminator: terminated)
    } catch {
      statement = Statement(
        kind: .other(keywords: leadingWords()),
        range: range,
        hasTerminator: terminated,
        syntaxError: error
      )
      errors.append(error)
    }
    // COMMIT AND CHAIN / ROLLBACK AND CHAIN start a new transaction block at once.
    let isChained =
      tokens.count >= 2 && tokens[tokens.count - 1].keyword == .chain
      && tokens[tokens.count - 2].keyword == .and
    tokens.removeAll(keepingCapacity: true)
    emit(statement, isChained: isChained, body)
  }

  /// Whether an outline needs the statement parsed: transaction control, `CREATE INDEX`.
  private var isOutlined: Bool {
    guard let first = tokens.first?.keyword else { return false }
    switch first {
    case .begin, .start, .commit, .end, .abort, .rollback, .savepoint, .release, .prepare:
      return true
    case .create:
      guard tokens.count > 1 else { return false }
      return tokens[1].keyword == .index || tokens[1].keyword == .unique
    default:
      return false
    }
  }

  private mutating func emit(
    _ statement: Statement,
    isChained: Bool = false,
    _ body: (Statement) -> Void
  ) {
    var statement = statement
    if case .transaction(let control) = statement.kind {
      switch control {
      case .begin:
        transactionBlocks += 1
        transactionDepth = true
        statement.isInTransactionBlock = true
        statement.transactionBlock = transactionBlocks - 1
      case .commit, .rollback, .prepareTransaction:
        if transactionDepth {
          statement.isInTransactionBlock = true
          statement.transactionBlock = transactionBlocks - 1
          if isChained {
            transactionBlocks += 1
            body(statement)
            return
          }
        }
        transactionDepth = false
      default:
        break
      }
    }
    if transactionDepth, statement.transactionBlock == nil {
      statement.isInTransactionBlock = true
      statement.transactionBlock = transactionBlocks - 1
    }
    body(statement)
  }
}

extension String {
  func trimmingTrailingWhitespace() -> String {
    var scalars = Substring(self)
    while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" {
      scalars.removeLast()
    }
    return String(scalars)
  }
}
