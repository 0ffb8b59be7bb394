import Foundation
import ShiftCLI
import ShiftTestSupport
import Testing

@Suite
struct PlanCommandTests {
  let examples = Fixtures.root.appendingPathComponent("migrations-examples/postgres")

  @Test func writesThePhaseFilesBackfillsAndPlanJSON() throws {
    let scratch = try ScratchDirectory()
    let out = scratch.url.appendingPathComponent("plan").path
    let result = runSafeShift([
      "plan", "--schema", examples.appendingPathComponent("0001_create_initial_schema.sql").path,
      examples.appendingPathComponent("0002_add_users_full_name.sql").path,
      examples.appendingPathComponent("0003_backfill_users_full_name.sql").path,
      examples.appendingPathComponent("0004_drop_users_first_last_name.sql").path,
      "--out", out,
    ])
    #expect(result.code == 0, "\(result.error)")
    #expect(result.output.contains("expand: 2 steps"))
    for name in [
      "expand.sql", "migrate.sql", "contract.sql", "plan.json", "backfills/01-users-full_name.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
    }
    let plan = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: out + "/plan.json"))
      )
        as? [String: Any]
    )
    #expect(plan["version"] as? Int == 1)
    #expect((plan["steps"] as? [[String: Any]])?.count == 6)
    let contract = try String(contentsOfFile: out + "/contract.sql", encoding: .utf8)
    #expect(contract.contains("ALTER TABLE users DROP COLUMN IF EXISTS first_name;"))
  }

  @Test func replanningRemovesStaleBackfillFiles() throws {
    let scratch = try ScratchDirectory()
    let out = scratch.url.appendingPathComponent("plan").path
    try scratch.write("plan/backfills/99-old.json", "{}")
    let migration = try scratch.write("m.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
    #expect(runSafeShift(["plan", migration, "--out", out]).code == 0)
    #expect(!FileManager.default.fileExists(atPath: out + "/backfills/99-old.json"))
  }

  @Test func exitsOneWhenSomethingCannotBeMadeSafe() throws {
    let scratch = try ScratchDirectory()
    let schema = try scratch.write("schema.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
    let migration = try scratch.write("m.sql", "TRUNCATE t;\n")
    let result = runSafeShift([
      "plan", "--schema", schema, migration, "--out", scratch.url.appendingPathComponent("p").path,
    ])
    #expect(result.code == 1)
    #expect(result.output.contains("unsafe: not planned: TRUNCATE"))
  }

  @Test func exitsTwoOnSyntaxErrorsAndUnreadableFiles() throws {
    let scratch = try ScratchDirectory()
    let broken = try scratch.write("bad.sql", "ALTER TABLE t ADD COLUMN;\n")
    let out = scratch.url.appendingPathComponent("p").path
    #expect(runSafeShift(["plan", broken, "--out", out]).code == 2)
    #expect(runSafeShift(["plan", scratch.url.path + "/missing.sql", "--out", out]).code == 2)
  }

  @Test func usageErrorsExitSixtyFour() {
    #expect(runSafeShift(["plan", "--out", "x"]).code == 64)
    #expect(runSafeShift(["plan", "m.sql"]).code == 64)
    #expect(runSafeShift(["plan", "m.sql", "--out", "x", "--pg-version", "9"]).code == 64)
  }

  @Test func dryRunWritesNothing() throws {
    let scratch = try ScratchDirectory()
    let migration = try scratch.write("m.sql", "CREATE TABLE t (id bigint PRIMARY KEY);\n")
    let out = scratch.url.appendingPathComponent("p").path
    let result = runSafeShift(["plan", migration, "--out", out, "--dry-run"])
    #expect(result.code == 0)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func configurationFileSetsDialectAndVersionAndBadOnesExitTwo() throws {
    let scratch = try ScratchDirectory()
    let migration = try scratch.write("m.sql", "ALTER TABLE t ADD COLUMN c text;\n")
    let good = try scratch.write("good.yml", "dialect: sqlite\npgVersion: 11\n")
    let out = scratch.url.appendingPathComponent("p").path
    #expect(runSafeShift(["plan", migration, "--out", out, "--config", good]).code == 0)
    let plan = try String(contentsOfFile: out + "/plan.json", encoding: .utf8)
    #expect(plan.contains("\"dialect\": \"sqlite\""))
    #expect(plan.contains("\"pgVersion\": 11"))
    let bad = try scratch.write("bad.yml", "pgVersion: nine\n")
    #expect(runSafeShift(["plan", migration, "--out", out, "--config", bad]).code == 2)
  }
}
