import ShiftSchema
import ShiftSyntax
import Testing

/// One replay and a check of the resulting catalog.
struct ReplayCase: CustomTestStringConvertible, Sendable {
  var name: String
  var sql: String
  var dialect: Dialect = .postgres
  var check: @Sendable (Catalog, [Assumption]) -> Void

  var testDescription: String { name }
}

@Suite struct ReplayTableTests {
  static let cases: [ReplayCase] = [
    ReplayCase(
      name: "defaults and their volatility",
      sql: """
        CREATE TABLE t (
          a int DEFAULT 1, b timestamptz DEFAULT now(), c float8 DEFAULT random(),
          d uuid DEFAULT gen_random_uuid(), e text DEFAULT my_fn(), f serial,
          g timestamptz DEFAULT CURRENT_TIMESTAMP, h date DEFAULT '2024-01-01'::date);
        ALTER TABLE t ALTER COLUMN a SET DEFAULT 2, ALTER COLUMN b DROP DEFAULT;
        """
    ) { catalog, _ in
      let table = catalog.table(named: "t")
      #expect(table?.column(named: "a")?.defaultVolatility == .immutable)
      guard case .literal(.number("2"), _)? = table?.column(named: "a")?.defaultValue else {
        Issue.record("default of a is not 2")
        return
      }
      #expect(table?.column(named: "b")?.defaultValue == nil)
      #expect(table?.column(named: "b")?.defaultVolatility == nil)
      #expect(table?.column(named: "c")?.defaultVolatility == .volatile)
      #expect(table?.column(named: "d")?.defaultVolatility == .volatile)
      #expect(table?.column(named: "e")?.defaultVolatility == .unknown(["my_fn"]))
      #expect(table?.column(named: "f")?.defaultVolatility == .volatile)
      #expect(table?.column(named: "f")?.type?.canonicalName == "int4")
      #expect(table?.column(named: "f")?.isNotNull == true)
      #expect(catalog.sequence(named: "t_f_seq")?.ownedBy?.column == "f")
      #expect(table?.column(named: "g")?.defaultVolatility == .stable)
      #expect(table?.column(named: "h")?.defaultVolatility == .immutable)
    },
    ReplayCase(
      name: "validation flags follow NOT VALID and VALIDATE",
      sql: """
        CREATE TABLE p (id int PRIMARY KEY);
        CREATE TABLE c (id int, p_id int, n int, CONSTRAINT c_n CHECK (n > 0) NOT VALID);
        ALTER TABLE c ADD CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p NOT VALID;
        ALTER TABLE c ADD CONSTRAINT c_n2 CHECK (n < 10) NOT VALID;
        ALTER TABLE c ADD CHECK (n <> 5);
        ALTER TABLE c VALIDATE CONSTRAINT c_n2;
        """
    ) { catalog, notes in
      #expect(notes.isEmpty)
      let constraints = catalog.constraints(on: "c")
      #expect(constraints.map(\.name) == ["c_n", "c_p", "c_n2", "c_n_check"])
      #expect(constraints.map(\.isValidated) == [true, false, true, true])
      #expect(constraints[1].reference?.columns == ["id"])
    },
    ReplayCase(
      name: "enum labels keep their order",
      sql: """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        ALTER TYPE mood ADD VALUE 'ecstatic';
        ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
        ALTER TYPE mood ADD VALUE IF NOT EXISTS 'glad' AFTER 'ok';
        ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
        ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';
        CREATE TABLE person (m mood);
        ALTER TYPE mood RENAME TO feeling;
        """
    ) { catalog, notes in
      #expect(catalog.type(named: "mood") == nil)
      #expect(
        catalog.type(named: "feeling")?.enumLabels == [
          "blue", "meh", "ok", "glad", "happy", "ecstatic",
        ]
      )
      #expect(catalog.column("m", of: "person")?.type?.canonicalName == "public.feeling")
      #expect(notes.map(\.kind) == [.skippedExisting])
    },
    ReplayCase(
      name: "renames keep references pointing at the object",
      sql: """
        CREATE TABLE a (id int PRIMARY KEY, code text UNIQUE);
        CREATE TABLE b (id int, a_id int REFERENCES a, a_code text REFERENCES a (code));
        CREATE INDEX b_a_code_idx ON b (a_code) WHERE a_code <> '';
        ALTER TABLE a RENAME TO accounts;
        ALTER TABLE accounts RENAME COLUMN code TO slug;
        ALTER TABLE b RENAME COLUMN a_code TO account_slug;
        ALTER TABLE accounts RENAME CONSTRAINT a_code_key TO accounts_slug_key;
        ALTER INDEX a_pkey RENAME TO accounts_pkey;
        CREATE VIEW v AS SELECT * FROM accounts;
        ALTER TABLE v RENAME TO accounts_view;
        """
    ) { catalog, notes in
      #expect(notes.isEmpty)
      #expect(catalog.table(named: "a") == nil)
      let accounts = catalog.table(named: "accounts")
      #expect(accounts?.columnNames == ["id", "slug"])
      #expect(catalog.constraintNames("accounts") == ["accounts_pkey", "accounts_slug_key"])
      #expect(catalog.indexNames("accounts") == ["accounts_pkey", "accounts_slug_key"])
      #expect(accounts?.constraint(named: "accounts_slug_key")?.columns == ["slug"])
      let foreignKeys = catalog.constraints(on: "b")
      #expect(foreignKeys.map(\.name) == ["b_a_id_fkey", "b_a_code_fkey"])
      #expect(foreignKeys.map { $0.reference?.table.name } == ["accounts", "accounts"])
      #expect(foreignKeys.map { $0.reference?.columns ?? [] } == [["id"], ["slug"]])
      #expect(foreignKeys[1].columns == ["account_slug"])
      let index = catalog.index(named: "b_a_code_idx")
      #expect(index?.keys.first?.column == "account_slug")
      #expect(index?.predicate?.columnReferences.map(\.description) == ["account_slug"])
      #expect(catalog.view(named: "accounts_view")?.referencedRelations.map(\.name) == ["accounts"])
    },
    ReplayCase(
      name: "drops take their dependents",
      sql: """
        CREATE TABLE p (id int PRIMARY KEY, x int, y int);
        CREATE TABLE c (id int, p_id int REFERENCES p, z int);
        CREATE INDEX p_x_y_idx ON p (x, y);
        CREATE INDEX p_lower_idx ON p ((x + 1));
        ALTER TABLE p ADD CONSTRAINT p_y_check CHECK (y > 0);
        ALTER TABLE p DROP COLUMN y;
        ALTER TABLE p DROP CONSTRAINT IF EXISTS nope;
        DROP INDEX p_lower_idx;
        CREATE TABLE d (p_id int REFERENCES p);
        DROP TABLE p CASCADE;
        DROP TABLE IF EXISTS missing;
        """
    ) { catalog, notes in
      #expect(catalog.table(named: "p") == nil)
      #expect(catalog.constraints(on: "c").isEmpty)
      #expect(catalog.constraints(on: "d").isEmpty)
      #expect(notes.map(\.kind) == [.skippedMissing, .skippedMissing])
      #expect(notes.last?.message == "table public.missing does not exist; nothing dropped")
    },
    ReplayCase(
      name: "dropping what others need without CASCADE is a conflict",
      sql: """
        CREATE TABLE p (id int PRIMARY KEY);
        CREATE TABLE c (p_id int REFERENCES p);
        DROP TABLE p;
        """
    ) { catalog, notes in
      #expect(catalog.table(named: "p") == nil)
      #expect(notes.map(\.kind) == [.conflict])
      #expect(notes.first?.message.contains("c_p_id_fkey") == true)
    },
    ReplayCase(
      name: "column changes: type, NOT NULL, identity, generated, collation",
      sql: """
        CREATE TABLE t (a varchar(10) COLLATE "C", b int NOT NULL, c int GENERATED ALWAYS AS (b * 2) STORED);
        ALTER TABLE t ALTER COLUMN a TYPE varchar(255), ALTER COLUMN a SET NOT NULL;
        ALTER TABLE t ALTER COLUMN b ADD GENERATED BY DEFAULT AS IDENTITY;
        ALTER TABLE t ALTER COLUMN c DROP EXPRESSION;
        ALTER TABLE t ALTER COLUMN b SET GENERATED ALWAYS;
        ALTER TABLE t ALTER COLUMN b DROP NOT NULL;
        """
    ) { catalog, _ in
      let table = catalog.table(named: "t")
      #expect(table?.column(named: "a")?.type?.description == "varchar(255)")
      #expect(table?.column(named: "a")?.collation == "C")
      #expect(table?.column(named: "a")?.isNotNull == true)
      #expect(table?.column(named: "b")?.identity == .always)
      #expect(table?.column(named: "b")?.isNotNull == false)
      #expect(catalog.sequence(named: "t_b_seq")?.isIdentity == true)
      #expect(table?.column(named: "c")?.generated == nil)
    },
    ReplayCase(
      name: "DROP IDENTITY is read from the source",
      sql: """
        CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);
        ALTER TABLE t ALTER COLUMN id DROP IDENTITY IF EXISTS;
        """
    ) { catalog, _ in
      #expect(catalog.column("id", of: "t")?.identity == nil)
      #expect(catalog.sequence(named: "t_id_seq") == nil)
    },
    ReplayCase(
      name: "indexes: concurrently built ones are valid, unique, partial, methods",
      sql: """
        CREATE TABLE t (a int, b jsonb, c text);
        CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a) WHERE a > 0;
        CREATE INDEX ON t USING gin (b);
        CREATE INDEX IF NOT EXISTS t_a_key ON t (c);
        CREATE INDEX t_c_idx ON t (c, a) INCLUDE (b);
        """
    ) { catalog, notes in
      let indexes = catalog.indexes(on: "t")
      #expect(indexes.map(\.name) == ["t_a_key", "t_b_idx", "t_c_idx"])
      #expect(indexes.map(\.isValid) == [true, true, true])
      #expect(indexes.map(\.isUnique) == [true, false, false])
      #expect(indexes.map(\.method) == ["btree", "gin", "btree"])
      #expect(indexes[0].predicate != nil)
      #expect(indexes[2].include == ["b"])
      #expect(notes.map(\.kind) == [.skippedExisting])
      // A partial index does not serve foreign-key lookups; leading columns in any order do.
      #expect(!catalog.hasIndexCovering(columns: ["a"], on: "t"))
      #expect(catalog.hasIndexCovering(columns: ["a", "c"], on: "t"))
      #expect(catalog.hasIndexCovering(columns: ["c"], on: "t"))
      #expect(!catalog.hasIndexCovering(columns: ["a", "b"], on: "t"))
    },
    ReplayCase(
      name: "unique and primary keys USING INDEX take the index",
      sql: """
        CREATE TABLE t (a int, b int);
        CREATE UNIQUE INDEX CONCURRENTLY t_a_idx ON t (a);
        ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX t_a_idx;
        CREATE UNIQUE INDEX t_b_idx ON t (b);
        ALTER TABLE t ADD UNIQUE USING INDEX t_b_idx;
        """
    ) { catalog, _ in
      #expect(catalog.constraintNames("t") == ["t_pk", "t_b_idx"])
      #expect(catalog.indexNames("t") == ["t_pk", "t_b_idx"])
      #expect(catalog.column("a", of: "t")?.isNotNull == true)
      #expect(catalog.table(named: "t")?.primaryKey?.columns == ["a"])
      #expect(catalog.indexes(on: "t").map(\.constraintName) == ["t_pk", "t_b_idx"])
    },
    ReplayCase(
      name: "partitions, attach and detach, inheritance, LIKE",
      sql: """
        CREATE TABLE m (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
        CREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE m_2025 (id int NOT NULL, at date NOT NULL);
        ALTER TABLE m ATTACH PARTITION m_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        ALTER TABLE m DETACH PARTITION m_2024 CONCURRENTLY;
        CREATE INDEX ON m (at);
        CREATE INDEX m_id_at ON m (id, at);
        CREATE TABLE child (extra text) INHERITS (m_2025);
        CREATE UNLOGGED TABLE copy (LIKE m, note text);
        """
    ) { catalog, _ in
      #expect(catalog.table(named: "m")?.isPartitioned == true)
      #expect(catalog.table(named: "m_2024")?.partitionParent == nil)
      #expect(catalog.table(named: "m_2024")?.columnNames == ["id", "at"])
      #expect(catalog.constraintNames("m_2024") == ["m_2024_pkey"])
      #expect(catalog.table(named: "m_2025")?.partitionParent?.name == "m")
      // Names as PostgreSQL 15 gave them.
      #expect(catalog.indexNames("m") == ["m_pkey", "m_at_idx", "m_id_at"])
      #expect(catalog.indexNames("m_2025") == ["m_2025_pkey", "m_2025_at_idx", "m_2025_id_at_idx"])
      #expect(catalog.indexNames("m_2024") == ["m_2024_pkey"])  // detached before
      #expect(catalog.table(named: "child")?.columnNames == ["id", "at", "extra"])
      #expect(catalog.table(named: "child")?.inherits.map(\.name) == ["m_2025"])
      #expect(catalog.table(named: "copy")?.columnNames == ["id", "at", "note"])
      #expect(catalog.table(named: "copy")?.isUnlogged == true)
      #expect(catalog.column("at", of: "copy")?.isNotNull == true)
      #expect(catalog.constraints(on: "copy").isEmpty)
    },
    ReplayCase(
      name: "views, materialized views and their indexes",
      sql: """
        CREATE TABLE t (a int, b int);
        CREATE VIEW v (x, y) AS SELECT a, b FROM t;
        CREATE OR REPLACE VIEW v (x, y) AS SELECT a, b FROM t WHERE a > 0;
        CREATE MATERIALIZED VIEW mv AS SELECT a FROM t WITH NO DATA;
        CREATE UNIQUE INDEX ON mv (a);
        REFRESH MATERIALIZED VIEW mv;
        ALTER VIEW v RENAME COLUMN x TO ex;
        DROP VIEW v;
        """
    ) { catalog, notes in
      #expect(notes.isEmpty)
      #expect(catalog.view(named: "v") == nil)
      let view = catalog.view(named: "mv")
      #expect(view?.isMaterialized == true)
      #expect(view?.isPopulated == true)
      #expect(view?.columns == nil)
      #expect(catalog.indexNames("mv") == ["mv_a_idx"])
    },
    ReplayCase(
      name: "sequences, functions, triggers, extensions",
      sql: """
        CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;
        CREATE TABLE t (id bigint, n int);
        CREATE SEQUENCE t_id_seq OWNED BY t.id;
        ALTER SEQUENCE t_id_seq RENAME TO t_ids;
        CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
        CREATE FUNCTION f(x text) RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE OR REPLACE FUNCTION f(x  INT) RETURNS int LANGUAGE sql STABLE AS 'SELECT x';
        CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
        ALTER FUNCTION trg() STABLE;
        CREATE TRIGGER t_touch BEFORE UPDATE OF n ON t FOR EACH ROW EXECUTE FUNCTION trg();
        ALTER TABLE t DISABLE TRIGGER t_touch;
        ALTER TRIGGER t_touch ON t RENAME TO t_touched;
        ALTER TABLE t RENAME COLUMN n TO m;
        """
    ) { catalog, notes in
      #expect(notes.isEmpty)
      #expect(catalog.extensions["pgcrypto"]?.schema == "extensions")
      #expect(catalog.sequence(named: "t_ids")?.ownedBy?.table.name == "t")
      #expect(catalog.functions(named: "f").map(\.volatility) == [.stable, .volatile])
      #expect(catalog.functions(named: "f").first?.signature == "x int")
      #expect(catalog.functions(named: "trg").first?.volatility == .stable)
      let trigger = catalog.table(named: "t")?.triggers.first
      #expect(trigger?.name == "t_touched")
      #expect(trigger?.isEnabled == false)
      #expect(trigger?.updateColumns == ["m"])
      #expect(trigger?.events == ["UPDATE"])
    },
    ReplayCase(
      name: "search_path decides where unqualified names go",
      sql: """
        CREATE SCHEMA app;
        SET search_path TO app, public;
        CREATE TABLE t (id int PRIMARY KEY);
        CREATE TABLE public.u (t_id int REFERENCES t);
        RESET search_path;
        CREATE TABLE t (x int);
        SET search_path = "app";
        ALTER TABLE t ADD COLUMN y int;
        """
    ) { catalog, notes in
      #expect(notes.isEmpty)
      #expect(
        catalog.table(named: ObjectName(schema: "app", name: "t"))?.columnNames == ["id", "y"]
      )
      #expect(catalog.table(named: "public.t")?.columnNames == ["x"])
      #expect(catalog.constraints(on: "public.u").first?.reference?.table.description == "app.t")
      #expect(catalog.searchPath == ["app"])
      #expect(catalog.table(named: "t")?.name.schema == "app")
    },
    ReplayCase(
      name: "schemas: drop cascade, rename",
      sql: """
        CREATE SCHEMA s;
        CREATE TABLE s.a (id int);
        CREATE SCHEMA IF NOT EXISTS s;
        ALTER SCHEMA s RENAME TO r;
        CREATE SCHEMA gone;
        CREATE TABLE gone.b (id int);
        DROP SCHEMA gone CASCADE;
        """
    ) { catalog, notes in
      #expect(notes.map(\.kind) == [.skippedExisting])
      #expect(catalog.table(named: "r.a") != nil)
      #expect(catalog.table(named: "gone.b") == nil)
      #expect(catalog.schemas == ["public", "r"])
    },
    ReplayCase(
      name: "CREATE TABLE AS has unknown columns",
      sql: "CREATE TABLE t AS SELECT 1 AS a;"
    ) { catalog, notes in
      #expect(catalog.table(named: "t")?.isComplete == false)
      #expect(notes.map(\.kind) == [.notModelled])
    },
    ReplayCase(
      name: "SQLite: autoindexes, rowid primary keys, renames",
      sql: """
        CREATE TABLE t (a TEXT UNIQUE, b INTEGER PRIMARY KEY, c INT, d INT, e INT UNIQUE, UNIQUE (c, d));
        CREATE TABLE u (a TEXT PRIMARY KEY, b INT UNIQUE UNIQUE);
        CREATE TABLE w (a INT, b INT, PRIMARY KEY (a, b)) WITHOUT ROWID;
        CREATE INDEX u_b ON U (B);
        ALTER TABLE u RENAME TO "V";
        """,
      dialect: .sqlite
    ) { catalog, notes in
      #expect(notes.isEmpty)
      #expect(
        catalog.indexNames("t") == [
          "sqlite_autoindex_t_1", "sqlite_autoindex_t_2", "sqlite_autoindex_t_3",
        ]
      )
      #expect(catalog.column("b", of: "t")?.isNotNull == true)
      #expect(catalog.indexNames("v") == ["sqlite_autoindex_v_1", "sqlite_autoindex_v_2", "u_b"])
      #expect(catalog.column("a", of: "V")?.isNotNull == false)
      #expect(catalog.column("a", of: "w")?.isNotNull == true)
      #expect(catalog.constraints(on: "t").allSatisfy { $0.name == nil })
      #expect(catalog.hasIndexCovering(columns: ["b"], on: "t"))
    },
    ReplayCase(
      name: "SQLite: temporary tables, views, triggers by name",
      sql: """
        CREATE TEMP TABLE scratch (a INT);
        CREATE TABLE main.t (a INT, b TEXT);
        CREATE VIEW v AS SELECT a FROM t;
        CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN SELECT 1; END;
        CREATE TRIGGER IF NOT EXISTS t_ins AFTER INSERT ON t BEGIN SELECT 1; END;
        DROP TRIGGER t_ins;
        DROP VIEW IF EXISTS v;
        ALTER TABLE T RENAME COLUMN B TO c;
        """,
      dialect: .sqlite
    ) { catalog, notes in
      #expect(notes.map(\.kind) == [.skippedExisting])
      #expect(catalog.table(named: "scratch")?.name.description == "temp.scratch")
      #expect(catalog.table(named: "scratch")?.isTemporary == true)
      #expect(catalog.table(named: "t")?.triggers.isEmpty == true)
      #expect(catalog.view(named: "v") == nil)
      #expect(catalog.table(named: "t")?.columnNames == ["a", "c"])
    },
    ReplayCase(
      name: "SQLite: ALTER TABLE forms SQLite lacks are conflicts",
      sql: """
        CREATE TABLE t (a INT);
        ALTER TABLE t ALTER COLUMN a SET NOT NULL;
        ALTER TABLE t ADD COLUMN b INT UNIQUE;
        """,
      dialect: .sqlite
    ) { catalog, notes in
      #expect(notes.map(\.kind) == [.conflict, .conflict])
      #expect(catalog.column("a", of: "t")?.isNotNull == false)
      #expect(catalog.table(named: "t")?.columnNames == ["a", "b"])
    },
  ]

  @Test("replays give the expected catalog", arguments: cases)
  func replays(_ replayCase: ReplayCase) {
    let result = replay(replayCase.sql, dialect: replayCase.dialect)
    replayCase.check(result.catalog, result.notes.flatMap(\.self))
  }
}
