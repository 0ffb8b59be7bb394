import ShiftDatabase

/// The backfill part of the ledger on PostgreSQL: schema `safeshift`, created and upgraded
/// by the tool (docs/backfill.md documents the tables).
enum PostgresLedger {
  /// The version of the backfill tables this build creates.
  static let version = 1

  /// Statements creating version 1, run under an advisory lock so concurrent workers do not
  /// race on `CREATE … IF NOT EXISTS`.
  static let createStatements = [
    "CREATE SCHEMA IF NOT EXISTS safeshift",
    """
    CREATE TABLE IF NOT EXISTS safeshift.schema_version (
      component text PRIMARY KEY,
      version integer NOT NULL,
      upgraded_at timestamptz NOT NULL DEFAULT clock_timestamp())
    """,
    """
    CREATE TABLE IF NOT EXISTS safeshift.backfills (
      name text PRIMARY KEY,
      spec_checksum text NOT NULL,
      table_schema text NOT NULL,
      table_name text NOT NULL,
      key_columns text[] NOT NULL,
      walk text NOT NULL CHECK (walk IN ('keyset', 'blocks')),
      operation text NOT NULL,
      state text NOT NULL DEFAULT 'running'
        CHECK (state IN ('running', 'done', 'failed')),
      upper_key text,
      keys_estimated bigint NOT NULL DEFAULT 0,
      rows_per_second double precision,
      throttle_reason text,
      pause_requested boolean NOT NULL DEFAULT false,
      last_error text,
      started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      finished_at timestamptz)
    """,
    """
    CREATE TABLE IF NOT EXISTS safeshift.backfill_ranges (
      backfill text NOT NULL REFERENCES safeshift.backfills (name) ON DELETE CASCADE,
      range_no integer NOT NULL,
      lower_key text,
      upper_key text NOT NULL,
      keys_estimated bigint NOT NULL DEFAULT 0,
      state text NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'running', 'done')),
      cursor_key text,
      keys_done bigint NOT NULL DEFAULT 0,
      rows_done bigint NOT NULL DEFAULT 0,
      batches_done bigint NOT NULL DEFAULT 0,
      failed_keys bigint NOT NULL DEFAULT 0,
      worker text,
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (backfill, range_no))
    """,
    """
    CREATE TABLE IF NOT EXISTS safeshift.backfill_failures (
      backfill text NOT NULL REFERENCES safeshift.backfills (name) ON DELETE CASCADE,
      range_no integer NOT NULL,
      lower_key text,
      upper_key text NOT NULL,
      keys bigint NOT NULL,
      sqlstate text,
      message text,
      recorded_at timestamptz NOT NULL DEFAULT clock_timestamp())
    """,
    """
    CREATE OR REPLACE VIEW safeshift.backfill_status AS
    SELECT b.name, b.state, b.table_schema, b.table_name, b.keys_estimated,
      coalesce(sum(r.keys_done), 0)::bigint AS keys_done,
      coalesce(sum(r.rows_done), 0)::bigint AS rows_done,
      coalesce(sum(r.failed_keys), 0)::bigint AS failed_keys,
      count(r.range_no) AS ranges,
      count(r.range_no) FILTER (WHERE r.state = 'done') AS ranges_done,
      b.rows_per_second, b.throttle_reason, b.pause_requested,
      b.started_at, b.updated_at, b.finished_at, b.last_error
    FROM safeshift.backfills b
    LEFT JOIN safeshift.backfill_ranges r ON r.backfill = b.name
    GROUP BY b.name
    """,
  ]

  /// Creates or upgrades the tables (idempotent; safe from concurrent workers).
  static func prepare(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError) {
    try session.inTransaction { session throws(DriverError) in
      _ = try session.query("SELECT pg_advisory_xact_lock(hashtext('safeshift.ledger'))", [])
      var installed: Int?
      if try exists(&session) {
        installed =
          try session.query(
            "SELECT version::text FROM safeshift.schema_version WHERE component = 'backfill'",
            []
          )
          .first?.first?.flatMap { Int($0) }
      }
      if installed == nil {
        for statement in createStatements { try session.execute(statement) }
        _ = try session.query(
          """
          INSERT INTO safeshift.schema_version (component, version) VALUES ('backfill', $1::integer)
          ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version
          """,
          [String(version)]
        )
      }
      // Later versions add their upgrade steps here, keyed on `installed`.
    }
  }

  /// Whether the ledger table exists yet (for dry runs, which create nothing).
  static func exists(_ session: inout some DatabaseSession & ~Copyable) throws(DriverError) -> Bool
  {
    let rows = try session.query("SELECT to_regclass('safeshift.schema_version')::text", [])
    return rows.first?.first.flatMap { $0 } != nil
  }

  /// The `INSERT` of a range.
  static let insertRange = """
    INSERT INTO safeshift.backfill_ranges (backfill, range_no, lower_key, upper_key, keys_estimated)
    VALUES ($1, $2::integer, $3, $4, $5::bigint)
    """

  /// The next candidate range after range `$2` for a worker to claim, locked for the claim;
  /// a range another claimer is looking at is skipped, not waited for.
  static let claimCandidates = """
    SELECT range_no::text, lower_key, upper_key, cursor_key, keys_estimated::text,
      keys_done::text
    FROM safeshift.backfill_ranges
    WHERE backfill = $1 AND state IN ('pending', 'running') AND range_no > $2::integer
    ORDER BY range_no
    LIMIT 1
    FOR UPDATE SKIP LOCKED
    """

  /// Takes the session-level advisory lock that makes a range this session's until it
  /// disconnects or releases it (so a killed worker's range is free again at once).
  static let tryLockRange =
    "SELECT pg_try_advisory_lock(hashtext('safeshift.backfill:' || $1), $2::integer)::text"

  /// Releases a range's advisory lock.
  static let unlockRange =
    "SELECT pg_advisory_unlock(hashtext('safeshift.backfill:' || $1), $2::integer)::text"

  /// Marks a claimed range as this worker's.
  static let markRunning = """
    UPDATE safeshift.backfill_ranges SET state = 'running', worker = $3,
      updated_at = clock_timestamp()
    WHERE backfill = $1 AND range_no = $2::integer
    """

  /// Records keys given up on and moves the range's cursor past them.
  static let recordFailure = """
    WITH failure AS (
      INSERT INTO safeshift.backfill_failures
        (backfill, range_no, lower_key, upper_key, keys, sqlstate, message)
      VALUES ($1, $2::integer, $3, $4, $5::bigint, $6, $7) RETURNING 1)
    UPDATE safeshift.backfill_ranges SET cursor_key = $4, failed_keys = failed_keys + $5::bigint,
      state = CASE WHEN $8::boolean THEN 'done' ELSE state END, updated_at = clock_timestamp()
    WHERE backfill = $1 AND range_no = $2::integer AND EXISTS (SELECT 1 FROM failure)
    """

  /// Marks an exhausted range done.
  static let markDone = """
    UPDATE safeshift.backfill_ranges SET state = 'done', updated_at = clock_timestamp()
    WHERE backfill = $1 AND range_no = $2::integer
    """

  /// Marks the backfill done once every range is.
  static let finishIfComplete = """
    UPDATE safeshift.backfills SET state = 'done', throttle_reason = NULL,
      finished_at = coalesce(finished_at, clock_timestamp()), updated_at = clock_timestamp()
    WHERE name = $1 AND state <> 'done'
      AND NOT EXISTS (SELECT 1 FROM safeshift.backfill_ranges
                      WHERE backfill = $1 AND state <> 'done')
    """

  /// The totals of the ranges: keys done, rows changed, failed keys, ranges, ranges done,
  /// keys estimated, state.
  static let progress = """
    SELECT keys_done::text, rows_done::text, failed_keys::text, ranges::text,
      ranges_done::text, keys_estimated::text, state
    FROM safeshift.backfill_status WHERE name = $1
    """

  /// Publishes the run's rate and throttle reason for `safeshift status`.
  static let publish = """
    UPDATE safeshift.backfills SET rows_per_second = $2::double precision,
      throttle_reason = $3, updated_at = clock_timestamp()
    WHERE name = $1
    """

  /// Marks the backfill failed with a (log-safe) message.
  static let markFailed = """
    UPDATE safeshift.backfills SET state = 'failed', last_error = $2,
      updated_at = clock_timestamp()
    WHERE name = $1 AND state <> 'done'
    """

  /// The health sample: replica lag, oldest other transaction's age (seconds), other active
  /// backends, autovacuum workers on the table, the pause flag.
  static let health = """
    SELECT
      (SELECT coalesce(max(extract(epoch FROM replay_lag)), 0)::text FROM pg_stat_replication),
      (SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)::text
         FROM pg_stat_activity
         WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
           AND backend_type = 'client backend' AND application_name <> 'safeshift-backfill'),
      (SELECT count(*)::text FROM pg_stat_activity
         WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'
           AND application_name <> 'safeshift-backfill'),
      (SELECT count(*)::text FROM pg_stat_progress_vacuum v
         JOIN pg_stat_activity a ON a.pid = v.pid
         WHERE v.relid = to_regclass($1) AND a.backend_type = 'autovacuum worker'),
      (SELECT pause_requested::text FROM safeshift.backfills WHERE name = $2)
    """
}
