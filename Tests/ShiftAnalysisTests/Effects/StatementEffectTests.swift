import ShiftAnalysis
import ShiftCore
import ShiftSchema
import Testing

/// One statement form and the effect the model must give it.
struct EffectCase: Sendable, CustomTestStringConvertible {
  var id: String
  var sql: String
  var settings = EffectSettings()
  var locks: [String: LockMode]
  var rewrites: Set<String> = []
  var scans: Set<String> = []
  var compatibility = Compatibility.compatible
  var phase = MigrationPhase.expand
  var dataDependent = false
  var outside = false
  var assumes: EffectAssumption.Kind? = nil

  var testDescription: String { id }
}

@Suite
struct StatementEffectTests {
  static let ae = LockMode.accessExclusive
  static let sue = LockMode.shareUpdateExclusive
  static let sre = LockMode.shareRowExclusive
  static let pg10 = EffectSettings(pgVersion: 10)
  static let pg11 = EffectSettings(pgVersion: 11)
  static let utc = EffectSettings(sessionTimeZoneIsUTC: true)

  static let cases: [EffectCase] = [
    // ADD COLUMN
    .init(id: "add-nullable", sql: "ALTER TABLE users ADD COLUMN x text", locks: ["users": ae]),
    .init(
      id: "add-constant-default",
      sql: "ALTER TABLE users ADD COLUMN x int NOT NULL DEFAULT 0",
      locks: ["users": ae]
    ),
    .init(
      id: "add-constant-default-pg10",
      sql: "ALTER TABLE users ADD COLUMN x int DEFAULT 0",
      settings: pg10,
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "add-constant-default-pg11",
      sql: "ALTER TABLE users ADD COLUMN x int DEFAULT 0",
      settings: pg11,
      locks: ["users": ae]
    ),
    .init(
      id: "add-volatile-builtin",
      sql: "ALTER TABLE users ADD COLUMN x uuid DEFAULT gen_random_uuid()",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "add-stable-default",
      sql: "ALTER TABLE users ADD COLUMN x timestamptz DEFAULT now()",
      locks: ["users": ae]
    ),
    .init(
      id: "add-volatile-user-function",
      sql: "ALTER TABLE users ADD COLUMN x int DEFAULT my_volatile()",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "add-stable-user-function",
      sql: "ALTER TABLE users ADD COLUMN x int DEFAULT my_stable()",
      locks: ["users": ae]
    ),
    .init(
      id: "add-unknown-function",
      sql: "ALTER TABLE users ADD COLUMN x int DEFAULT mystery()",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      assumes: .unknownVolatility
    ),
    .init(
      id: "add-serial",
      sql: "ALTER TABLE users ADD COLUMN x bigserial",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "add-identity",
      sql: "ALTER TABLE users ADD COLUMN x bigint GENERATED ALWAYS AS IDENTITY",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "add-stored-generated",
      sql: "ALTER TABLE users ADD COLUMN x text GENERATED ALWAYS AS (lower(email)) STORED",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "add-not-null-without-default",
      sql: "ALTER TABLE users ADD COLUMN x int NOT NULL",
      locks: ["users": ae],
      scans: ["users"],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "add-column-references",
      sql: "ALTER TABLE orders ADD COLUMN buyer bigint REFERENCES users",
      locks: ["orders": ae, "users": sre],
      scans: ["orders", "users"]
    ),
    .init(
      id: "add-column-partitioned",
      sql: "ALTER TABLE events ADD COLUMN x text",
      locks: ["events": ae, "events_2024": ae]
    ),
    // Types
    .init(
      id: "type-varchar-widen",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE varchar(20)",
      locks: ["users": ae]
    ),
    .init(
      id: "type-varchar-unbounded",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE varchar",
      locks: ["users": ae]
    ),
    .init(
      id: "type-varchar-to-text",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE text",
      locks: ["users": ae]
    ),
    .init(
      id: "type-varchar-narrow",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE varchar(5)",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "type-numeric-precision",
      sql: "ALTER TABLE users ALTER COLUMN balance TYPE numeric(12, 2)",
      locks: ["users": ae]
    ),
    .init(
      id: "type-numeric-scale",
      sql: "ALTER TABLE users ALTER COLUMN balance TYPE numeric(12, 4)",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "type-int-to-bigint",
      sql: "ALTER TABLE users ALTER COLUMN score TYPE bigint",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "type-bigint-to-int",
      sql: "ALTER TABLE users ALTER COLUMN id TYPE int",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "type-timestamptz-utc",
      sql: "ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz",
      settings: utc,
      locks: ["users": ae]
    ),
    .init(
      id: "type-timestamptz-utc-pg11",
      sql: "ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz",
      settings: EffectSettings(pgVersion: 11, sessionTimeZoneIsUTC: true),
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "type-timestamptz-other-zone",
      sql: "ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    .init(
      id: "type-timestamptz-set-timezone",
      sql: "SET TimeZone = 'UTC'; ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz",
      locks: ["users": ae]
    ),
    .init(
      id: "type-unknown-column",
      sql: "ALTER TABLE users ALTER COLUMN ghost TYPE text",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      compatibility: .breaking,
      phase: .contract,
      assumes: .unknownColumn
    ),
    .init(
      id: "type-using",
      sql: "ALTER TABLE users ALTER COLUMN nickname TYPE text USING upper(nickname)",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"]
    ),
    // NOT NULL and defaults
    .init(
      id: "set-not-null",
      sql: "ALTER TABLE users ALTER COLUMN nickname SET NOT NULL",
      locks: ["users": ae],
      scans: ["users"],
      phase: .contract,
      dataDependent: true
    ),
    .init(
      id: "set-not-null-valid-check",
      sql: "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
      locks: ["users": ae],
      phase: .contract,
      dataDependent: true
    ),
    .init(
      id: "set-not-null-valid-check-pg11",
      sql: "ALTER TABLE users ALTER COLUMN name SET NOT NULL",
      settings: pg11,
      locks: ["users": ae],
      scans: ["users"],
      phase: .contract,
      dataDependent: true
    ),
    .init(
      id: "set-not-null-is-null-check",
      sql: "ALTER TABLE users ALTER COLUMN bio SET NOT NULL",
      locks: ["users": ae],
      scans: ["users"],
      phase: .contract,
      dataDependent: true
    ),
    .init(
      id: "drop-default-not-null",
      sql: "ALTER TABLE users ALTER COLUMN status DROP DEFAULT",
      locks: ["users": ae],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "drop-default-nullable",
      sql: "ALTER TABLE users ALTER COLUMN score DROP DEFAULT",
      locks: ["users": ae],
      phase: .contract
    ),
    // Constraints
    .init(
      id: "add-check",
      sql: "ALTER TABLE users ADD CONSTRAINT c CHECK (score > 0)",
      locks: ["users": ae],
      scans: ["users"],
      phase: .migrate,
      dataDependent: true
    ),
    .init(
      id: "add-check-not-valid",
      sql: "ALTER TABLE users ADD CONSTRAINT c CHECK (score > 0) NOT VALID",
      locks: ["users": ae],
      dataDependent: true
    ),
    .init(
      id: "add-fk",
      sql: "ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users",
      locks: ["orders": sre, "users": sre],
      scans: ["orders", "users"],
      phase: .migrate,
      dataDependent: true
    ),
    .init(
      id: "validate-fk",
      sql: "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk",
      locks: ["orders": sue, "users": .rowShare],
      scans: ["orders", "users"],
      phase: .migrate,
      dataDependent: true
    ),
    .init(
      id: "unique-using-index",
      sql: "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_nickname_idx",
      locks: ["users": ae],
      phase: .migrate,
      dataDependent: true
    ),
    .init(
      id: "drop-fk",
      sql: "ALTER TABLE orders DROP CONSTRAINT orders_user_fk",
      locks: ["orders": ae, "users": ae],
      phase: .contract
    ),
    // Indexes and maintenance
    .init(
      id: "create-index",
      sql: "CREATE INDEX i ON users (email)",
      locks: ["users": .share],
      scans: ["users"]
    ),
    .init(
      id: "create-index-concurrently",
      sql: "CREATE INDEX CONCURRENTLY i ON users (email)",
      locks: ["users": sue],
      scans: ["users"],
      outside: true
    ),
    .init(
      id: "drop-index",
      sql: "DROP INDEX users_score_idx",
      locks: ["users": ae],
      phase: .contract
    ),
    .init(
      id: "reindex-index",
      sql: "REINDEX INDEX users_score_idx",
      locks: ["users": .share],
      scans: ["users"],
      phase: .migrate
    ),
    .init(
      id: "vacuum-full",
      sql: "VACUUM FULL users",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      phase: .migrate,
      outside: true
    ),
    .init(
      id: "cluster",
      sql: "CLUSTER users USING users_pkey",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      phase: .migrate
    ),
    .init(
      id: "set-unlogged",
      sql: "ALTER TABLE users SET UNLOGGED",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      phase: .migrate
    ),
    .init(
      id: "set-tablespace",
      sql: "ALTER TABLE users SET TABLESPACE fast",
      locks: ["users": ae],
      rewrites: ["users"],
      scans: ["users"],
      phase: .migrate
    ),
    .init(
      id: "truncate",
      sql: "TRUNCATE orders",
      locks: ["orders": ae],
      rewrites: ["orders"],
      phase: .migrate
    ),
    .init(
      id: "create-trigger",
      sql: "CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f()",
      locks: ["users": sre]
    ),
    .init(
      id: "lock-table",
      sql: "BEGIN; LOCK TABLE users IN SHARE MODE",
      locks: ["users": .share]
    ),
    // Data changes
    .init(
      id: "update-without-where",
      sql: "UPDATE users SET score = 0",
      locks: ["users": .rowExclusive],
      scans: ["users"],
      phase: .migrate
    ),
    .init(
      id: "update-with-where",
      sql: "UPDATE users SET score = 0 WHERE id < 100",
      locks: ["users": .rowExclusive],
      phase: .migrate
    ),
    .init(
      id: "insert-with-fk",
      sql: "INSERT INTO orders (id, user_id) VALUES (1, 1)",
      locks: ["orders": .rowExclusive, "users": .rowShare],
      phase: .migrate
    ),
    .init(
      id: "delete-referenced",
      sql: "DELETE FROM users",
      locks: ["users": .rowExclusive, "orders": .rowShare],
      scans: ["users"],
      phase: .migrate
    ),
    // Partitions
    .init(
      id: "attach-partition",
      sql:
        "ALTER TABLE events ATTACH PARTITION staging FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
      locks: ["events": sue, "staging": ae],
      scans: ["staging"]
    ),
    .init(
      id: "attach-partition-pg11",
      sql:
        "ALTER TABLE events ATTACH PARTITION staging FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
      settings: pg11,
      locks: ["events": ae, "staging": ae],
      scans: ["staging"]
    ),
    .init(
      id: "detach-partition-concurrently",
      sql: "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY",
      locks: ["events": sue, "events_2024": sue],
      compatibility: .breaking,
      phase: .contract,
      outside: true
    ),
    // Types, renames, drops
    .init(id: "enum-add-value", sql: "ALTER TYPE mood ADD VALUE 'angry'", locks: [:]),
    .init(
      id: "enum-add-value-pg11",
      sql: "ALTER TYPE mood ADD VALUE 'angry'",
      settings: pg11,
      locks: [:],
      outside: true
    ),
    .init(
      id: "rename-column",
      sql: "ALTER TABLE users RENAME COLUMN bio TO about",
      locks: ["users": ae],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "drop-column",
      sql: "ALTER TABLE users DROP COLUMN bio",
      locks: ["users": ae],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "drop-table-with-fk",
      sql: "DROP TABLE orders",
      locks: ["orders": ae, "users": ae],
      compatibility: .breaking,
      phase: .contract
    ),
    .init(
      id: "create-table-with-fk",
      sql: "CREATE TABLE items (id int PRIMARY KEY, order_id bigint REFERENCES orders)",
      locks: ["items": ae, "orders": sre]
    ),
    .init(
      id: "refresh-materialized-view",
      sql: "REFRESH MATERIALIZED VIEW order_totals",
      locks: ["order_totals": ae, "orders": .accessShare],
      rewrites: ["order_totals"],
      scans: ["order_totals", "orders"],
      phase: .migrate
    ),
    // Unknown tables
    .init(
      id: "unknown-table",
      sql: "ALTER TABLE ghosts ADD COLUMN x int",
      locks: ["ghosts": ae],
      assumes: .unknownObject
    ),
  ]

  @Test("the model gives each statement form its effect", arguments: cases)
  func effect(_ testCase: EffectCase) {
    let effect = EffectFixture.effect(testCase.sql, settings: testCase.settings)
    let context = Comment(rawValue: "\(testCase.id): \(effect)")
    #expect(EffectFixture.locks(effect) == testCase.locks, context)
    #expect(EffectFixture.names(effect.rewrittenRelations) == testCase.rewrites, context)
    #expect(EffectFixture.names(effect.scannedRelations) == testCase.scans, context)
    #expect(effect.compatibility == testCase.compatibility, context)
    #expect(effect.phase == testCase.phase, context)
    #expect(effect.isDataDependent == testCase.dataDependent, context)
    #expect(effect.requiresOutsideTransaction == testCase.outside, context)
    if let kind = testCase.assumes {
      #expect(effect.assumptions.contains { $0.kind == kind }, context)
    }
  }

  @Test("unique case ids")
  func uniqueIDs() {
    #expect(Set(Self.cases.map(\.id)).count == Self.cases.count)
  }
}
