public import ShiftDatabase
public import ShiftSyntax

/// One backfill as the engine's ledger shows it (`safeshift.backfill_status`), for
/// `safeshift status`.
public struct BackfillLedgerStatus: Sendable, Hashable, Codable {
  public var name: String
  /// `running`, `paused`, `done`, `failed`, … as the engine records it.
  public var state: String
  /// The table's schema (empty or `main` on SQLite) and name.
  public var schema: String
  public var table: String
  public var rowsEstimated: Int
  public var rowsDone: Int
  public var rowsChanged: Int
  public var failedRows: Int
  public var ranges: Int
  public var rangesDone: Int
  public var rowsPerSecond: Double?
  /// Why the run is paused, when it is.
  public var throttleReason: String?
  public var updatedAt: String?
  public var lastError: String?

  /// Every backfill of the database's ledger, by name; empty when there is no ledger.
  public static func all(
    dialect: Dialect,
    on session: inout some DatabaseSession & ~Copyable
  ) throws(DriverError) -> [BackfillLedgerStatus] {
    let isPostgres = dialect == .postgres
    let exists =
      isPostgres
      ? "SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('safeshift.backfill_status')"
      : "SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'safeshift_backfill_status'"
    guard try !session.query(exists, []).isEmpty else { return [] }
    let rows = try session.query(
      """
      SELECT name, state, table_schema, table_name, keys_estimated, keys_done, rows_done,
        failed_keys, ranges, ranges_done, rows_per_second, throttle_reason, updated_at,
        last_error
      FROM \(isPostgres ? "safeshift.backfill_status" : "safeshift_backfill_status")
      ORDER BY name
      """,
      []
    )
    return rows.map { row in
      func int(_ index: Int) -> Int { row[index].flatMap { Int($0) } ?? 0 }
      return BackfillLedgerStatus(
        name: row[0] ?? "",
        state: row[1] ?? "",
        schema: row[2] ?? "",
        table: row[3] ?? "",
        rowsEstimated: int(4),
        rowsDone: int(5),
        rowsChanged: int(6),
        failedRows: int(7),
        ranges: int(8),
        rangesDone: int(9),
        rowsPerSecond: row[10].flatMap { Double($0) },
        throttleReason: row[11],
        updatedAt: row[12],
        lastError: row[13]
      )
    }
  }
}
