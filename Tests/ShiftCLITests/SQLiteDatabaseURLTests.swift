import Foundation
import ShiftSQLite
import Testing

/// `lint --database-url` with a SQLite file: its schema, sizes and journal mode are the
/// context of the migrations.
@Suite
struct SQLiteDatabaseURLTests {
  /// A database file with `events` (5,000 rows, analyzed) in the given journal mode.
  static func database(in scratch: ScratchDirectory, mode: String) throws -> String {
    let path = scratch.url.appendingPathComponent("app-\(mode).db").path
    var connection = try SQLiteConnection(path: path)
    try connection.execute(
      """
      PRAGMA journal_mode = \(mode);
      CREATE TABLE events (id integer PRIMARY KEY, kind text, payload text);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO events SELECT i, 'k', printf('%0100d', i) FROM n;
      ANALYZE;
      """
    )
    return path
  }

  @Test(
    "a SQLite file gives sizes and the journal mode to the findings",
    .timeLimit(.minutes(1)),
    arguments: ["wal", "delete"]
  )
  func sizesAndJournalMode(mode: String) throws {
    let scratch = try ScratchDirectory()
    let database = try Self.database(in: scratch, mode: mode)
    let migration = try scratch.write("0002_backfill.sql", "UPDATE events SET kind = 'x';\n")
    for url in [database, "sqlite:" + database, "sqlite://" + database] {
      let result = runSafeShift(["lint", "--database-url", url, "--format", "json", migration])
      #expect(result.code == 0, "\(result.error)")
      // 5,000 short rows: brief, so info, with the estimate and the journal mode's effect.
      #expect(result.output.contains("\"severity\": \"info\""), "\(result.output)")
      #expect(result.output.contains("writes every row of events (≈"))
      #expect(result.output.contains("holding the database write lock"))
      #expect(result.output.contains("\"estimate\": {\"seconds\": "))
      let note = mode == "wal" ? "readers keep reading" : "readers are blocked too while"
      #expect(result.output.contains(note), "\(result.output)")
    }
    // Declared production sizes make the same statement long: an error.
    let config = try scratch.write("safeshift.yml", "tables:\n  events: {rows: 90000000}\n")
    let big = runSafeShift(["lint", "--database-url", database, "--config", config, migration])
    #expect(big.code == 1)
    #expect(big.output.contains("error[unbatched-backfill]"), "\(big.output)")
    #expect(big.output.contains("(≈ 8.4 GB from 90M rows)"), "\(big.output)")
  }

  @Test("a missing SQLite file exits 2 and is not created", .timeLimit(.minutes(1)))
  func missingFile() throws {
    let scratch = try ScratchDirectory()
    let migration = try scratch.write("0001.sql", "SELECT 1;\n")
    let path = scratch.url.appendingPathComponent("absent.db").path
    let result = runSafeShift(["lint", "--database-url", "sqlite:" + path, migration])
    #expect(result.code == 2)
    #expect(result.error.contains("--database-url"))
    #expect(!FileManager.default.fileExists(atPath: path))
  }
}
