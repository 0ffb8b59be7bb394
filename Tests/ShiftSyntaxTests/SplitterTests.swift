import ShiftCore
import ShiftSyntax
import Testing

/// SQL and the first and last line of each statement it splits into.
struct SplitCase: Sendable, CustomTestStringConvertible {
  var id: String
  var dialect: Dialect
  var sql: String
  var lines: [ClosedRange<Int>]

  init(_ id: String, _ dialect: Dialect, _ sql: String, _ lines: [ClosedRange<Int>]) {
    self.id = id
    self.dialect = dialect
    self.sql = sql
    self.lines = lines
  }

  init(_ id: String, _ sql: String, _ lines: [ClosedRange<Int>]) {
    self.init(id, .postgres, sql, lines)
  }

  var testDescription: String { id }
}

@Suite struct SplitterTests {
  static let cases: [SplitCase] = [
    SplitCase(
      "function body in a dollar quote",
      """
      CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
      BEGIN
          RETURN 1;
      END;
      $$;
      SELECT 1;
      """,
      [1...5, 6...6]
    ),
    SplitCase(
      "function body in a single-quoted string",
      """
      CREATE FUNCTION f() RETURNS int LANGUAGE sql
      AS 'SELECT 1; SELECT ''a;b''';
      SELECT 2;
      """,
      [1...2, 3...3]
    ),
    SplitCase(
      "BEGIN ATOMIC body with semicolons and CASE … END",
      """
      CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql
      BEGIN ATOMIC
          SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
          SELECT CASE x WHEN 1 THEN 2 END;
      END;
      SELECT 3;
      """,
      [1...5, 6...6]
    ),
    SplitCase(
      "CREATE OR REPLACE PROCEDURE with BEGIN ATOMIC",
      """
      CREATE OR REPLACE PROCEDURE p(x int)
      LANGUAGE sql
      BEGIN ATOMIC
          INSERT INTO t VALUES (x);
          UPDATE t SET a = CASE WHEN a > 0 THEN a END;
      END;
      CALL p(1);
      """,
      [1...6, 7...7]
    ),
    SplitCase(
      "a parameter named begin opens no body",
      """
      CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
      CREATE FUNCTION g() RETURNS TABLE (begin int) LANGUAGE sql AS $$ SELECT 1 $$;
      SELECT 2;
      """,
      [1...1, 2...2, 3...3]
    ),
    SplitCase(
      "CASE in a RETURN body",
      """
      CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql
      RETURN CASE WHEN x > 0 THEN 1 END;
      SELECT 2;
      """,
      [1...2, 3...3]
    ),
    SplitCase(
      "rule with several actions in parentheses",
      """
      CREATE RULE r AS ON INSERT TO t
          DO ALSO (
              INSERT INTO log VALUES (NEW.id);
              UPDATE counts SET n = n + 1;
          );
      SELECT 1;
      """,
      [1...5, 6...6]
    ),
    SplitCase(
      "DO blocks in dollar and single quotes",
      """
      DO $$
      BEGIN
          PERFORM 1;
      END
      $$;
      DO 'BEGIN NULL; END';
      DO LANGUAGE plpgsql $do$ BEGIN NULL; END $do$;
      """,
      [1...5, 6...6, 7...7]
    ),
    SplitCase(
      "SQLite trigger body with semicolons and CASE … END",
      .sqlite,
      """
      CREATE TRIGGER tr AFTER INSERT ON t
      BEGIN
          UPDATE t SET a = CASE WHEN new.a > 0 THEN 1 ELSE 0 END;
          INSERT INTO log VALUES ('END;');
      END;
      SELECT 1;
      """,
      [1...5, 6...6]
    ),
    SplitCase(
      "SQLite temporary trigger with WHEN",
      .sqlite,
      """
      CREATE TEMP TRIGGER IF NOT EXISTS tr BEFORE UPDATE OF a ON t FOR EACH ROW WHEN new.a < 0
      BEGIN SELECT RAISE(ABORT, 'negative; no'); END;
      CREATE INDEX i ON t (a);
      """,
      [1...2, 3...3]
    ),
    SplitCase(
      "SQLite BEGIN is a transaction outside a trigger",
      .sqlite,
      "BEGIN;\nSELECT 1;\nEND;",
      [1...1, 2...2, 3...3]
    ),
    SplitCase(
      "a PostgreSQL trigger has no BEGIN body",
      """
      CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
      BEGIN;
      SELECT 1;
      END;
      """,
      [1...1, 2...2, 3...3, 4...4]
    ),
    SplitCase(
      "empty statements are ignored",
      ";;SELECT 1;;\n;\n ; SELECT 2;",
      [1...1, 3...3]
    ),
    SplitCase(
      "several statements on one line",
      "SELECT 1; SELECT 2;SELECT 3;",
      [1...1, 1...1, 1...1]
    ),
    SplitCase(
      "semicolons in strings, identifiers and comments do not split",
      """
      SELECT ';', "a;b", E'\\';', $$;$$ -- ;
      /* ; /* ; */ ; */ FROM t;
      SELECT 2;
      """,
      [1...2, 3...3]
    ),
    SplitCase(
      "psql meta-commands are statements of their own",
      "\\set ON_ERROR_STOP on\nSELECT 1;\n\\echo done\n",
      [1...1, 2...2, 3...3]
    ),
    SplitCase(
      "COPY data is not split at its semicolons",
      "COPY t (a, b) FROM stdin;\n1;2\t'x\n\\.\nSELECT 1;",
      [1...1, 4...4]
    ),
    SplitCase(
      "an unbalanced parenthesis does not swallow the next statement",
      "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0;\nSELECT 1;\nSELECT 2;",
      [1...1, 2...2, 3...3]
    ),
  ]

  @Test(arguments: cases)
  func statementLinesAreExact(_ testCase: SplitCase) {
    let parsed = parse(testCase.sql, testCase.dialect)
    #expect(statementLines(parsed) == testCase.lines)
  }

  @Test func commentsAroundStatementsAreNotPartOfTheirRange() {
    let parsed = parse("-- head\nSELECT 1; /* mid */ SELECT 2 -- tail\n;\n-- end")
    #expect(statementTexts(parsed) == ["SELECT 1", "SELECT 2"])
    #expect(parsed.statements.map(\.hasTerminator) == [true, true])
  }

  @Test(arguments: [Dialect.postgres, .sqlite])
  func theLastStatementMayLackASemicolon(_ dialect: Dialect) {
    let parsed = parse("SELECT 1;\nSELECT 2\n-- trailing comment", dialect)
    #expect(parsed.errors.isEmpty)
    #expect(parsed.statements.map(\.hasTerminator) == [true, false])
    #expect(statementTexts(parsed) == ["SELECT 1", "SELECT 2"])
  }

  @Test(arguments: ["postgres/no_final_semicolon.sql", "sqlite/no_final_semicolon.sql"])
  func fixturesWithoutAFinalSemicolon(_ name: String) throws {
    let file = try FixtureFile.named(name)
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.errors.isEmpty)
    #expect(parsed.statements.count == 3)
    #expect(parsed.statements.map(\.hasTerminator) == [true, true, false])
    let last = try #require(parsed.statements.last)
    #expect(last.range.end == parsed.source.bytes.count)
  }

  @Test(arguments: ["postgres/empty.sql", "postgres/comments_only.sql"])
  func emptyAndCommentOnlyFilesHaveNoStatements(_ name: String) throws {
    let file = try FixtureFile.named(name)
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.statements.isEmpty)
    #expect(parsed.errors.isEmpty)
  }

  @Test(arguments: ["", "   \n\t\n", "-- only a comment", "/* a */ /* b */", ";;;", "\n;\n-- x\n;"])
  func blankInputHasNoStatements(_ sql: String) {
    for dialect in Dialect.allCases {
      let parsed = parse(sql, dialect)
      #expect(parsed.statements.isEmpty)
      #expect(parsed.errors.isEmpty)
    }
  }

  @Test func anUnbalancedParenthesisIsAnErrorOnlyInItsOwnStatement() throws {
    let parsed = parse("ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0;\nCREATE INDEX i ON t (a);")
    try #require(parsed.statements.count == 2)
    #expect(parsed.errors.count == 1)
    #expect(parsed.statements[0].syntaxError != nil)
    #expect(parsed.statements[1].syntaxError == nil)
    #expect(parsed.statements[1].createIndex?.name?.description == "i")
  }

  @Test func psqlMetaCommandKeepsItsText() throws {
    let parsed = parse("\\set ON_ERROR_STOP on   \n\\i other.sql\nSELECT 1;")
    let kinds = parsed.statements.map(\.kind)
    #expect(kinds == [.psqlMeta("\\set ON_ERROR_STOP on"), .psqlMeta("\\i other.sql"), .select])
  }

  @Test func sqliteTriggerBodyRangeCoversBeginToEnd() throws {
    let sql = "CREATE TRIGGER tr AFTER DELETE ON t BEGIN DELETE FROM u; SELECT 1; END;"
    let statement = try single(sql, .sqlite)
    let body = try #require(statement.createTrigger?.body)
    #expect(SourceFile(path: "t", text: sql).text(body) == "BEGIN DELETE FROM u; SELECT 1; END")
  }

  @Test func triggersFixtureSplitsAtTheRightLines() throws {
    let file = try FixtureFile.named("sqlite/triggers.sql")
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.errors.isEmpty)
    let triggers = zip(statementLines(parsed), parsed.statements).filter {
      $0.1.kindName == "create_trigger"
    }
    #expect(triggers.map(\.0) == [12...17, 19...35, 37...46, 48...52, 54...57, 59...63])
  }

  @Test func rulesFixtureKeepsTheActionListTogether() throws {
    let file = try FixtureFile.named("postgres/rules_do.sql")
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.errors.isEmpty)
    let lines = statementLines(parsed)
    #expect(lines.contains(10...14))
    #expect(parsed.statements.count == 21)
    #expect(parsed.statements.filter { $0.kindName == "do" }.count == 5)
  }
}

@Suite struct TransactionBlockTests {
  @Test func statementsInsideBeginCommitAreMarked() {
    let sql = """
      CREATE TABLE a (id int);
      BEGIN;
      INSERT INTO a VALUES (1);
      COMMIT;
      INSERT INTO a VALUES (2);
      START TRANSACTION ISOLATION LEVEL SERIALIZABLE;
      SAVEPOINT s;
      ROLLBACK TO SAVEPOINT s;
      RELEASE SAVEPOINT s;
      END;
      SAVEPOINT outside;
      BEGIN WORK;
      ABORT;
      SELECT 1;
      BEGIN;
      COMMIT AND CHAIN;
      SELECT 2;
      ROLLBACK AND NO CHAIN;
      SELECT 3;
      """
    let parsed = parse(sql)
    #expect(parsed.errors.isEmpty)
    let blocks = parsed.statements.map(\.transactionBlock)
    #expect(
      blocks == [nil, 0, 0, 0, nil, 1, 1, 1, 1, 1, nil, 2, 2, nil, 3, 3, 4, 4, nil]
    )
    #expect(parsed.statements.map(\.isInTransactionBlock) == blocks.map { $0 != nil })
    #expect(
      parsed.statements.map(\.kindName) == [
        "create_table", "begin", "insert", "commit", "insert", "begin", "savepoint",
        "rollback_to_savepoint", "release_savepoint", "commit", "savepoint", "begin", "rollback",
        "select", "begin", "commit", "select", "rollback", "select",
      ]
    )
  }

  @Test func sqliteTransactionsAreMarkedToo() {
    let sql =
      "BEGIN IMMEDIATE;\nALTER TABLE t ADD COLUMN c TEXT;\nEND TRANSACTION;\nPRAGMA foreign_keys = ON;"
    let parsed = parse(sql, .sqlite)
    #expect(parsed.errors.isEmpty)
    #expect(parsed.statements.map(\.transactionBlock) == [0, 0, 0, nil])
  }

  @Test func anUnclosedBlockRunsToTheEndOfTheFile() {
    let parsed = parse(
      "SELECT 0;\nBEGIN;\nALTER TABLE t ADD COLUMN c int;\nCREATE INDEX i ON t (c);"
    )
    #expect(parsed.statements.map(\.transactionBlock) == [nil, 0, 0, 0])
  }

  @Test func transactionsFixtureHasElevenBlocks() throws {
    let file = try FixtureFile.named("postgres/transactions.sql")
    let parsed = SQLParser.parse(try file.source(), dialect: file.dialect)
    #expect(parsed.errors.isEmpty)
    let blocks = Set(parsed.statements.compactMap(\.transactionBlock))
    #expect(blocks == Set(0...10))
    let outside = parsed.statements.filter { !$0.isInTransactionBlock }
    // CREATE TABLE and the first INSERT are outside every block.
    #expect(outside.map(\.kindName) == ["create_table", "insert"])
  }
}
