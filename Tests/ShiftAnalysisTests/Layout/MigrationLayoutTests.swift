import ShiftAnalysis
import ShiftCore
import ShiftSyntax
import Testing

/// An in-memory migration folder.
struct MemoryFolder {
  var files: [String: String]

  func plan(
    runner: MigrationRunner? = nil,
    direction: MigrationDirection = .up
  ) throws -> MigrationPlan {
    try MigrationLayout.plan(
      paths: Array(files.keys),
      runner: runner,
      direction: direction
    ) { path in
      guard let text = files[path] else { throw LayoutTestError.missing(path) }
      return Array(text.utf8)
    }
  }
}

enum LayoutTestError: Error {
  case missing(String)
}

/// One layout and what its runner applies.
struct LayoutCase: Sendable, CustomTestStringConvertible {
  var id: String
  var files: [String: String]
  var direction: MigrationDirection = .up
  var runner: MigrationRunner
  var order: [String]
  var modes: [TransactionMode]
  var testDescription: String { id }
}

let gooseUp = "-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n"
let dbmateUp = "-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n"
let sql = "CREATE TABLE t (id int);\n"

let layoutCases: [LayoutCase] = [
  LayoutCase(
    id: "golang-migrate orders versions numerically",
    files: [
      "1_a.up.sql": sql, "1_a.down.sql": sql, "10_c.up.sql": sql, "10_c.down.sql": sql,
      "2_b.up.sql": sql, "2_b.down.sql": sql,
    ],
    runner: .golangMigrate,
    order: ["1_a.up.sql", "2_b.up.sql", "10_c.up.sql"],
    modes: [.implicitMultiStatement, .implicitMultiStatement, .implicitMultiStatement]
  ),
  LayoutCase(
    id: "golang-migrate down runs the down files newest first",
    files: ["1_a.up.sql": sql, "1_a.down.sql": sql, "10_c.up.sql": sql, "10_c.down.sql": sql],
    direction: .down,
    runner: .golangMigrate,
    order: ["10_c.down.sql", "1_a.down.sql"],
    modes: [.implicitMultiStatement, .implicitMultiStatement]
  ),
  LayoutCase(
    id: "goose orders sequential and timestamp versions numerically",
    files: [
      "20240101120000_c.sql": gooseUp,
      "00002_b.sql": gooseUp,
      "00001_a.sql": "-- +goose NO TRANSACTION\n" + gooseUp,
    ],
    runner: .goose,
    order: ["00001_a.sql", "00002_b.sql", "20240101120000_c.sql"],
    modes: [.autocommit, .perFile, .perFile]
  ),
  LayoutCase(
    id: "goose down is newest first",
    files: ["00002_b.sql": gooseUp, "00001_a.sql": gooseUp],
    direction: .down,
    runner: .goose,
    order: ["00002_b.sql", "00001_a.sql"],
    modes: [.perFile, .perFile]
  ),
  LayoutCase(
    id: "dbmate orders by file name and reads transaction:false",
    files: [
      "20240102_b.sql": dbmateUp,
      "20240101_a.sql": "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (id);\n"
        + "-- migrate:down\nDROP INDEX i;\n",
    ],
    runner: .dbmate,
    order: ["20240101_a.sql", "20240102_b.sql"],
    modes: [.implicitMultiStatement, .perFile]
  ),
  LayoutCase(
    id: "flyway compares version parts numerically, repeatables last by description",
    files: [
      "V1__init.sql": sql, "V1_10__ten.sql": sql, "V1_2__two.sql": sql,
      "V1.1__one.sql": sql, "V2__conf.sql": sql,
      "V2__conf.sql.conf": "executeInTransaction=false\n",
      "V3__index.sql": "CREATE INDEX CONCURRENTLY i ON t (id);\n",
      "R__b_view.sql": sql, "R__a_view.sql": sql,
    ],
    runner: .flyway,
    order: [
      "V1__init.sql", "V1.1__one.sql", "V1_2__two.sql", "V1_10__ten.sql", "V2__conf.sql",
      "V3__index.sql", "R__a_view.sql", "R__b_view.sql",
    ],
    modes: [.perFile, .perFile, .perFile, .perFile, .autocommit, .autocommit, .perFile, .perFile]
  ),
  LayoutCase(
    id: "flyway down runs undo scripts newest first",
    files: ["V1__a.sql": sql, "V2__b.sql": sql, "U1__a.sql": sql, "U2__b.sql": sql],
    direction: .down,
    runner: .flyway,
    order: ["U2__b.sql", "U1__a.sql"],
    modes: [.perFile, .perFile]
  ),
  LayoutCase(
    id: "diesel orders folders by version and reads metadata.toml",
    files: [
      "2024-01-02-000000_b/up.sql": sql, "2024-01-02-000000_b/down.sql": sql,
      "2024-01-01-000000_a/up.sql": sql, "2024-01-01-000000_a/down.sql": sql,
      "2024-01-01-000000_a/metadata.toml": "run_in_transaction = false\n",
    ],
    runner: .diesel,
    order: ["2024-01-01-000000_a/up.sql", "2024-01-02-000000_b/up.sql"],
    modes: [.implicitMultiStatement, .perFile]
  ),
  LayoutCase(
    id: "diesel down",
    files: [
      "2024-01-02-000000_b/up.sql": sql, "2024-01-02-000000_b/down.sql": sql,
      "2024-01-01-000000_a/up.sql": sql, "2024-01-01-000000_a/down.sql": sql,
    ],
    direction: .down,
    runner: .diesel,
    order: ["2024-01-02-000000_b/down.sql", "2024-01-01-000000_a/down.sql"],
    modes: [.perFile, .perFile]
  ),
  LayoutCase(
    id: "prisma orders folders by name",
    files: [
      "20240102000000_b/migration.sql": sql, "20240101000000_a/migration.sql": sql,
      "migration_lock.toml": "provider = \"postgresql\"\n",
    ],
    runner: .prisma,
    order: ["20240101000000_a/migration.sql", "20240102000000_b/migration.sql"],
    modes: [.implicitMultiStatement, .implicitMultiStatement]
  ),
  LayoutCase(
    id: "sqitch follows sqitch.plan, not file names",
    files: [
      "sqitch.plan": "%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z A <a@b>\n"
        + "@v1 2024-01-01T00:00:00Z A <a@b>\naccounts [users] 2024-01-02T00:00:00Z A <a@b>\n",
      "deploy/users.sql": sql, "deploy/accounts.sql": sql,
      "revert/users.sql": sql, "revert/accounts.sql": sql, "verify/users.sql": sql,
    ],
    runner: .sqitch,
    order: ["deploy/users.sql", "deploy/accounts.sql"],
    modes: [.autocommit, .autocommit]
  ),
  LayoutCase(
    id: "sqitch revert runs in reverse plan order",
    files: [
      "sqitch.plan": "users 2024-01-01T00:00:00Z A <a@b>\naccounts 2024-01-02T00:00:00Z A <a@b>\n",
      "deploy/users.sql": sql, "deploy/accounts.sql": sql,
      "revert/users.sql": sql, "revert/accounts.sql": sql,
    ],
    direction: .down,
    runner: .sqitch,
    order: ["revert/accounts.sql", "revert/users.sql"],
    modes: [.autocommit, .autocommit]
  ),
  LayoutCase(
    id: "atlas is lexical, ignores atlas.sum, reads txmode",
    files: [
      "atlas.sum": "h1:abc=\n",
      "20240102_b.sql": sql,
      "20240101_a.sql": "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY i ON t (id);\n",
    ],
    runner: .atlas,
    order: ["20240101_a.sql", "20240102_b.sql"],
    modes: [.autocommit, .perFile]
  ),
  LayoutCase(
    id: "plain folder: lexical, rollbacks left out",
    files: [
      "0002_b.sql": sql, "0001_a.sql": sql, "0001_a.down.sql": sql, "0003_c/up.sql": sql,
      "0003_c/down.sql": sql, "README.md": "notes",
    ],
    runner: .plain,
    order: ["0001_a.sql", "0002_b.sql", "0003_c/up.sql"],
    modes: [.unspecified, .unspecified, .unspecified]
  ),
  LayoutCase(
    id: "plain folder down: rollbacks in reverse order",
    files: ["0002_b.sql": sql, "0001_a.sql": sql, "0001_a.down.sql": sql, "0002_b.down.sql": sql],
    direction: .down,
    runner: .plain,
    order: ["0002_b.down.sql", "0001_a.down.sql"],
    modes: [.unspecified, .unspecified]
  ),
]

@Suite
struct MigrationLayoutTests {
  @Test("each runner is detected and its files ordered as it applies them", arguments: layoutCases)
  func ordering(layout: LayoutCase) throws {
    let folder = MemoryFolder(files: layout.files)
    let detected = MigrationLayout.detect(paths: Array(layout.files.keys)) {
      Array((layout.files[$0] ?? "").utf8)
    }
    #expect(detected.runner == layout.runner, "\(detected.candidates)")
    let plan = try folder.plan(direction: layout.direction)
    #expect(plan.runner == layout.runner)
    #expect(plan.units.map(\.path) == layout.order)
    #expect(plan.units.map(\.transactionMode) == layout.modes)
    #expect(plan.units.allSatisfy { $0.direction == layout.direction })
  }

  @Test("an explicit runner gives the same plan as detection", arguments: layoutCases)
  func explicitRunner(layout: LayoutCase) throws {
    let plan = try MemoryFolder(files: layout.files).plan(
      runner: layout.runner,
      direction: layout.direction
    )
    #expect(plan.units.map(\.path) == layout.order)
  }

  @Test("versions and descriptions are read from the names")
  func versions() throws {
    let flyway = try MemoryFolder(files: ["V1_2__add_users.sql": sql, "R__views.sql": sql]).plan()
    #expect(flyway.units.map(\.version) == ["1_2", nil])
    #expect(flyway.units.map(\.description) == ["add users", "views"])
    let goose = try MemoryFolder(files: ["00042_add_users.sql": gooseUp]).plan()
    #expect(goose.units.first?.version == "00042")
    #expect(goose.units.first?.description == "add_users")
  }

  @Test("files that hold both directions are masked to the chosen section, positions kept")
  func masking() throws {
    let text =
      "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$\n"
      + "BEGIN RETURN 1; END $$ LANGUAGE plpgsql;\n-- +goose StatementEnd\n"
      + "  ALTER TABLE t ADD COLUMN é int;\n-- +goose Down\nDROP FUNCTION f();\n"
    for direction in MigrationDirection.allCases {
      let plan = try MemoryFolder(files: ["00001_f.sql": text]).plan(direction: direction)
      let unit = try #require(plan.units.first)
      let original = Array(text.utf8)
      #expect(unit.bytes.count == original.count)
      #expect(
        unit.bytes.indices.filter { unit.bytes[$0] == 0x0A }
          == original.indices.filter { original[$0] == 0x0A }
      )
      let source = SourceFile(path: "00001_f.sql", bytes: unit.bytes)
      let parsed = SQLParser.parse(source, dialect: .postgres)
      #expect(parsed.errors.isEmpty)
      let starts = parsed.statements.map { source.location(at: $0.range.start) }
      if direction == .up {
        #expect(starts.map(\.line) == [3, 6])
        #expect(starts.map(\.column) == [1, 3])
        #expect(unit.statementGroups.map(\.statementCount) == [1])
        #expect(unit.statementGroups.map(\.beginLine) == [2])
      } else {
        #expect(starts.map(\.line) == [8])
        #expect(unit.statementGroups.isEmpty)
      }
      let section = try #require(unit.section)
      #expect(unit.bytes[section] == original[section])
    }
  }

  @Test("a StatementBegin block holding several statements is counted")
  func groupWithSeveralStatements() throws {
    let text =
      "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a (id int);\n"
      + "CREATE TABLE b (id int);\n-- +goose StatementEnd\n"
    let plan = try MemoryFolder(files: ["00001_a.sql": text]).plan()
    #expect(plan.units.first?.statementGroups.map(\.statementCount) == [2])
  }

  @Test("dbmate sections are masked per direction")
  func dbmateSections() throws {
    let up = try MemoryFolder(files: ["1_a.sql": dbmateUp]).plan()
    let down = try MemoryFolder(files: ["1_a.sql": dbmateUp]).plan(direction: .down)
    let upText = String(decoding: try #require(up.units.first).bytes, as: UTF8.self)
    let downText = String(decoding: try #require(down.units.first).bytes, as: UTF8.self)
    #expect(upText.contains("CREATE TABLE") && !upText.contains("DROP"))
    #expect(downText.contains("DROP TABLE") && !downText.contains("CREATE"))
  }

  @Test("folders that fit several runners are ambiguous")
  func ambiguity() throws {
    let files = ["atlas.sum": "h1:x=\n", "00001_a.sql": gooseUp]
    let detected = MigrationLayout.detect(paths: Array(files.keys)) {
      Array((files[$0] ?? "").utf8)
    }
    #expect(detected.isAmbiguous)
    #expect(detected.candidates == [.goose, .atlas])
    #expect(detected.runner == .plain)
    let error = try #require(throws: LayoutError.self) { try MemoryFolder(files: files).plan() }
    #expect(error.kind == .ambiguousRunner)
    #expect(error.message.contains("--runner"))
    let chosen = try MemoryFolder(files: files).plan(runner: .goose)
    #expect(chosen.units.map(\.path) == ["00001_a.sql"])
  }

  @Test(
    "runners without down files refuse the down direction",
    arguments: [
      (["20240101_a/migration.sql": sql], MigrationRunner.prisma),
      (["atlas.sum": "", "1_a.sql": sql], MigrationRunner.atlas),
      (["V1__a.sql": sql], MigrationRunner.flyway),
    ]
  )
  func noDown(files: [String: String], runner: MigrationRunner) throws {
    let error = try #require(throws: LayoutError.self) {
      try MemoryFolder(files: files).plan(direction: .down)
    }
    #expect(error.kind == .noDownMigrations)
  }
}

/// A malformed file and the error it must give.
struct MalformedCase: Sendable, CustomTestStringConvertible {
  var id: String
  var files: [String: String]
  var runner: MigrationRunner?
  var kind: LayoutError.Kind
  var path: String
  var line: Int?
  var testDescription: String { id }
}

let malformedCases: [MalformedCase] = [
  MalformedCase(
    id: "goose file without Up",
    files: ["00001_a.sql": gooseUp, "00002_b.sql": "-- just a comment\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "00002_b.sql",
    line: nil
  ),
  MalformedCase(
    id: "goose StatementBegin never closed",
    files: ["00001_a.sql": "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "00001_a.sql",
    line: 2
  ),
  MalformedCase(
    id: "goose StatementEnd without Begin",
    files: ["00001_a.sql": "-- +goose Up\nSELECT 1;\n-- +goose StatementEnd\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "00001_a.sql",
    line: 3
  ),
  MalformedCase(
    id: "goose StatementBegin open across Down",
    files: ["00001_a.sql": "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "00001_a.sql",
    line: 2
  ),
  MalformedCase(
    id: "goose Down before Up",
    files: ["00001_a.sql": "-- +goose Down\nSELECT 1;\n-- +goose Up\n"],
    runner: .goose,
    kind: .malformedMarker,
    path: "00001_a.sql",
    line: 1
  ),
  MalformedCase(
    id: "goose SQL before Up",
    files: ["00001_a.sql": "SELECT 1;\n-- +goose Up\nSELECT 2;\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "00001_a.sql",
    line: 1
  ),
  MalformedCase(
    id: "goose file name without version",
    files: ["create_users.sql": gooseUp],
    runner: nil,
    kind: .invalidName,
    path: "create_users.sql",
    line: nil
  ),
  MalformedCase(
    id: "dbmate down before up",
    files: ["1_a.sql": "-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (id int);\n"],
    runner: .dbmate,
    kind: .malformedMarker,
    path: "1_a.sql",
    line: 1
  ),
  MalformedCase(
    id: "dbmate bad transaction option",
    files: ["1_a.sql": "-- migrate:up transaction:maybe\nSELECT 1;\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "1_a.sql",
    line: 1
  ),
  MalformedCase(
    id: "atlas unknown txmode",
    files: ["atlas.sum": "", "1_a.sql": "-- atlas:txmode sometimes\nSELECT 1;\n"],
    runner: nil,
    kind: .malformedMarker,
    path: "1_a.sql",
    line: 1
  ),
  MalformedCase(
    id: "golang-migrate duplicate version",
    files: ["1_a.up.sql": sql, "01_b.up.sql": sql],
    runner: nil,
    kind: .duplicateVersion,
    path: "1_a.up.sql",
    line: nil
  ),
  MalformedCase(
    id: "flyway duplicate version",
    files: ["V1__a.sql": sql, "V1.0__b.sql": sql],
    runner: nil,
    kind: .duplicateVersion,
    path: "V1__a.sql",
    line: nil
  ),
  MalformedCase(
    id: "sqitch plan names a change without a deploy script",
    files: ["sqitch.plan": "users 2024-01-01T00:00:00Z A <a@b>\n", "revert/users.sql": sql],
    runner: nil,
    kind: .invalidName,
    path: "sqitch.plan",
    line: 1
  ),
]

@Suite
struct MalformedLayoutTests {
  @Test("malformed markers and names are errors naming the file", arguments: malformedCases)
  func malformed(layout: MalformedCase) throws {
    let error = try #require(throws: LayoutError.self) {
      try MemoryFolder(files: layout.files).plan(runner: layout.runner)
    }
    #expect(error.kind == layout.kind)
    #expect(error.path == layout.path)
    #expect(error.line == layout.line)
  }
}

@Suite
struct VersionOrderTests {
  @Test(
    "Flyway versions compare part by part, numerically",
    arguments: [
      ("1", "2", true), ("1.1", "1.10", true), ("1_2", "1.10", true), ("1.10", "1.9", false),
      ("2", "1.99", false), ("1.0.1", "1.1", true), ("20240101", "3", false),
    ]
  )
  func flywayVersions(left: String, right: String, precedes: Bool) throws {
    let plan = try MemoryFolder(files: ["V\(left)__a.sql": sql, "V\(right)__b.sql": sql]).plan()
    let first = try #require(plan.units.first)
    #expect((first.path == "V\(left)__a.sql") == precedes)
  }
}
