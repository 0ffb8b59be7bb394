import ShiftDatabase

/// The backfill part of the ledger on SQLite: tables `safeshift_*` in the main database,
/// created and upgraded by the tool (docs/backfill.md documents them).
///
/// SQLite has one writer at a time and no row locks: a worker claims a range in a
/// `BEGIN IMMEDIATE` transaction, and a range whose worker stopped heartbeating (no batch
/// committed for `leaseSeconds`) may be claimed again; the same worker name reclaims its own
/// range at once.
enum SQLiteLedger {
  static let version = 1

  static let createStatements = [
    """
    CREATE TABLE IF NOT EXISTS safeshift_schema_version (
      component TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      upgraded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
    """,
    """
    CREATE TABLE IF NOT EXISTS safeshift_backfills (
      name TEXT PRIMARY KEY,
      spec_checksum TEXT NOT NULL,
      table_schema TEXT NOT NULL,
      table_name TEXT NOT NULL,
      key_columns TEXT NOT NULL,
      walk TEXT NOT NULL,
      operation TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
      upper_key TEXT,
      keys_estimated INTEGER NOT NULL DEFAULT 0,
      rows_per_second REAL,
      throttle_reason TEXT,
      pause_requested INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      finished_at TEXT)
    """,
    """
    CREATE TABLE IF NOT EXISTS safeshift_backfill_ranges (
      backfill TEXT NOT NULL REFERENCES safeshift_backfills (name) ON DELETE CASCADE,
      range_no INTEGER NOT NULL,
      lower_key TEXT,
      upper_key TEXT NOT NULL,
      keys_estimated INTEGER NOT NULL DEFAULT 0,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done')),
      cursor_key TEXT,
      keys_done INTEGER NOT NULL DEFAULT 0,
      rows_done INTEGER NOT NULL DEFAULT 0,
      batches_done INTEGER NOT NULL DEFAULT 0,
      failed_keys INTEGER NOT NULL DEFAULT 0,
      worker TEXT,
      heartbeat REAL NOT NULL DEFAULT (julianday('now')),
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      PRIMARY KEY (backfill, range_no))
    """,
    """
    CREATE TABLE IF NOT EXISTS safeshift_backfill_failures (
      backfill TEXT NOT NULL REFERENCES safeshift_backfills (name) ON DELETE CASCADE,
      range_no INTEGER NOT NULL,
      lower_key TEXT,
      upper_key TEXT NOT NULL,
      keys INTEGER NOT NULL,
      result_code TEXT,
      message TEXT,
      recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
    """,
    """
    CREATE VIEW IF NOT EXISTS safeshift_backfill_status AS
    SELECT b.name, b.state, b.table_schema, b.table_name, b.keys_estimated,
      coalesce(sum(r.keys_done), 0) AS keys_done,
      coalesce(sum(r.rows_done), 0) AS rows_done,
      coalesce(sum(r.failed_keys), 0) AS failed_keys,
      count(r.range_no) AS ranges,
      coalesce(sum(r.state = 'done'), 0) AS ranges_done,
      b.rows_per_second, b.throttle_reason, b.pause_requested,
      b.started_at, b.updated_at, b.finished_at, b.last_error
    FROM safeshift_backfills b
    LEFT JOIN safeshift_backfill_ranges r ON r.backfill = b.name
    GROUP BY b.name
    """,
  ]

  static func prepare(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError) {
    try session.inTransaction("BEGIN IMMEDIATE") { session throws(DriverError) in
      for statement in createStatements { try session.execute(statement) }
      _ = try session.query(
        """
        INSERT INTO safeshift_schema_version (component, version) VALUES ('backfill', ?1)
        ON CONFLICT (component) DO NOTHING
        """,
        [String(version)]
      )
    }
  }

  static func exists(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError) -> Bool
  {
    !(try session.query(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'safeshift_schema_version'",
      []
    ).isEmpty)
  }

  static let insertRange = """
    INSERT INTO safeshift_backfill_ranges (backfill, range_no, lower_key, upper_key, keys_estimated)
    VALUES (?1, ?2, ?3, ?4, ?5)
    """

  /// The first range free to claim: pending, this worker's own, or one whose worker has not
  /// heartbeated for ?3 seconds.
  static let claimCandidate = """
    SELECT CAST(range_no AS TEXT), lower_key, upper_key, cursor_key,
      CAST(keys_estimated AS TEXT)
    FROM safeshift_backfill_ranges
    WHERE backfill = ?1 AND (state = 'pending' OR (state = 'running'
      AND (worker = ?2 OR heartbeat < julianday('now') - ?3 / 86400.0)))
    ORDER BY worker = ?2 DESC, range_no LIMIT 1
    """

  /// The other workers holding ranges.
  static let runningWorkers = """
    SELECT DISTINCT worker FROM safeshift_backfill_ranges
    WHERE backfill = ?1 AND state = 'running' AND worker IS NOT NULL AND worker <> ?2
    """

  /// Ends the lease of a worker known to be gone.
  static let expireWorker = """
    UPDATE safeshift_backfill_ranges SET heartbeat = 0
    WHERE backfill = ?1 AND worker = ?2 AND state = 'running'
    """

  static let markRunning = """
    UPDATE safeshift_backfill_ranges SET state = 'running', worker = ?3,
      heartbeat = julianday('now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE backfill = ?1 AND range_no = ?2
    """

  /// The checkpoint of a batch.
  ///
  /// Parameters: cursor, keys, rows, done, backfill, range, worker, the cursor the batch
  /// started from (another cursor in the ledger matches no row: the batch is rolled back).
  static let checkpoint = """
    UPDATE safeshift_backfill_ranges SET cursor_key = ?1, keys_done = keys_done + ?2,
      rows_done = rows_done + ?3, batches_done = batches_done + 1,
      state = CASE WHEN ?4 = 'true' THEN 'done' ELSE state END,
      heartbeat = julianday('now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE backfill = ?5 AND range_no = ?6 AND worker = ?7 AND state = 'running'
      AND cursor_key IS ?8
    RETURNING 1
    """

  static let insertFailure = """
    INSERT INTO safeshift_backfill_failures
      (backfill, range_no, lower_key, upper_key, keys, result_code, message)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
    """

  static let skipRange = """
    UPDATE safeshift_backfill_ranges SET cursor_key = ?3, failed_keys = failed_keys + ?4,
      state = CASE WHEN ?5 = 'true' THEN 'done' ELSE state END, heartbeat = julianday('now')
    WHERE backfill = ?1 AND range_no = ?2
    """

  static let markDone = """
    UPDATE safeshift_backfill_ranges SET state = 'done',
      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE backfill = ?1 AND range_no = ?2
    """

  static let finishIfComplete = """
    UPDATE safeshift_backfills SET state = 'done', throttle_reason = NULL,
      finished_at = coalesce(finished_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE name = ?1 AND state <> 'done'
      AND NOT EXISTS (SELECT 1 FROM safeshift_backfill_ranges
                      WHERE backfill = ?1 AND state <> 'done')
    """

  static let progress = """
    SELECT CAST(keys_done AS TEXT), CAST(rows_done AS TEXT), CAST(failed_keys AS TEXT),
      CAST(ranges AS TEXT), CAST(ranges_done AS TEXT), CAST(keys_estimated AS TEXT), state
    FROM safeshift_backfill_status WHERE name = ?1
    """

  static let publish = """
    UPDATE safeshift_backfills SET rows_per_second = ?2, throttle_reason = ?3,
      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE name = ?1
    """

  static let markFailed = """
    UPDATE safeshift_backfills SET state = 'failed', last_error = ?2,
      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE name = ?1 AND state <> 'done'
    """

  static let pauseFlag =
    "SELECT CAST(pause_requested AS TEXT) FROM safeshift_backfills WHERE name = ?1"
}
