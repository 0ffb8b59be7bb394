import ShiftSchema
import ShiftSyntax
import Testing

@Suite struct AssumptionTests {
  @Test("a statement on an unknown table says what it assumed")
  func unknownTable() {
    let result = replay(
      """
      ALTER TABLE unknown ADD COLUMN a int;
      CREATE INDEX ON unknown (a);
      ALTER TABLE unknown ALTER COLUMN b SET NOT NULL;
      """
    )
    #expect(
      result.notes[0] == [
        Assumption(
          .assumedExisting,
          "table public.unknown not in catalog; assumed existing",
          object: "public.unknown"
        )
      ]
    )
    // Later statements still rely on the assumption, and say so.
    #expect(
      result.notes[1].map(\.message) == ["table public.unknown not in catalog; assumed existing"]
    )
    #expect(
      result.notes[2].map(\.message) == [
        "table public.unknown not in catalog; assumed existing",
        "column public.unknown.b not in catalog; assumed existing",
      ]
    )
    let table = result.catalog.table(named: "unknown")
    #expect(table?.isComplete == false)
    #expect(table?.origin.isAssumed == true)
    #expect(table?.columnNames == ["a", "b"])
    #expect(table?.column(named: "b")?.isNotNull == true)
    #expect(result.catalog.indexNames("unknown") == ["unknown_a_idx"])
  }

  struct NoteCase: Sendable, CustomTestStringConvertible {
    var sql: String
    var kinds: [Assumption.Kind]
    var message: String
    var testDescription: String { sql.split(separator: "\n").last.map(String.init) ?? sql }
  }

  static let setup = "CREATE TABLE t (id int PRIMARY KEY, a int);\n"

  static let noteCases: [NoteCase] = [
    NoteCase(
      sql: "ALTER TABLE t ADD COLUMN a int;",
      kinds: [.conflict],
      message: "column public.t.a already exists"
    ),
    NoteCase(
      sql: "ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;",
      kinds: [.skippedExisting],
      message: "column public.t.a already exists; nothing added"
    ),
    NoteCase(
      sql: "ALTER TABLE IF EXISTS nope ADD COLUMN a int;",
      kinds: [.skippedMissing],
      message: "table public.nope does not exist; nothing altered"
    ),
    NoteCase(
      sql: "ALTER TABLE t DROP COLUMN nope;",
      kinds: [.assumedExisting],
      message: "column public.t.nope not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "ALTER TABLE t VALIDATE CONSTRAINT nope;",
      kinds: [.assumedExisting],
      message: "constraint nope on public.t not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES elsewhere (id);",
      kinds: [.assumedExisting],
      message: "table public.elsewhere not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "CREATE TABLE t (x int);",
      kinds: [.conflict],
      message: "relation public.t already exists"
    ),
    NoteCase(
      sql: "CREATE TABLE IF NOT EXISTS t (x int);",
      kinds: [.skippedExisting],
      message: "relation public.t already exists; nothing created"
    ),
    NoteCase(
      sql: "ALTER TABLE t ADD PRIMARY KEY (a);",
      kinds: [.conflict],
      message: "table public.t already has a primary key"
    ),
    NoteCase(
      sql: "DROP INDEX t_pkey;",
      kinds: [.conflict],
      message: "index t_pkey enforces constraint t_pkey of public.t; drop the constraint instead"
    ),
    NoteCase(
      sql: "ALTER TYPE nope ADD VALUE 'x';",
      kinds: [.assumedExisting],
      message: "type public.nope not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "DROP SEQUENCE nope;",
      kinds: [.assumedExisting],
      message: "sequence public.nope not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "ALTER TABLE t ALTER COLUMN id DROP NOT NULL;",
      kinds: [.conflict],
      message: "column public.t.id is in the primary key; it stays NOT NULL"
    ),
    NoteCase(
      sql: "CREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION nope();",
      kinds: [.assumedExisting],
      message: "function public.nope not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "ALTER TABLE t ALTER COLUMN a TYPE text USING a::text, SET WITHOUT OIDS, NOT OF;",
      kinds: [.notModelled],
      message: "ALTER TABLE … NOT OF not modelled by the catalog"
    ),
    NoteCase(
      sql: "CREATE TABLE copy (LIKE t INCLUDING ALL);",
      kinds: [.notModelled],
      message: "LIKE public.t INCLUDING … not modelled: only columns, types and NOT NULL copied"
    ),
    NoteCase(
      sql: "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE USING INDEX nope;",
      kinds: [.assumedExisting],
      message: "index public.nope not in catalog; assumed existing"
    ),
    NoteCase(
      sql: "DROP TYPE IF EXISTS nope, other;",
      kinds: [.skippedMissing, .skippedMissing],
      message: "type public.nope does not exist; nothing dropped"
    ),
    NoteCase(
      sql: "DO $$ BEGIN EXECUTE 'CREATE TABLE x ()'; END $$;",
      kinds: [.notModelled],
      message: "DO block not replayed; schema changes inside it are not in the catalog"
    ),
    NoteCase(
      sql: "CREATE TABLE broken (a int,;",
      kinds: [.notModelled],
      message: "statement has a syntax error; its effect on the schema is not replayed"
    ),
  ]

  @Test("unknown objects and DDL errors become notes, never failures", arguments: noteCases)
  func noteKinds(_ noteCase: NoteCase) {
    let result = replay(Self.setup + noteCase.sql)
    #expect(result.notes[0].isEmpty)
    let notes = result.notes.dropFirst().flatMap(\.self)
    #expect(notes.map(\.kind) == noteCase.kinds)
    #expect(notes.first?.message == noteCase.message)
  }
}
