import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax
import Testing

@Suite
struct EffectAnalyzerTests {
  @Test("locks on relations created earlier in the file are new")
  func newRelations() throws {
    let analyzed = EffectFixture.analyze(
      """
      CREATE TABLE items (id int PRIMARY KEY, user_id bigint);
      ALTER TABLE items ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users;
      CREATE INDEX items_user_idx ON items (user_id);
      """
    )
    try #require(analyzed.count == 3)
    let create = try #require(analyzed[0].effect.locks.first)
    #expect(create.isCreatedByStatement && create.isNewRelation)
    let foreignKey = analyzed[1].effect
    #expect(foreignKey.locks.first { $0.relation?.name == "items" }?.isNewRelation == true)
    #expect(foreignKey.locks.first { $0.relation?.name == "users" }?.isNewRelation == false)
    #expect(analyzed[2].effect.locks.allSatisfy { $0.isNewRelation })
    #expect(analyzed[2].effect.phase == .expand)
  }

  @Test("a transaction block holds earlier locks and forbids CONCURRENTLY")
  func transactionBlock() throws {
    let analyzed = EffectFixture.analyze(
      """
      BEGIN;
      ALTER TABLE users ADD COLUMN x int;
      UPDATE users SET x = 1;
      CREATE INDEX CONCURRENTLY i ON users (x);
      COMMIT;
      CREATE INDEX CONCURRENTLY j ON users (x);
      """
    )
    try #require(analyzed.count == 6)
    let update = analyzed[2].effect
    #expect(update.transaction.isInTransaction && update.transaction.isExplicitBlock)
    #expect(update.transaction.heldLocks.map(\.mode) == [.accessExclusive])
    #expect(analyzed[3].effect.transaction.isIllegalInTransaction)
    #expect(!analyzed[5].effect.transaction.isInTransaction)
    #expect(!analyzed[5].effect.transaction.isIllegalInTransaction)
  }

  @Test("assumeInTransaction wraps the whole file")
  func assumedTransaction() throws {
    let analyzed = EffectFixture.analyze(
      "ALTER TABLE users ADD COLUMN x int; CREATE INDEX CONCURRENTLY i ON users (x);",
      settings: EffectSettings(assumeInTransaction: true)
    )
    try #require(analyzed.count == 2)
    let index = analyzed[1].effect
    #expect(index.transaction.isInTransaction && !index.transaction.isExplicitBlock)
    #expect(index.transaction.isIllegalInTransaction)
    #expect(index.transaction.heldLocks.first?.mode == .accessExclusive)
  }

  @Test("files analyzed in order share the catalog")
  func severalFiles() throws {
    var analyzer = EffectAnalyzer()
    let results = analyzer.analyze([
      SQLParser.parse("CREATE TABLE t (a int);", path: "1.sql"),
      SQLParser.parse("ALTER TABLE t ALTER COLUMN a TYPE bigint;", path: "2.sql"),
    ])
    try #require(results.count == 2)
    #expect(results[1].effect.assumptions.isEmpty)
    #expect(results[1].effect.rewritesTable)
    #expect(results[1].effect.locks.first?.isNewRelation == false)
  }

  @Test("SQLite writes take the database lock; DROP COLUMN rewrites")
  func sqlite() throws {
    let analyzed = EffectFixture.analyze(
      """
      CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT);
      SELECT * FROM t;
      ALTER TABLE t DROP COLUMN b;
      """,
      dialect: .sqlite
    )
    try #require(analyzed.count == 3)
    #expect(EffectFixture.locks(analyzed[0].effect) == ["*": .exclusive])
    #expect(analyzed[1].effect.locks.isEmpty)
    #expect(analyzed[2].effect.rewritesTable)
    #expect(analyzed[2].effect.compatibility == .breaking)
    #expect(analyzed[2].effect.locks.first?.name == "*")
  }
}
