import ShiftCore
import ShiftSyntax
import Testing

@Suite struct ParserSQLiteTests {
  static let cases: [ParserCase] = [
    ParserCase(
      "CREATE TABLE with AUTOINCREMENT, conflict clauses and untyped columns",
      """
      CREATE TABLE t (
          a INTEGER PRIMARY KEY ASC AUTOINCREMENT,
          b TEXT NOT NULL ON CONFLICT FAIL DEFAULT 'x' COLLATE NOCASE,
          c,
          d VARYING CHARACTER(255) UNIQUE,
          e INT DEFAULT (strftime('%s', 'now')),
          f TEXT DEFAULT CURRENT_TIMESTAMP
      );
      """,
      kind: "create_table",
      dialect: .sqlite,
      tables: ["t"]
    ) { s in
      let table = try #require(s.createTable)
      #expect(table.columns.map(\.name.value) == ["a", "b", "c", "d", "e", "f"])
      #expect(
        table.columns.map { $0.type?.name } == [
          "integer", "text", nil, "varying character", "int", "text",
        ]
      )
      #expect(table.columns[0].constraintKinds == [.primaryKey, .autoincrement])
      #expect(table.columns[1].constraintKinds.first == .notNull)
      #expect(table.columns[1].constraintKinds.last == .collate("nocase"))
      #expect(table.columns[3].type?.modifiers == ["255"])
      #expect(table.columns[4].defaultValue?.calledFunctions == ["strftime"])
      #expect(table.columns[5].defaultValue?.call?.isKeywordForm == true)
      #expect(!table.isStrict && !table.isWithoutRowID)
    },
    ParserCase(
      "WITHOUT ROWID and STRICT, with table constraints",
      """
      CREATE TABLE u (
          id INTEGER, t_a INTEGER REFERENCES t ON DELETE SET DEFAULT,
          PRIMARY KEY (id, t_a) ON CONFLICT ROLLBACK, CHECK (id > 0),
          FOREIGN KEY (t_a) REFERENCES t (a) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
      ) WITHOUT ROWID, STRICT;
      """,
      kind: "create_table",
      dialect: .sqlite,
      tables: ["u", "t"]
    ) { s in
      let table = try #require(s.createTable)
      #expect(table.isStrict && table.isWithoutRowID)
      #expect(table.columns[1].reference?.onDelete == "SET DEFAULT")
      #expect(table.constraints.count == 3)
      #expect(
        table.constraints[0].kind == .primaryKey(columns: idents("id", "t_a"), usingIndex: nil)
      )
      #expect(table.constraints[2].isDeferrable)
    },
    ParserCase(
      "generated columns: VIRTUAL by default, STORED when written",
      "CREATE TABLE g (a TEXT, b TEXT GENERATED ALWAYS AS (upper(a)), c INT AS (length(a)) STORED);",
      kind: "create_table",
      dialect: .sqlite
    ) { s in
      let columns = try #require(s.createTable).columns
      let stored = columns.dropFirst().map { column -> Bool? in
        if case .generated(_, let isStored) = column.constraints.first?.kind { return isStored }
        return nil
      }
      #expect(stored == [false, true])
      #expect(columns[1].generatedExpression?.calledFunctions == ["upper"])
    },
    ParserCase(
      "bracket, backtick and quoted identifiers",
      "CREATE TABLE [Order Items] ([Item Id] INTEGER PRIMARY KEY, `unit price` REAL, \"say \"\"hi\"\"\" TEXT);",
      kind: "create_table",
      dialect: .sqlite,
      tables: ["Order Items"]
    ) { s in
      #expect(s.createTable?.columns.map(\.name.value) == ["Item Id", "unit price", #"say "hi""#])
    },
    ParserCase(
      "CREATE TABLE AS and TEMP",
      "CREATE TEMP TABLE IF NOT EXISTS main_copy AS SELECT * FROM t;",
      kind: "create_table",
      dialect: .sqlite
    ) { s in
      #expect(s.createTable?.isAsQuery == true)
      #expect(s.createTable?.isTemporary == true)
      #expect(s.createTable?.ifNotExists == true)
    },
    ParserCase(
      "ALTER TABLE ADD COLUMN",
      "ALTER TABLE main.users ADD COLUMN login_count INTEGER NOT NULL DEFAULT 0;",
      kind: "alter_table",
      dialect: .sqlite,
      tables: ["main.users"]
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      #expect(column.name.value == "login_count")
      #expect(column.type?.name == "integer")
      #expect(column.isNotNull)
      #expect(column.defaultValue?.literal == .number("0"))
    },
    ParserCase(
      "ALTER TABLE RENAME TO, RENAME COLUMN and DROP COLUMN",
      "ALTER TABLE users RENAME COLUMN nickname TO handle;",
      kind: "alter_table",
      dialect: .sqlite
    ) { s in
      #expect(s.actions == [.renameColumn(ident("nickname"), to: ident("handle"))])
      let rename = try single(
        "ALTER TABLE main.organisations RENAME TO [Organisations Archive];",
        .sqlite
      )
      #expect(rename.actions == [.renameTable(to: ident("Organisations Archive"))])
      let drop = try single("ALTER TABLE users DROP `zip code`;", .sqlite)
      #expect(drop.actions == [.dropColumn(ident("zip code"), ifExists: false, isCascade: false)])
    },
    ParserCase(
      "CREATE UNIQUE INDEX with a schema, collation and WHERE",
      "CREATE UNIQUE INDEX IF NOT EXISTS main.ix ON t (b COLLATE NOCASE ASC, lower(b) DESC) WHERE a > 0;",
      kind: "create_index",
      dialect: .sqlite,
      tables: ["t"]
    ) { s in
      let index = try #require(s.createIndex)
      #expect(index.name == qname("main.ix"))
      #expect(index.isUnique && index.ifNotExists)
      #expect(index.elements.map(\.options) == [["COLLATE nocase", "ASC"], ["DESC"]])
      #expect(index.predicate != nil)
    },
    ParserCase("DROP INDEX", "DROP INDEX IF EXISTS main.ix;", kind: "drop_index", dialect: .sqlite)
    { s in
      #expect(s.drop?.names == [qname("main.ix")])
      #expect(s.drop?.ifExists == true)
    },
    ParserCase(
      "CREATE TRIGGER with UPDATE OF, WHEN and a body",
      """
      CREATE TRIGGER IF NOT EXISTS tr BEFORE UPDATE OF b, d ON t FOR EACH ROW WHEN new.a > 0
      BEGIN
          UPDATE t SET d = NULL WHERE a = new.a;
          SELECT CASE WHEN new.b = '' THEN RAISE(IGNORE) END;
      END;
      """,
      kind: "create_trigger",
      dialect: .sqlite,
      tables: ["t"]
    ) { s in
      let trigger = try #require(s.createTrigger)
      #expect(trigger.ifNotExists)
      #expect(trigger.timing == "BEFORE")
      #expect(trigger.events == ["UPDATE"])
      #expect(trigger.updateColumns == idents("b", "d"))
      #expect(trigger.isForEachRow)
      #expect(trigger.condition?.columnReferences.map(\.description) == ["new.a"])
      #expect(trigger.function == nil)
      let body = try #require(trigger.body)
      #expect(body.length > 0)
    },
    ParserCase(
      "a trigger without timing",
      "CREATE TEMP TRIGGER tr3 INSERT ON t BEGIN SELECT 1; END;",
      kind: "create_trigger",
      dialect: .sqlite
    ) { s in
      #expect(s.createTrigger?.timing == "")
      #expect(s.createTrigger?.events == ["INSERT"])
    },
    ParserCase(
      "CREATE VIEW",
      "CREATE TEMP VIEW IF NOT EXISTS vv (p, q) AS SELECT a, b FROM t UNION SELECT 1, 2;",
      kind: "create_view",
      dialect: .sqlite,
      tables: ["vv", "t"]
    ) { s in
      #expect(s.createView?.columns == idents("p", "q"))
      #expect(s.createView?.isTemporary == true)
    },
    ParserCase("PRAGMA name = value", "PRAGMA foreign_keys = ON;", kind: "pragma", dialect: .sqlite)
    { s in
      #expect(s.kind == .pragma(name: qname("foreign_keys"), value: "ON"))
    },
    ParserCase(
      "PRAGMA schema.name = negative",
      "PRAGMA main.cache_size = -20000;",
      kind: "pragma",
      dialect: .sqlite
    ) { s in
      #expect(s.kind == .pragma(name: qname("main.cache_size"), value: "-20000"))
    },
    ParserCase(
      "PRAGMA name(argument) and bare",
      "PRAGMA table_info(users);",
      kind: "pragma",
      dialect: .sqlite
    ) { s in
      #expect(s.kind == .pragma(name: qname("table_info"), value: "users"))
      try #expect(
        single("PRAGMA user_version;", .sqlite).kind
          == .pragma(name: qname("user_version"), value: nil)
      )
      try #expect(
        single("PRAGMA journal_mode = 'wal';", .sqlite).kind
          == .pragma(name: qname("journal_mode"), value: "wal")
      )
    },
    ParserCase(
      "INSERT … SELECT of a table rebuild",
      "INSERT INTO new_users (id, email) SELECT id, coalesce(email, 'unknown-' || id) FROM users;",
      kind: "insert",
      dialect: .sqlite,
      tables: ["new_users"]
    ) { s in
      #expect(s.dataChange?.hasQuery == true)
      #expect(s.dataChange?.columns == idents("id", "email"))
    },
    ParserCase(
      "INSERT OR REPLACE, REPLACE INTO and UPDATE OR IGNORE",
      "INSERT OR REPLACE INTO settings VALUES ('mode', 'live');",
      kind: "insert",
      dialect: .sqlite
    ) { s in
      #expect(s.dataChange?.hasConflictClause == true)
      let replace = try single("REPLACE INTO settings (key, value) VALUES ('a', 'b');", .sqlite)
      #expect(replace.dataChange?.hasConflictClause == true)
      #expect(replace.dataChange?.operation == .insert)
      let update = try single(
        "UPDATE OR IGNORE users SET email = lower(email) WHERE id > 0;",
        .sqlite
      )
      #expect(update.dataChange?.hasConflictClause == true)
      #expect(update.dataChange?.hasWhere == true)
    },
    ParserCase(
      "parameters in expressions",
      "UPDATE users SET full_name = :full_name, status = @status WHERE id = ?1 AND email = $email;",
      kind: "update",
      dialect: .sqlite
    ) { s in
      guard case .parameter(let name, _) = s.dataChange?.assignments.first?.value else {
        Issue.record("not a parameter")
        return
      }
      #expect(name == ":full_name")
    },
    ParserCase(
      "DROP TABLE, VIEW and TRIGGER with a schema",
      "DROP TRIGGER IF EXISTS main.tr;",
      kind: "drop_trigger",
      dialect: .sqlite
    ) { s in
      #expect(s.drop?.names == [qname("main.tr")])
      try #expect(
        single("DROP VIEW main.[big spenders];", .sqlite).drop?.names == [
          qname("main.big spenders")
        ]
      )
    },
    ParserCase(
      "VACUUM INTO",
      "VACUUM main INTO '/tmp/backup.db';",
      kind: "vacuum",
      dialect: .sqlite
    ) { s in
      #expect(s.vacuum?.tables.isEmpty == true)
    },
    ParserCase("REINDEX", "REINDEX main.users_email_idx;", kind: "reindex", dialect: .sqlite) { s in
      #expect(s.reindex?.name == qname("main.users_email_idx"))
      try #expect(single("REINDEX;", .sqlite).reindex?.name == nil)
    },
    ParserCase(
      "ATTACH is other",
      "ATTACH DATABASE ':memory:' AS aux;",
      kind: "other",
      dialect: .sqlite
    ) { s in
      #expect(s.otherKeywords == "ATTACH DATABASE")
    },
  ]

  @Test(arguments: cases)
  func sqliteStatements(_ testCase: ParserCase) throws { try testCase.run() }
}
