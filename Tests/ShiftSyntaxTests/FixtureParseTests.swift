import Foundation
import ShiftCore
import ShiftSyntax
import ShiftTestSupport
import Testing

@Suite struct FixtureParseTests {
  @Test(arguments: FixtureFile.valid)
  func validSQLParsesWithoutErrors(_ file: FixtureFile) throws {
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.errors.isEmpty, "\(parsed.errors.map { $0.render(in: parsed.source) })")
    for statement in parsed.statements {
      #expect(statement.syntaxError == nil)
      if case .other(let keywords) = statement.kind { #expect(!keywords.isEmpty) }
    }
  }

  @Test(arguments: FixtureFile.valid)
  func statementRangesAreTrimmedOrderedAndDisjoint(_ file: FixtureFile) throws {
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    let bytes = parsed.source.bytes
    var previousEnd = 0
    for statement in parsed.statements {
      let range = statement.range
      #expect(range.start >= previousEnd && range.end > range.start && range.end <= bytes.count)
      let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
      #expect(!isSpace(bytes[range.start]) && !isSpace(bytes[range.end - 1]))
      #expect(bytes[range.end - 1] != UInt8(ascii: ";"))
      previousEnd = range.end
    }
  }

  @Test func forEachStatementStreamsTheSameStatements() throws {
    let file = try FixtureFile.named("postgres/alter_table.sql")
    let source = try file.source()
    var streamed: [String] = []
    let errors = SQLParser.forEachStatement(in: source, dialect: .postgres) { statement in
      streamed.append(source.text(statement.range))
    }
    #expect(errors.isEmpty)
    #expect(streamed == statementTexts(SQLParser.parse(source, dialect: .postgres)))
    #expect(streamed.count == 152)
  }

  @Test func trickyFixtureParsesEveryForm() throws {
    let file = try FixtureFile.named("postgres/tricky.sql")
    let parsed = SQLParser.parse(try file.source(), dialect: .postgres)
    #expect(parsed.errors.isEmpty)
    #expect(parsed.statements.count == 129)
    // Only statements the parser does not model are `other`.
    let others = parsed.statements.compactMap(\.otherKeywords)
    #expect(
      others == [
        "ALTER TABLE ALL IN", "CREATE AGGREGATE TRICKY", "CREATE OPERATOR TRICKY", "CREATE CAST",
        "CREATE COLLATION TRICKY", "CREATE TEXT SEARCH CONFIGURATION", "LISTEN TRICKY_CHANNEL",
        "NOTIFY TRICKY_CHANNEL", "DISCARD PLANS", "DROP CAST IF EXISTS",
      ]
    )
    // `f_begin(begin int, …)` does not swallow the next statement.
    let functions = parsed.statements.compactMap(\.createFunction).map(\.name.description)
    #expect(
      functions == [
        "tricky.f_begin", "tricky.f_key", "tricky.f_opts", "tricky.f_atomic", "tricky.p_atomic",
        "tricky.f_return", "tricky.touch", "tricky.noop",
      ]
    )
    let tables = parsed.statements.compactMap(\.createTable)
    #expect(tables.map(\.name.description).contains("tricky_unicode"))
    let items = try #require(tables.first)
    #expect(items.columns.count == 45)
    #expect(items.constraints.count == 11)
    let types = Dictionary(uniqueKeysWithValues: items.columns.map { ($0.name.value, $0.type) })
    #expect(types["letter"]??.canonicalName == "char")
    #expect(types["code"]??.canonicalName == "bpchar")
    #expect(types["ratio"]??.canonicalName == "float4")
    #expect(types["grid"]??.arrayDimensions == 1)
    #expect(types["time"]??.canonicalName == "timetz")
    let defaults = Dictionary(
      uniqueKeysWithValues: items.columns.map { ($0.name.value, $0.defaultValue) }
    )
    #expect(defaults["unicode"]??.literal == .string("café"))
    #expect(defaults["escaped"]??.literal == .string("line\nbreak 'quoted'"))
    #expect(defaults["dollar"]??.literal == .string("it's $$ fine"))
    #expect(defaults["token"]??.calledFunctions == ["gen_random_uuid"])
    #expect(defaults["seconds"]??.calledFunctions == ["extract", "now"])
  }

  @Test func trickyFixtureChainedCommitStartsANewBlock() throws {
    let file = try FixtureFile.named("postgres/tricky.sql")
    let parsed = SQLParser.parse(try file.source(), dialect: .postgres)
    let inBlocks = parsed.statements.filter(\.isInTransactionBlock).map(\.kindName)
    #expect(
      inBlocks == [
        "begin", "savepoint", "lock_table", "release_savepoint", "commit", "set", "rollback",
      ]
    )
    #expect(parsed.statements.compactMap(\.transactionBlock) == [0, 0, 0, 0, 0, 1, 1])
  }

  static let examples: [(String, [String])] = [
    ("0008_orders_user_id_foreign_key.sql", ["alter_table"]),
    (
      "0012_safe_index_orders_project_id_concurrently.sql",
      ["set", "drop_index", "create_index", "alter_table"]
    ),
    ("0013_safe_validate_orders_project_fk.sql", ["set", "alter_table"]),
  ]

  @Test(arguments: examples)
  func postgresExamplesHaveTheirStatementKinds(_ name: String, _ kinds: [String]) throws {
    let file = try #require(FixtureFile.valid.first { $0.url.lastPathComponent == name })
    let parsed = SQLParser.parse(try file.source(), dialect: .postgres)
    #expect(parsed.statements.map(\.kindName) == kinds)
  }

  @Test func sqliteRebuildExampleHasTheTwelveStepShape() throws {
    let file = try #require(
      FixtureFile.valid.first {
        $0.url.lastPathComponent == "0007_rebuild_orders_currency_not_null_user_fk.sql"
      }
    )
    let parsed = SQLParser.parse(try file.source(), dialect: .sqlite)
    #expect(
      parsed.statements.map(\.kindName) == [
        "pragma", "begin", "create_table", "insert", "drop_table", "alter_table", "create_index",
        "create_index", "pragma", "commit", "pragma",
      ]
    )
    #expect(
      parsed.statements.map(\.isInTransactionBlock) == [false] + Array(repeating: true, count: 9)
        + [false]
    )
    let insert = try #require(parsed.statements[3].dataChange)
    #expect(insert.table == qname("new_orders"))
    #expect(insert.hasQuery)
  }
}

/// One SQL file of the shared fixtures or examples, with the dialect its folder implies.
struct FixtureFile: Sendable, CustomTestStringConvertible {
  let url: URL
  let dialect: Dialect

  /// `postgres/alter_table.sql`, `invalid/nul_byte.sql`, …
  var name: String {
    url.deletingLastPathComponent().lastPathComponent + "/" + url.lastPathComponent
  }

  var testDescription: String {
    url.path.contains("/migrations-examples/") ? "examples/" + name : name
  }

  func bytes() throws -> [UInt8] { try Fixtures.bytes(url) }

  func source() throws -> SourceFile { SourceFile(path: name, bytes: try bytes()) }

  private static func listing(_ folder: String, _ dialect: Dialect) -> [FixtureFile] {
    Fixtures.files(in: folder).map { FixtureFile(url: $0, dialect: dialect) }
  }

  /// Valid SQL: the dialect fixtures and the migration examples.
  static let valid: [FixtureFile] =
    listing("fixtures/postgres", .postgres) + listing("fixtures/sqlite", .sqlite)
    + listing("migrations-examples/postgres", .postgres)
    + listing("migrations-examples/sqlite", .sqlite)

  /// Files with exactly one error each, PostgreSQL dialect.
  static let invalid: [FixtureFile] = listing("fixtures/invalid", .postgres)

  static let all: [FixtureFile] = valid + invalid

  /// The valid file `folder/name` (e.g. `postgres/transactions.sql`).
  static func named(_ name: String) throws -> FixtureFile {
    try #require(valid.first { $0.name == name && !$0.url.path.contains("/migrations-examples/") })
  }
}

/// Parses SQL text.
func parse(_ sql: String, _ dialect: Dialect = .postgres) -> ParsedFile {
  SQLParser.parse(sql, dialect: dialect, path: "test.sql")
}

/// Parses text that must be exactly one statement without errors.
func single(
  _ sql: String,
  _ dialect: Dialect = .postgres,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> Statement {
  let parsed = parse(sql, dialect)
  #expect(parsed.errors.isEmpty, "\(parsed.errors)", sourceLocation: sourceLocation)
  try #require(parsed.statements.count == 1, sourceLocation: sourceLocation)
  return parsed.statements[0]
}

/// The 1-based first and last line of each statement.
func statementLines(_ parsed: ParsedFile) -> [ClosedRange<Int>] {
  parsed.statements.map { statement in
    let first = parsed.source.location(at: statement.range.start).line
    let last = parsed.source.location(at: max(statement.range.start, statement.range.end - 1)).line
    return first...last
  }
}

/// The text of each statement.
func statementTexts(_ parsed: ParsedFile) -> [String] {
  parsed.statements.map { parsed.source.text($0.range) }
}

/// A deterministic pseudo-random generator (SplitMix64), so mutation tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

// MARK: - AST accessors used by the parser tables

extension Statement {
  var createTable: CreateTable? {
    if case .createTable(let value) = kind { return value }
    return nil
  }

  var alterTable: AlterTable? {
    if case .alterTable(let value) = kind { return value }
    return nil
  }

  /// The actions of an ALTER TABLE, or empty.
  var actions: [AlterTableAction.Kind] { alterTable?.actions.map(\.kind) ?? [] }

  var createIndex: CreateIndex? {
    if case .createIndex(let value) = kind { return value }
    return nil
  }

  var alterIndex: AlterIndex? {
    if case .alterIndex(let value) = kind { return value }
    return nil
  }

  var drop: DropObject? {
    if case .drop(let value) = kind { return value }
    return nil
  }

  var createType: CreateType? {
    if case .createType(let value) = kind { return value }
    return nil
  }

  var alterType: AlterType? {
    if case .alterType(let value) = kind { return value }
    return nil
  }

  var createView: CreateView? {
    if case .createView(let value) = kind { return value }
    return nil
  }

  var createFunction: CreateFunction? {
    if case .createFunction(let value) = kind { return value }
    return nil
  }

  var createTrigger: CreateTrigger? {
    if case .createTrigger(let value) = kind { return value }
    return nil
  }

  var setParameter: SetParameter? {
    if case .set(let value) = kind { return value }
    return nil
  }

  var transaction: TransactionControl? {
    if case .transaction(let value) = kind { return value }
    return nil
  }

  var lockTable: LockTable? {
    if case .lockTable(let value) = kind { return value }
    return nil
  }

  var dataChange: DataChange? {
    if case .dataChange(let value) = kind { return value }
    return nil
  }

  var vacuum: Vacuum? {
    if case .vacuum(let value) = kind { return value }
    return nil
  }

  var reindex: Reindex? {
    if case .reindex(let value) = kind { return value }
    return nil
  }

  /// The ObjectStatement of the kinds that carry one.
  var object: ObjectStatement? {
    switch kind {
    case .cluster(let value), .truncate(let value), .alterView(let value),
      .refreshMaterializedView(let value), .objectDefinition(let value), .comment(let value),
      .privilege(let value):
      value
    default: nil
    }
  }

  /// The keywords of an `.other` statement.
  var otherKeywords: String? {
    if case .other(let value) = kind { return value }
    return nil
  }
}

extension QualifiedName {
  /// The folded parts, e.g. `["public", "users"]`.
  var strings: [String] { parts.map(\.value) }
}

extension [QualifiedName] {
  var strings: [String] { map(\.description) }
}

extension [Identifier] {
  var strings: [String] { map(\.value) }
}

extension ShiftSyntax.Expression {
  /// The names of the functions called, outermost first (`["now"]`).
  var calledFunctions: [String] { functionCalls.map(\.name.description) }
}

extension ColumnDefinition {
  var constraintKinds: [ColumnConstraint.Kind] { constraints.map(\.kind) }
}
