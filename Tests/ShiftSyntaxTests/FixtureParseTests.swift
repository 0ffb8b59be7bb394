import Foundation
import ShiftCore
import ShiftSyntax
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
