import Foundation
import ShiftPostgres
import ShiftTestSupport
import Testing

/// `lint --database-url`: the live schema is the context of the migrations.
@Suite(
  .enabled(
    if: ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] != nil
      || ProcessInfo.processInfo.environment["CI"] == "true"
  ),
  .serialized
)
struct DatabaseURLTests {
  static var url: String? { ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] }

  @Test(
    "the live schema is the context: tables created there are existing tables",
    .timeLimit(.minutes(1))
  )
  func liveSchemaIsContext() throws {
    let url = try #require(Self.url, "SAFESHIFT_TEST_DATABASE_URL is not set; run Scripts/test.sh")
    var connection = try PostgresConnection(connectingTo: url)
    try connection.execute(
      "DROP SCHEMA IF EXISTS cli_live CASCADE; CREATE SCHEMA cli_live; "
        + "CREATE TABLE cli_live.accounts (id bigint PRIMARY KEY, email varchar(200) NOT NULL)"
    )
    defer { try? connection.execute("DROP SCHEMA IF EXISTS cli_live CASCADE") }
    let scratch = try ScratchDirectory()
    let path = try scratch.write(
      "0001.sql",
      "SET lock_timeout = '1s';\nALTER TABLE cli_live.accounts RENAME COLUMN email TO mail;\n"
    )
    let result = runSafeShift(["lint", "--format", "json", "--database-url", url, path])
    #expect(result.code == 1, "\(result.error)")
    // The help's new column takes its type from the live table.
    #expect(result.output.contains("ADD COLUMN mail varchar(200)"), "\(result.output)")
    let unknown = runSafeShift(["lint", "--format", "json", path])
    #expect(!unknown.output.contains("varchar(200)"))
  }

  @Test(
    "a wrong password for a password role exits 2 and prints neither password",
    .timeLimit(.minutes(1))
  )
  func wrongPasswordIsNotPrinted() throws {
    let url = try #require(
      ProcessInfo.processInfo.environment["SAFESHIFT_TEST_PASSWORD_DATABASE_URL"],
      "SAFESHIFT_TEST_PASSWORD_DATABASE_URL is not set; run Scripts/test.sh"
    )
    let scratch = try ScratchDirectory()
    let path = try scratch.write("0001.sql", "SELECT 1;\n")
    let right = try #require(url.firstRange(of: "://").map { url[$0.upperBound...] })
    let secret = try #require(right.split(separator: "@").first?.split(separator: ":").last)
    let wrong = url.replacing(":\(secret)@", with: ":Wr0ng-CLI-Secret@")
    let failed = runSafeShift(["lint", "--database-url", wrong, path])
    #expect(failed.code == 2)
    #expect(failed.error.contains("password authentication failed"), "\(failed.error)")
    for text in [failed.output, failed.error] {
      #expect(!text.contains("Wr0ng-CLI-Secret"))
      #expect(!text.contains(String(secret)))
    }
    // The right password reads the schema.
    let worked = runSafeShift(["lint", "--database-url", url, path])
    #expect(worked.code == 0, "\(worked.error)")
  }

  @Test("a connection failure exits 2 and never prints the password", .timeLimit(.minutes(1)))
  func passwordIsNotPrinted() throws {
    let scratch = try ScratchDirectory()
    let path = try scratch.write("0001.sql", "SELECT 1;\n")
    let result = runSafeShift([
      "lint", "--database-url",
      "postgresql://alice:Hunter2-Secret@127.0.0.1:1/nodb?connect_timeout=2",
      path,
    ])
    #expect(result.code == 2)
    #expect(result.error.contains("--database-url"))
    #expect(!result.error.contains("Hunter2-Secret"))
    #expect(!result.output.contains("Hunter2-Secret"))
  }
}
