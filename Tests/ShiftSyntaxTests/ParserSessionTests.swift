import ShiftCore
import ShiftSyntax
import Testing

@Suite struct ParserSessionTests {
  static let settingCases: [ParserCase] = [
    ParserCase("SET lock_timeout = string", "SET lock_timeout = '2s';", kind: "set") { s in
      #expect(
        s.setParameter
          == SetParameter(name: "lock_timeout", value: "2s", isLocal: false, isReset: false)
      )
    },
    ParserCase("SET … TO number", "SET lock_timeout TO 5000;", kind: "set") { s in
      #expect(s.setParameter?.value == "5000")
    },
    ParserCase("SET LOCAL", "SET LOCAL statement_timeout = 0;", kind: "set") { s in
      #expect(
        s.setParameter
          == SetParameter(name: "statement_timeout", value: "0", isLocal: true, isReset: false)
      )
    },
    ParserCase("SET SESSION … TO DEFAULT", "SET SESSION statement_timeout TO DEFAULT;", kind: "set")
    { s in
      #expect(
        s.setParameter
          == SetParameter(name: "statement_timeout", value: nil, isLocal: false, isReset: false)
      )
    },
    ParserCase("SET a list value", "SET search_path TO public, \"$user\";", kind: "set") { s in
      #expect(s.setParameter?.name == "search_path")
      #expect(s.setParameter?.value == "public, $user")
    },
    ParserCase("SET TIME ZONE", "SET TIME ZONE 'UTC';", kind: "set") { s in
      #expect(s.setParameter?.name == "timezone")
      #expect(s.setParameter?.value == "UTC")
    },
    ParserCase("SET SCHEMA and SET NAMES take a bare value", "SET SCHEMA 'app';", kind: "set") {
      s in
      #expect(s.setParameter?.name == "search_path")
      #expect(s.setParameter?.value == "app")
      let names = try single("SET NAMES 'UTF8';")
      #expect(names.setParameter?.name == "client_encoding")
    },
    ParserCase(
      "SET ROLE and SESSION AUTHORIZATION",
      "SET SESSION AUTHORIZATION DEFAULT;",
      kind: "set"
    ) { s in
      #expect(s.setParameter?.name == "role")
      try #expect(single("SET ROLE NONE;").setParameter?.name == "role")
    },
    ParserCase("RESET", "RESET lock_timeout;", kind: "reset") { s in
      #expect(
        s.setParameter
          == SetParameter(name: "lock_timeout", value: nil, isLocal: false, isReset: true)
      )
      try #expect(single("RESET ALL;").setParameter?.name == "all")
      try #expect(single("RESET TIME ZONE;").setParameter?.name == "timezone")
      try #expect(
        single("RESET SESSION AUTHORIZATION;").setParameter?.name == "session_authorization"
      )
    },
    ParserCase(
      "SET TRANSACTION",
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;",
      kind: "set_transaction"
    ) { s in
      #expect(s.transaction == .setTransaction)
      try #expect(single("SET CONSTRAINTS ALL DEFERRED;").transaction == .setTransaction)
    },
  ]

  static let transactionCases: [ParserCase] = [
    ParserCase("BEGIN", "BEGIN;", kind: "begin") { s in
      #expect(s.transaction == .begin)
      try #expect(single("BEGIN ISOLATION LEVEL READ COMMITTED, READ ONLY;").transaction == .begin)
      try #expect(single("START TRANSACTION;").transaction == .begin)
    },
    ParserCase("COMMIT and END", "COMMIT WORK;", kind: "commit") { s in
      #expect(s.transaction == .commit)
      try #expect(single("END;").transaction == .commit)
      try #expect(single("COMMIT AND CHAIN;").transaction == .commit)
    },
    ParserCase("ROLLBACK and ABORT", "ROLLBACK;", kind: "rollback") { s in
      #expect(s.transaction == .rollback)
      try #expect(single("ABORT TRANSACTION;").transaction == .rollback)
    },
    ParserCase("SAVEPOINT", "SAVEPOINT before_update;", kind: "savepoint") { s in
      #expect(s.transaction == .savepoint("before_update"))
    },
    ParserCase("RELEASE SAVEPOINT", "RELEASE SAVEPOINT \"My Point\";", kind: "release_savepoint") {
      s in
      #expect(s.transaction == .release("My Point"))
      try #expect(single("RELEASE third;").transaction == .release("third"))
    },
    ParserCase(
      "ROLLBACK TO SAVEPOINT",
      "ROLLBACK TO SAVEPOINT before_update;",
      kind: "rollback_to_savepoint"
    ) { s in
      #expect(s.transaction == .rollbackToSavepoint("before_update"))
      try #expect(
        single("ROLLBACK TRANSACTION TO third;").transaction == .rollbackToSavepoint("third")
      )
    },
    ParserCase("two-phase commit", "PREPARE TRANSACTION 'tx1';", kind: "prepare_transaction") { s in
      try #expect(single("COMMIT PREPARED 'tx1';").transaction == .commitPrepared)
      try #expect(single("ROLLBACK PREPARED 'tx1';").transaction == .rollbackPrepared)
    },
    ParserCase(
      "LOCK TABLE with a mode and NOWAIT",
      "LOCK TABLE users IN ACCESS EXCLUSIVE MODE NOWAIT;",
      kind: "lock_table",
      tables: ["users"]
    ) { s in
      #expect(
        s.lockTable == LockTable(tables: [qname("users")], mode: "ACCESS EXCLUSIVE", isNoWait: true)
      )
    },
    ParserCase("LOCK without a mode is ACCESS EXCLUSIVE", "LOCK users;", kind: "lock_table") { s in
      #expect(
        s.lockTable
          == LockTable(tables: [qname("users")], mode: "ACCESS EXCLUSIVE", isNoWait: false)
      )
    },
    ParserCase(
      "LOCK several tables IN SHARE ROW EXCLUSIVE MODE",
      "LOCK TABLE ONLY orders, public.users IN SHARE ROW EXCLUSIVE MODE;",
      kind: "lock_table",
      tables: ["orders", "public.users"]
    ) { s in
      #expect(s.lockTable?.mode == "SHARE ROW EXCLUSIVE")
      try #expect(
        single("LOCK t IN SHARE UPDATE EXCLUSIVE MODE;").lockTable?.mode == "SHARE UPDATE EXCLUSIVE"
      )
      try #expect(single("LOCK t IN ROW SHARE MODE;").lockTable?.mode == "ROW SHARE")
    },
  ]

  static let dataCases: [ParserCase] = [
    ParserCase(
      "INSERT … VALUES with a column list",
      "INSERT INTO users (email, first_name) VALUES ('a@example.com', 'Ada'), ('b', 'B');",
      kind: "insert",
      tables: ["users"]
    ) { s in
      let change = try #require(s.dataChange)
      #expect(change.operation == .insert)
      #expect(change.columns == idents("email", "first_name"))
      #expect(!change.hasQuery && !change.hasWhere && !change.hasConflictClause && !change.hasWith)
    },
    ParserCase(
      "INSERT … SELECT",
      "INSERT INTO users (email) SELECT i.email FROM user_imports AS i WHERE i.ok;",
      kind: "insert"
    ) { s in
      #expect(s.dataChange?.hasQuery == true)
      #expect(s.dataChange?.hasWhere == false)
    },
    ParserCase(
      "INSERT … ON CONFLICT DO UPDATE",
      "INSERT INTO settings AS s (key, value) VALUES ('mode', 'x') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE s.key <> '' RETURNING *;",
      kind: "insert",
      tables: ["settings"]
    ) { s in
      #expect(s.dataChange?.hasConflictClause == true)
      #expect(s.dataChange?.columns == idents("key", "value"))
    },
    ParserCase(
      "INSERT DEFAULT VALUES, OVERRIDING and TABLE",
      "INSERT INTO settings DEFAULT VALUES RETURNING *;",
      kind: "insert"
    ) { s in
      #expect(s.dataChange?.hasQuery == false)
      let overriding = try single(
        "INSERT INTO users (id, email) OVERRIDING SYSTEM VALUE VALUES (1, 'x');"
      )
      #expect(overriding.dataChange?.columns == idents("id", "email"))
      let table = try single("INSERT INTO a TABLE b;")
      #expect(table.dataChange?.hasQuery == true)
    },
    ParserCase(
      "WITH … INSERT … SELECT",
      "WITH moved AS (DELETE FROM orders WHERE status = 'x' RETURNING *) INSERT INTO orders_archive SELECT * FROM moved;",
      kind: "insert",
      tables: ["orders_archive"]
    ) { s in
      #expect(s.dataChange?.hasWith == true)
      #expect(s.dataChange?.hasQuery == true)
    },
    ParserCase(
      "UPDATE without WHERE",
      "UPDATE users SET full_name = first_name || ' ' || last_name;",
      kind: "update",
      tables: ["users"]
    ) { s in
      let change = try #require(s.dataChange)
      #expect(change.columns == idents("full_name"))
      #expect(!change.hasWhere)
      #expect(change.predicate == nil)
      #expect(
        change.assignments.first?.value?.columnReferences.map(\.description) == [
          "first_name", "last_name",
        ]
      )
    },
    ParserCase(
      "UPDATE … WHERE keeps the predicate",
      "UPDATE users SET status = 'inactive', updated_at = now() WHERE created_at < now() - interval '1 year';",
      kind: "update"
    ) { s in
      let change = try #require(s.dataChange)
      #expect(change.columns == idents("status", "updated_at"))
      #expect(change.hasWhere)
      #expect(change.predicate?.operatorText == "<")
      #expect(change.assignments.last?.value?.calledFunctions == ["now"])
    },
    ParserCase(
      "UPDATE a column tuple",
      "UPDATE users SET (first_name, last_name) = ('Alan M.', 'Turing') WHERE email = 'alan@example.com';",
      kind: "update"
    ) { s in
      #expect(s.dataChange?.columns == idents("first_name", "last_name"))
      #expect(s.dataChange?.assignments.count == 2)
    },
    ParserCase(
      "UPDATE … FROM with an alias",
      "UPDATE ONLY orders AS o SET status = 'flagged' FROM users AS u WHERE o.user_id = u.id;",
      kind: "update",
      tables: ["orders"]
    ) { s in
      #expect(s.dataChange?.hasQuery == true)
      #expect(s.dataChange?.hasWhere == true)
      let alias = try single("UPDATE t x SET a = 1 WHERE x.id = 2;")
      #expect(alias.dataChange?.table == qname("t"))
    },
    ParserCase(
      "UPDATE with subscripts and WHERE CURRENT OF",
      "UPDATE users SET tags[1] = 'x' WHERE CURRENT OF c;",
      kind: "update"
    ) { s in
      #expect(s.dataChange?.columns == idents("tags"))
      #expect(s.dataChange?.hasWhere == true)
    },
    ParserCase(
      "DELETE without WHERE",
      "DELETE FROM user_imports;",
      kind: "delete",
      tables: ["user_imports"]
    ) { s in
      #expect(s.dataChange?.operation == .delete)
      #expect(s.dataChange?.hasWhere == false)
    },
    ParserCase(
      "DELETE … USING … WHERE … RETURNING",
      "DELETE FROM orders AS o USING users AS u WHERE o.user_id = u.id RETURNING o.id;",
      kind: "delete",
      tables: ["orders"]
    ) { s in
      #expect(s.dataChange?.hasQuery == true)
      #expect(s.dataChange?.hasWhere == true)
    },
    ParserCase("queries are selects", "SELECT 1 FROM t WHERE a = 1;", kind: "select") { s in
      #expect(s.kind == .select)
      for sql in [
        "VALUES (1, 'one');", "TABLE t;", "EXPLAIN SELECT 1;", "SHOW lock_timeout;",
        "(SELECT 1) UNION ALL (SELECT 2);",
        "WITH x AS (SELECT 1) SELECT * FROM x;",
      ] {
        try #expect(single(sql).kind == .select, "\(sql)")
      }
    },
  ]

  static let otherCases: [ParserCase] = [
    ParserCase(
      "DO with a dollar-quoted body",
      "DO $$ BEGIN PERFORM 1; END $$;",
      kind: "do"
    ) { s in
      guard case .doBlock(let body) = s.kind else {
        Issue.record("not DO")
        return
      }
      #expect(body == SourceRange(start: 3, end: 29))
    },
    ParserCase(
      "DO LANGUAGE first or last",
      "DO LANGUAGE plpgsql $do$ BEGIN NULL; END $do$;",
      kind: "do"
    ) { s in
      try #expect(single("DO $$ BEGIN NULL; END $$ LANGUAGE plpgsql;").kindName == "do")
      try #expect(single("DO 'BEGIN NULL; END';").kindName == "do")
    },
    ParserCase(
      "COPY FROM stdin",
      "COPY import_rows (label, note) FROM stdin;",
      kind: "copy",
      tables: ["import_rows"]
    ) { s in
      #expect(s.kind == .copy(table: qname("import_rows"), isFromStdin: true))
    },
    ParserCase(
      "COPY a query TO STDOUT",
      "COPY (SELECT 1) TO STDOUT WITH (FORMAT csv);",
      kind: "copy"
    ) { s in
      #expect(s.kind == .copy(table: nil, isFromStdin: false))
      try #expect(
        single("COPY t TO '/tmp/t.csv';").kind == .copy(table: qname("t"), isFromStdin: false)
      )
    },
    ParserCase(
      "GRANT on a table",
      "GRANT SELECT, UPDATE (email) ON TABLE users TO app_writer WITH GRANT OPTION;",
      kind: "grant"
    ) { s in
      let grant = try #require(s.object)
      #expect(grant.objectType == .table)
      #expect(grant.names == [qname("users")])
      #expect(grant.flags.first == "GRANT")
    },
    ParserCase(
      "REVOKE … CASCADE",
      "REVOKE INSERT ON users FROM app_writer CASCADE;",
      kind: "revoke"
    ) { s in
      #expect(s.object?.names == [qname("users")])
      #expect(s.object?.has("CASCADE") == true)
    },
    ParserCase("GRANT role membership", "GRANT app_readonly TO app_writer;", kind: "grant") { s in
      #expect(s.object?.objectType == .role)
    },
    ParserCase(
      "GRANT on a schema and on all tables",
      "GRANT USAGE ON SCHEMA app TO r1, r2;",
      kind: "grant"
    ) { s in
      #expect(s.object?.objectType == .schema)
      #expect(s.object?.names == [qname("app")])
      let all = try single("GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO w;")
      #expect(all.object?.objectType == .other("TABLES IN SCHEMA"))
      #expect(all.object?.names == [qname("public")])
    },
    ParserCase(
      "COMMENT ON TABLE",
      "COMMENT ON TABLE users IS 'People; one per account.';",
      kind: "comment"
    ) { s in
      #expect(s.object?.objectType == .table)
      #expect(s.object?.names == [qname("users")])
    },
    ParserCase(
      "COMMENT ON COLUMN IS NULL",
      "COMMENT ON COLUMN public.users.email IS NULL;",
      kind: "comment"
    ) { s in
      #expect(s.object?.objectType == .column)
      #expect(s.object?.names == [qname("public.users.email")])
    },
    ParserCase(
      "COMMENT ON CONSTRAINT … ON table",
      "COMMENT ON CONSTRAINT c ON users IS $$x$$;",
      kind: "comment"
    ) { s in
      #expect(s.object?.objectType == .constraint)
      #expect(s.object?.table == qname("users"))
      try #expect(
        single("COMMENT ON MATERIALIZED VIEW mv IS 'x';").object?.objectType == .materializedView
      )
    },
    ParserCase(
      "CREATE SCHEMA",
      "CREATE SCHEMA IF NOT EXISTS app AUTHORIZATION app_writer;",
      kind: "create_schema"
    ) { s in
      #expect(s.object?.names == [qname("app")])
      #expect(s.object?.flags == ["CREATE", "IF NOT EXISTS"])
    },
    ParserCase(
      "CREATE EXTENSION",
      "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA app;",
      kind: "create_extension"
    ) { s in
      #expect(s.object?.names == [qname("citext")])
      #expect(s.object?.has("IF NOT EXISTS") == true)
    },
    ParserCase(
      "CREATE DOMAIN",
      "CREATE DOMAIN app.email_address AS text COLLATE \"C\" DEFAULT '' CONSTRAINT has_at CHECK (VALUE ~ '@');",
      kind: "create_domain"
    ) { s in
      #expect(s.object?.objectType == .domain)
      #expect(s.object?.names == [qname("app.email_address")])
    },
    ParserCase(
      "CREATE POLICY names its table",
      "CREATE POLICY tenant_isolation ON users AS RESTRICTIVE FOR SELECT TO app USING (tenant_id = 1) WITH CHECK (true);",
      kind: "create_policy",
      tables: ["users"]
    ) { s in
      #expect(s.object?.names == [qname("tenant_isolation")])
    },
    ParserCase(
      "CREATE and ALTER SEQUENCE",
      "CREATE SEQUENCE IF NOT EXISTS app.ticket_seq AS integer INCREMENT BY 10 START WITH 100;",
      kind: "create_sequence"
    ) { s in
      #expect(s.object?.names == [qname("app.ticket_seq")])
      #expect(s.object?.has("IF NOT EXISTS") == true)
      try #expect(single("ALTER SEQUENCE s RESTART WITH 1000;").kindName == "alter_sequence")
    },
    ParserCase(
      "CREATE RULE",
      "CREATE OR REPLACE RULE r AS ON DELETE TO users DO INSTEAD UPDATE users SET deleted = true WHERE id = OLD.id;",
      kind: "create_rule",
      tables: ["users"]
    ) { s in
      #expect(s.object?.flags == ["CREATE", "DELETE"])
    },
    ParserCase(
      "an unmodelled CREATE becomes other with its keywords",
      "CREATE AGGREGATE my_sum (int) (SFUNC = int4pl, STYPE = int);",
      kind: "other"
    ) { s in
      #expect(s.otherKeywords?.hasPrefix("CREATE AGGREGATE") == true)
      #expect(s.tablesTouched.isEmpty)
    },
    ParserCase("LISTEN is other", "LISTEN schema_changes;", kind: "other") { s in
      #expect(s.otherKeywords == "LISTEN SCHEMA_CHANGES")
      try #expect(single("CHECKPOINT;").otherKeywords == "CHECKPOINT")
      try #expect(single("NOTIFY c, 'x; y';").otherKeywords?.hasPrefix("NOTIFY") == true)
      try #expect(single("CREATE CAST (text AS int) WITH INOUT;").otherKeywords == "CREATE CAST")
      try #expect(
        single("DROP CAST IF EXISTS (text AS int);").otherKeywords?.hasPrefix("DROP CAST") == true
      )
      try #expect(
        single("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE;").otherKeywords?
          .hasPrefix("MERGE") == true
      )
    },
  ]

  @Test(arguments: settingCases)
  func setAndResetStatements(_ testCase: ParserCase) throws { try testCase.run() }

  @Test(arguments: transactionCases)
  func transactionAndLockStatements(_ testCase: ParserCase) throws { try testCase.run() }

  @Test(arguments: dataCases)
  func dataChangingStatements(_ testCase: ParserCase) throws { try testCase.run() }

  @Test(arguments: otherCases)
  func otherStatementForms(_ testCase: ParserCase) throws { try testCase.run() }

  @Test func anUnmodelledStatementKeepsItsRange() throws {
    let sql = "SELECT 1;\nCREATE AGGREGATE a (int) (SFUNC = int4pl, STYPE = int);\nSELECT 2;"
    let parsed = parse(sql)
    #expect(parsed.errors.isEmpty)
    try #require(parsed.statements.count == 3)
    #expect(
      parsed.source.text(parsed.statements[1].range)
        == "CREATE AGGREGATE a (int) (SFUNC = int4pl, STYPE = int)"
    )
    #expect(parsed.statements[1].kindName == "other")
  }
}
