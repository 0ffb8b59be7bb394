import ShiftCore
import ShiftSyntax
import Testing

/// The quick outline pass must find exactly what a full parse shows: the blocks that roll
/// back, where indexes are created, and how many statements there are.
@Suite struct FileOutlineTests {
  @Test(arguments: FixtureFile.valid)
  func outlineMatchesTheFullParse(_ file: FixtureFile) throws {
    let source = try file.source()
    let parsed = SQLParser.parse(source, dialect: file.dialect)
    let full = FileOutline(statements: parsed.statements)
    let quick = SQLParser.outline(source, dialect: file.dialect)
    #expect(quick.statementCount == parsed.statements.count)
    #expect(quick.rollbackBlocks == full.rollbackBlocks)
    #expect(quick.indexes.map(\.position) == full.indexes.map(\.position))
    #expect(quick.indexes.map(\.statement.range) == full.indexes.map(\.statement.range))
  }

  @Test func rollbackBlocksAndIndexesAreFound() {
    let text = """
      BEGIN;
      CREATE TABLE a (id int);
      ROLLBACK;
      BEGIN;
      CREATE UNIQUE INDEX a_id ON a (id);
      COMMIT;
      START TRANSACTION;
      SAVEPOINT s;
      CREATE INDEX CONCURRENTLY b_id ON b (id);
      ROLLBACK TO SAVEPOINT s;
      COMMIT;
      """
    let outline = SQLParser.outline(SourceFile(path: "t.sql", text: text), dialect: .postgres)
    #expect(outline.statementCount == 11)
    #expect(outline.rollbackBlocks == [0, 2])
    #expect(outline.indexes.map(\.position) == [4, 8])
    guard case .createIndex(let index) = outline.indexes.first?.statement.kind else {
      Issue.record("the outline keeps CREATE INDEX parsed")
      return
    }
    #expect(index.isUnique)
  }
}
