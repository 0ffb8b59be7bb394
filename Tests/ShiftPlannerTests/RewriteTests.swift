import ShiftAnalysis
import ShiftCore
import ShiftPlanner
import ShiftSyntax
import Testing

/// The schema most rewrite cases run against: existing (busy) tables.
let rewriteSchema = #"""
  CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
  CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL,
    email text NOT NULL,
    first_name text,
    last_name text,
    nickname text NOT NULL,
    score integer NOT NULL DEFAULT 0
  );
  CREATE INDEX users_score_idx ON users (score);
  CREATE TABLE "Audit Log" ("Id" bigint PRIMARY KEY, "Say ""Hi""" text, "Level" integer);
  """#

/// One rewrite: a migration, the steps expected per phase (by summary prefix) and SQL the
/// plan must contain.
struct RewriteCase: Sendable, CustomTestStringConvertible {
  var id: String
  var migration: String
  var expand: [String]
  var migrate: [String]
  var contract: [String]
  var sql: [String]
  var isSafe = true

  var testDescription: String { id }
}

let rewriteCases: [RewriteCase] = [
  RewriteCase(
    id: "create-index",
    migration: "CREATE INDEX users_email_idx ON users (email);",
    expand: ["create index users_email_idx"],
    migrate: [],
    contract: [],
    sql: [
      "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx",
      "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)",
    ]
  ),
  RewriteCase(
    id: "create-unnamed-unique-index",
    migration: "CREATE UNIQUE INDEX ON users (lower(email));",
    expand: ["create index users_lower_key"],
    migrate: [],
    contract: [],
    sql: ["CREATE UNIQUE INDEX CONCURRENTLY users_lower_key ON users (lower(email))"]
  ),
  RewriteCase(
    id: "unique-constraint",
    migration: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
    expand: ["unique index users_email_key"],
    migrate: ["unique constraint users_email_key using its index"],
    contract: [],
    sql: [
      "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)",
      "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key",
    ]
  ),
  RewriteCase(
    id: "foreign-key",
    migration: "ALTER TABLE users ADD FOREIGN KEY (account_id) REFERENCES accounts (id);",
    expand: ["index users(account_id)", "add foreign key users_account_id_fkey"],
    migrate: ["validate users_account_id_fkey"],
    contract: [],
    sql: [
      "CREATE INDEX CONCURRENTLY users_account_id_idx ON users (account_id)",
      "ALTER TABLE users ADD CONSTRAINT users_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID",
      "ALTER TABLE users VALIDATE CONSTRAINT users_account_id_fkey",
    ]
  ),
  RewriteCase(
    id: "check",
    migration: "ALTER TABLE users ADD CONSTRAINT score_positive CHECK (score >= 0);",
    expand: ["add check score_positive"],
    migrate: ["validate score_positive"],
    contract: [],
    sql: [
      "ALTER TABLE users ADD CONSTRAINT score_positive CHECK (score >= 0) NOT VALID",
      "ALTER TABLE users VALIDATE CONSTRAINT score_positive",
    ]
  ),
  RewriteCase(
    id: "set-not-null",
    migration: "ALTER TABLE users ALTER COLUMN first_name SET NOT NULL;",
    expand: ["check first_name IS NOT NULL"],
    migrate: ["validate users_first_name_not_null"],
    contract: ["set users.first_name NOT NULL"],
    sql: [
      "ALTER TABLE users ADD CONSTRAINT users_first_name_not_null CHECK (first_name IS NOT NULL) NOT VALID",
      "ALTER TABLE users VALIDATE CONSTRAINT users_first_name_not_null",
      "ALTER TABLE users ALTER COLUMN first_name SET NOT NULL",
      "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_first_name_not_null",
    ]
  ),
  RewriteCase(
    id: "not-null-column-with-backfill",
    migration: """
      ALTER TABLE users ADD COLUMN display_name text NOT NULL;
      UPDATE users SET display_name = coalesce(first_name, email);
      """,
    expand: ["add column users.display_name", "trigger users_display_name_safeshift_sync"],
    migrate: ["backfill users: display_name", "check display_name IS NOT NULL", "validate"],
    contract: ["remove sync trigger", "set users.display_name NOT NULL"],
    sql: [
      "ALTER TABLE users ADD COLUMN IF NOT EXISTS display_name text",
      "NEW.display_name := coalesce(NEW.first_name, NEW.email);",
      "CHECK (display_name IS NOT NULL) NOT VALID",
    ]
  ),
  RewriteCase(
    id: "not-null-column-without-value",
    migration: "ALTER TABLE users ADD COLUMN plan text NOT NULL;",
    expand: ["add column users.plan"],
    migrate: [],
    contract: [],
    sql: ["ALTER TABLE users ADD COLUMN IF NOT EXISTS plan text"],
    isSafe: false
  ),
  RewriteCase(
    id: "volatile-default",
    migration: "ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();",
    expand: ["add column users.token"],
    migrate: ["backfill users: token", "check token IS NOT NULL", "validate"],
    contract: ["set users.token NOT NULL"],
    sql: [
      "ALTER TABLE users ADD COLUMN IF NOT EXISTS token uuid",
      "ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid()",
    ]
  ),
  RewriteCase(
    id: "constant-default-kept",
    migration: "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
    expand: ["add column users.plan"],
    migrate: [],
    contract: [],
    sql: ["ALTER TABLE users ADD COLUMN IF NOT EXISTS plan text DEFAULT 'free' NOT NULL"]
  ),
  RewriteCase(
    id: "type-change",
    migration: "ALTER TABLE users ALTER COLUMN score TYPE bigint;",
    expand: ["add column users.score_new (bigint)"],
    migrate: [
      "backfill users: score_new", "check score_new IS NOT NULL", "index users_score_idx_new",
      "validate",
    ],
    contract: ["swap users.score to bigint"],
    sql: [
      "NEW.score_new := NEW.score::bigint;",
      "CREATE INDEX CONCURRENTLY users_score_idx_new ON users (score_new)",
      "ALTER TABLE users DROP COLUMN score",
      "ALTER TABLE users RENAME COLUMN score_new TO score",
      "ALTER TABLE users ALTER COLUMN score SET DEFAULT 0",
      "ALTER INDEX users_score_idx_new RENAME TO users_score_idx",
    ]
  ),
  RewriteCase(
    id: "rename-column",
    migration: "ALTER TABLE users RENAME COLUMN nickname TO handle;",
    expand: ["add column users.handle kept equal to nickname"],
    migrate: ["backfill users: handle", "check handle IS NOT NULL", "validate"],
    contract: ["set users.handle NOT NULL", "drop column users.nickname and its sync trigger"],
    sql: [
      "NEW.nickname := NEW.handle;",
      "NEW.handle := NEW.nickname;",
      "ALTER TABLE users DROP COLUMN IF EXISTS nickname",
    ]
  ),
  RewriteCase(
    id: "rename-table",
    migration: "ALTER TABLE accounts RENAME TO tenants;",
    expand: ["rename table accounts to tenants"],
    migrate: [],
    contract: ["drop compatibility view accounts"],
    sql: [
      "ALTER TABLE accounts RENAME TO tenants",
      "CREATE VIEW accounts AS SELECT * FROM tenants",
      "DROP VIEW IF EXISTS accounts",
    ]
  ),
  RewriteCase(
    id: "drop-not-null-column",
    migration: "ALTER TABLE users DROP COLUMN nickname;",
    expand: ["relax users.nickname"],
    migrate: [],
    contract: ["drop column users.nickname"],
    sql: [
      "ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL",
      "ALTER TABLE users DROP COLUMN IF EXISTS nickname",
    ]
  ),
  RewriteCase(
    id: "drop-table",
    migration: "DROP TABLE accounts;",
    expand: [],
    migrate: [],
    contract: ["drop table accounts"],
    sql: ["DROP TABLE IF EXISTS accounts"]
  ),
  RewriteCase(
    id: "bulk-update",
    migration: "UPDATE users SET score = score + 1 WHERE score < 10;",
    expand: [],
    migrate: ["backfill users: score"],
    contract: [],
    sql: []
  ),
  RewriteCase(
    id: "bulk-delete",
    migration: "DELETE FROM users WHERE email LIKE '%@example.com';",
    expand: [],
    migrate: ["delete from users in batches"],
    contract: [],
    sql: []
  ),
  RewriteCase(
    id: "quoted-identifiers",
    migration: #"""
      CREATE INDEX ON "Audit Log" ("Level");
      ALTER TABLE "Audit Log" RENAME COLUMN "Say ""Hi""" TO "Say Hello";
      """#,
    expand: ["create index Audit Log_Level_idx", "add column Audit Log.Say Hello"],
    migrate: ["backfill Audit Log: Say Hello"],
    contract: ["drop column Audit Log.Say \"Hi\" and its sync trigger"],
    sql: [
      #"CREATE INDEX CONCURRENTLY "Audit Log_Level_idx" ON "Audit Log" ("Level")"#,
      #"ALTER TABLE "Audit Log" ADD COLUMN IF NOT EXISTS "Say Hello" text"#,
      #"NEW."Say ""Hi""" := NEW."Say Hello";"#,
      #"ALTER TABLE "Audit Log" DROP COLUMN IF EXISTS "Say ""Hi""""#,
    ]
  ),
  RewriteCase(
    id: "exclusion-left-out",
    migration: "ALTER TABLE users ADD CONSTRAINT no_overlap EXCLUDE USING gist (score WITH =);",
    expand: [],
    migrate: [],
    contract: [],
    sql: [],
    isSafe: false
  ),
]

@Suite struct RewriteTests {
  @Test(arguments: rewriteCases)
  func rewriteProducesPhasedSteps(_ rewrite: RewriteCase) {
    let plan = PlannerHarness.plan(rewrite.migration, schema: rewriteSchema)
    for (phase, expected) in [
      (MigrationPhase.expand, rewrite.expand), (.migrate, rewrite.migrate),
      (.contract, rewrite.contract),
    ] {
      let summaries = plan.steps(in: phase).map(\.summary)
      #expect(summaries.count == expected.count, "\(phase): \(summaries)")
      for (summary, prefix) in zip(summaries, expected) {
        #expect(summary.hasPrefix(prefix), "\(phase): '\(summary)' should start with '\(prefix)'")
      }
    }
    let text = PlannerHarness.text(plan)
    for snippet in rewrite.sql {
      #expect(text.contains(snippet), "missing: \(snippet)\nin:\n\(text)")
    }
    #expect(plan.hasUnsafeParts == !rewrite.isSafe, "\(plan.allNotes.map(\.message))")
  }

  @Test(arguments: rewriteCases)
  func everyGeneratedStatementLintsClean(_ rewrite: RewriteCase) {
    let plan = PlannerHarness.plan(rewrite.migration, schema: rewriteSchema)
    let problems = PlannerHarness.lintProblems(
      plan,
      schema: [SQLParser.parse(rewriteSchema, path: "schema.sql")]
    )
    for problem in problems { Issue.record("\(problem)") }
  }

  @Test func concurrentIndexRunsOutsideTransactionWithCleanupAndSkip() throws {
    let plan = PlannerHarness.plan(
      "CREATE INDEX users_email_idx ON users (email);",
      schema: rewriteSchema
    )
    let step = try #require(plan.steps.first)
    #expect(!step.isInTransaction)
    #expect(step.statementTimeout == "0")
    #expect(step.cleanup == ["DROP INDEX CONCURRENTLY IF EXISTS users_email_idx"])
    #expect(step.skipIf?.contains("indisvalid") == true)
    #expect(step.retry.retryOn.contains(.lockTimeout))
  }

  @Test func validateRunsInItsOwnTransactionAfterNotValid() {
    let plan = PlannerHarness.plan(
      "ALTER TABLE users ADD CONSTRAINT c CHECK (score >= 0);",
      schema: rewriteSchema
    )
    #expect(plan.steps.map(\.phase) == [.expand, .migrate])
    #expect(plan.steps.allSatisfy { $0.isInTransaction })
    #expect(plan.steps.map(\.statements.count) == [1, 1])
  }

  @Test func migrationTimeoutsBecomeStepTimeouts() {
    let plan = PlannerHarness.plan(
      "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN bio text;",
      schema: rewriteSchema
    )
    #expect(plan.steps.map(\.lockTimeout) == ["2s"])
  }

  @Test func stepsRecordTheirSourcePosition() throws {
    let plan = PlannerHarness.plan(
      "-- comment\n  ALTER TABLE users ADD COLUMN bio text;",
      schema: rewriteSchema
    )
    let origin = try #require(plan.steps.first?.origins.first)
    #expect(origin.position == "migration.sql:2:3")
  }

  @Test func newTablesKeepTheirStatementsAsWritten() {
    let plan = PlannerHarness.plan(
      """
      CREATE TABLE visits (id bigint PRIMARY KEY, path text NOT NULL);
      CREATE INDEX visits_path_idx ON visits (path);
      ALTER TABLE visits ADD COLUMN referrer text NOT NULL;
      """
    )
    #expect(plan.steps.count == 3)
    #expect(plan.steps.allSatisfy { $0.phase == .expand && $0.isInTransaction })
    #expect(PlannerHarness.text(plan).contains("CREATE INDEX visits_path_idx ON visits (path)"))
    #expect(!plan.hasUnsafeParts)
  }

  @Test func truncateIsLeftOutWithTheReason() throws {
    let plan = PlannerHarness.plan("TRUNCATE users;", schema: rewriteSchema)
    #expect(plan.steps.isEmpty)
    let note = try #require(plan.notes.first)
    #expect(note.kind == .unsafe)
    #expect(note.statement == "TRUNCATE users")
    #expect(PlanRenderer(plan: plan).sql(for: .contract).contains("-- NOT PLANNED"))
  }

  @Test func viewsOnADroppedColumnAreNamed() {
    let plan = PlannerHarness.plan(
      "ALTER TABLE users DROP COLUMN last_name;",
      schema: rewriteSchema + "\nCREATE VIEW user_names AS SELECT id, last_name FROM users;"
    )
    #expect(plan.allNotes.contains { $0.message.contains("View(s) user_names read users") })
  }

  @Test func unknownVolatilityDefaultIsBackfilled() {
    let plan = PlannerHarness.plan(
      "ALTER TABLE users ADD COLUMN code text DEFAULT make_code();",
      schema: rewriteSchema
    )
    #expect(
      plan.backfills.map(\.assignments) == [[.init(column: "code", expression: "make_code()")]]
    )
  }

  @Test func theLintCheckCatchesAnUnsafeStep() {
    let plan = Plan(
      dialect: .postgres,
      pgVersion: 16,
      sources: [],
      steps: [
        PlanStep(phase: .expand, summary: "bad", statements: ["CREATE INDEX i ON users (email)"])
      ]
    )
    let problems = PlannerHarness.lintProblems(
      plan,
      schema: [SQLParser.parse(rewriteSchema, path: "schema.sql")]
    )
    #expect(problems.contains { $0.contains("require-concurrent-index") })
  }
}
