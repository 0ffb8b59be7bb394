import Foundation
import ShiftPostgres
import ShiftTestSupport
import Testing

/// `plan --database-url`: the live schema decides the plan.
@Suite(
  .enabled(
    if: ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] != nil
      || ProcessInfo.processInfo.environment["CI"] == "true"
  ),
  .serialized
)
struct PlanDatabaseURLTests {
  static var url: String? { ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] }

  @Test(
    "column types, nullability and keys come from the live database",
    .timeLimit(.minutes(1))
  )
  func liveSchemaDrivesThePlan() throws {
    let shared = try #require(
      Self.url,
      "SAFESHIFT_TEST_DATABASE_URL is not set; run Scripts/test.sh"
    )
    // A database of its own: other suites create and drop objects in the shared one while
    // this introspects it.
    var admin = try PostgresConnection(connectingTo: shared)
    try admin.execute("DROP DATABASE IF EXISTS safeshift_plan_cli")
    try admin.execute("CREATE DATABASE safeshift_plan_cli")
    let slash = try #require(shared.range(of: "/", options: .backwards))
    var url = String(shared[..<slash.upperBound]) + "safeshift_plan_cli"
    if let query = shared.range(of: "?") { url += String(shared[query.lowerBound...]) }
    var connection = try PostgresConnection(connectingTo: url)
    try connection.execute(
      "CREATE SCHEMA plan_live; "
        + "CREATE TABLE plan_live.accounts (id bigint PRIMARY KEY, email varchar(200) NOT NULL)"
    )
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "0001.sql",
      "ALTER TABLE plan_live.accounts RENAME COLUMN email TO mail;\n"
    )
    let out = scratch.url.appendingPathComponent("plan").path
    let result = runSafeShift(["plan", "--database-url", url, path, "--out", out])
    #expect(result.code == 0, "\(result.error)\(result.output)")
    let expand = try String(contentsOfFile: out + "/expand.sql", encoding: .utf8)
    #expect(expand.contains("ADD COLUMN IF NOT EXISTS mail character varying(200)"), "\(expand)")
    let backfill = try String(
      contentsOfFile: out + "/backfills/01-accounts-mail.json",
      encoding: .utf8
    )
    #expect(backfill.contains("\"id\""))
    let contract = try String(contentsOfFile: out + "/contract.sql", encoding: .utf8)
    #expect(contract.contains("SET NOT NULL"))
  }

  @Test("a connection failure exits 2 and never prints the password", .timeLimit(.minutes(1)))
  func passwordIsNotPrinted() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write("0001.sql", "SELECT 1;\n")
    let result = runSafeShift([
      "plan", "--database-url",
      "postgresql://alice:Hunter2-Secret@127.0.0.1:1/nodb?connect_timeout=2",
      path, "--out", scratch.url.appendingPathComponent("p").path,
    ])
    #expect(result.code == 2)
    #expect(!result.error.contains("Hunter2-Secret"))
    #expect(!result.output.contains("Hunter2-Secret"))
  }
}
