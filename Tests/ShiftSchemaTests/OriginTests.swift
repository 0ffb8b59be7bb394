import ShiftCore
import ShiftSchema
import ShiftSyntax
import Testing

@Suite struct OriginTests {
  @Test("objects remember the file, statement and transaction block that created them")
  func transactionTracking() throws {
    let catalog = replay(
      files: [
        (
          "0001.sql",
          """
          BEGIN;
          CREATE TABLE a (id int);
          CREATE TABLE b (id int);
          COMMIT;
          CREATE TABLE c (id int);
          BEGIN;
          CREATE TABLE d (id int);
          COMMIT;
          CREATE TABLE e (id int);
          """
        ),
        ("0002.sql", "ALTER TABLE a ADD COLUMN x int;"),
      ]
    )
    let a = try #require(catalog.table(named: "a")).origin
    let b = try #require(catalog.table(named: "b")).origin
    let c = try #require(catalog.table(named: "c")).origin
    let d = try #require(catalog.table(named: "d")).origin
    let e = try #require(catalog.table(named: "e")).origin
    let x = try #require(catalog.column("x", of: "a")).origin
    #expect(
      a.site
        == StatementSite(
          path: "0001.sql",
          statementIndex: 1,
          transactionBlock: 0,
          range: a.site?.range
        )
    )
    #expect(a.isSameTransaction(as: b))
    #expect(!a.isSameTransaction(as: d))
    #expect(!c.isSameTransaction(as: e))
    #expect(c.isSameTransaction(as: e, wholeFileTransaction: true))
    #expect(!a.isSameTransaction(as: c, wholeFileTransaction: true))
    #expect(a.isSameFile(as: e))
    #expect(!a.isSameFile(as: x))
    #expect(x.site?.path == "0002.sql")
    #expect(a.isMigration)
  }

  @Test("schema files give context origins; a later migration's objects are its own")
  func schemaFiles() throws {
    var builder = CatalogBuilder()
    builder.replay(
      SQLParser.parse("CREATE TABLE t (id int);", path: "structure.sql"),
      isSchemaFile: true
    )
    builder.replay(SQLParser.parse("CREATE INDEX ON t (id);", path: "0001.sql"))
    let table = try #require(builder.catalog.table(named: "t"))
    guard case .schemaFile(let site) = table.origin else {
      Issue.record("expected a schema-file origin, got \(table.origin)")
      return
    }
    #expect(site.path == "structure.sql")
    #expect(!table.origin.isMigration)
    #expect(table.indexes.first?.origin.isMigration == true)
  }

  @Test("ROLLBACK and ROLLBACK TO SAVEPOINT undo their changes")
  func rollback() {
    let catalog = catalog(
      """
      CREATE TABLE kept (id int);
      BEGIN;
      CREATE TABLE undone (id int);
      ALTER TABLE kept ADD COLUMN undone int;
      ROLLBACK;
      BEGIN;
      CREATE TABLE a (id int);
      SAVEPOINT s1;
      CREATE TABLE b (id int);
      ROLLBACK TO SAVEPOINT s1;
      CREATE TABLE c (id int);
      COMMIT;
      """
    )
    #expect(catalog.tables.keys.map(\.name).sorted() == ["a", "c", "kept"])
    #expect(catalog.table(named: "kept")?.columnNames == ["id"])
  }

  @Test("SET LOCAL search_path ends with its transaction; each file starts afresh")
  func localSearchPath() {
    var builder = CatalogBuilder()
    builder.replay(
      SQLParser.parse(
        """
        CREATE SCHEMA app;
        BEGIN;
        SET LOCAL search_path = app;
        CREATE TABLE inside (id int);
        COMMIT;
        CREATE TABLE outside (id int);
        SET search_path = app;
        """
      )
    )
    builder.replay(SQLParser.parse("CREATE TABLE next_file (id int);"))
    let catalog = builder.catalog
    #expect(catalog.table(named: "app.inside") != nil)
    #expect(catalog.table(named: "public.outside") != nil)
    #expect(catalog.table(named: "public.next_file") != nil)
  }

  @Test("the catalog before each statement is what the statement sees")
  func catalogBefore() {
    var builder = CatalogBuilder()
    var seen: [Bool] = []
    builder.replay(
      SQLParser.parse("CREATE TABLE t (id int); ALTER TABLE t ADD COLUMN x int;")
    ) { _, _, before in
      seen.append(before.table(named: "t") != nil)
    }
    #expect(seen == [false, true])
  }

  @Test("Catalog.apply works statement by statement without a builder")
  func directApply() throws {
    var catalog = Catalog()
    let file = SQLParser.parse("CREATE TABLE t (id int); ALTER TABLE t RENAME TO u;")
    for (index, statement) in file.statements.enumerated() {
      let notes = catalog.apply(
        statement,
        origin: .migration(StatementSite(path: "m.sql", statementIndex: index))
      )
      #expect(notes.isEmpty)
    }
    #expect(catalog.table(named: "u")?.origin.site?.statementIndex == 0)
    var other = Catalog()
    #expect(other.apply(file).isEmpty)
    #expect(other.table(named: "u") != nil)
  }
}
