import Foundation
import ShiftPostgres
import Testing

/// `lint --database-url` on PostgreSQL: real table sizes (`pg_relation_size`, `reltuples`
/// after ANALYZE) decide how serious a lock, scan or rewrite is.
@Suite(
  .enabled(
    if: ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] != nil
      || ProcessInfo.processInfo.environment["CI"] == "true"
  ),
  .serialized
)
struct SizeAwareDatabaseURLTests {
  static var url: String? { ProcessInfo.processInfo.environment["SAFESHIFT_TEST_DATABASE_URL"] }

  @Test(
    "a big analyzed table gets the error verdict with a duration, a 50-row table info",
    .timeLimit(.minutes(2))
  )
  func bigAndSmallTables() throws {
    let url = try #require(Self.url, "SAFESHIFT_TEST_DATABASE_URL is not set; run Scripts/test.sh")
    var connection = try PostgresConnection(connectingTo: url)
    try connection.execute(
      """
      DROP SCHEMA IF EXISTS cli_sizes CASCADE;
      CREATE SCHEMA cli_sizes;
      CREATE TABLE cli_sizes.big (id bigint PRIMARY KEY, payload text);
      CREATE TABLE cli_sizes.small (id bigint PRIMARY KEY, payload text);
      INSERT INTO cli_sizes.big SELECT i, repeat('x', 100) FROM generate_series(1, 100000) i;
      INSERT INTO cli_sizes.small SELECT i, 'x' FROM generate_series(1, 50) i;
      ANALYZE cli_sizes.big;
      ANALYZE cli_sizes.small;
      """
    )
    defer { try? connection.execute("DROP SCHEMA IF EXISTS cli_sizes CASCADE") }
    let scratch = try ScratchDirectory()
    let migration = try scratch.write(
      "0002_indexes.sql",
      """
      SET lock_timeout = '1s';
      CREATE INDEX big_payload_idx ON cli_sizes.big (payload);
      CREATE INDEX small_payload_idx ON cli_sizes.small (payload);

      """
    )
    // ~13 MB at an assumed 1 MB/s is over the 10 s error threshold; 8 kB is brief.
    let config = try scratch.write("safeshift.yml", "sizeAware:\n  indexBuildRate: 1MB/s\n")
    let result = runSafeShift([
      "lint", "--color", "never", "--config", config, "--database-url", url, migration,
    ])
    #expect(result.code == 1, "\(result.error)")
    let lines = result.output.split(separator: "\n").map(String.init)
    let big = try #require(lines.first { $0.contains("cli_sizes.big (≈") }, "\(result.output)")
    #expect(big.contains("error[require-concurrent-index]"), "\(big)")
    #expect(big.contains("100k rows"), "\(big)")
    #expect(big.contains(" s at ~1 MB/s holding SHARE"), "\(big)")
    let small = try #require(lines.first { $0.contains("cli_sizes.small (≈") }, "\(result.output)")
    #expect(small.contains("info[require-concurrent-index]"), "\(small)")
    #expect(small.contains("50 rows): under 1 s"), "\(small)")
    #expect(small.contains("so reported as info"), "\(small)")

    // The default rates (50 MB/s for an index build) make ~13 MB brief as well.
    let defaults = runSafeShift(["lint", "--format", "json", "--database-url", url, migration])
    #expect(defaults.code == 0, "\(defaults.output)")
    #expect(defaults.output.contains("\"estimate\": {\"seconds\": "))
    #expect(!defaults.output.contains("\"severity\": \"error\""))

    // Without the database the sizes are unknown: today's verdict, no estimate.
    let offline = runSafeShift(["lint", "--format", "json", migration])
    #expect(offline.code == 1)
    #expect(!offline.output.contains("estimate"))
  }
}
