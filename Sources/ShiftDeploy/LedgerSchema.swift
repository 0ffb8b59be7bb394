import ShiftSyntax

/// The ledger's tables and their upgrades, per dialect (docs/deploy.md, "Ledger").
///
/// PostgreSQL: schema `safeshift` with `schema_version`, `migrations`, `phase_runs`,
/// `backups`; SQLite: the same tables named `safeshift_schema_version`, … . The backfill
/// engine adds its own `backfill*` tables and its own row in `schema_version`
/// (`component = 'backfill'`); deploy's row is `component = 'deploy'`.
public enum LedgerSchema {
  /// The newest version of deploy's tables.
  public static let currentVersion = 1

  /// Advisory lock keys (`pg_advisory_lock(int4, int4)`): class `0x5353_4654` ("SSFT"),
  /// object 1 for a running deploy, 2 for ledger creation/upgrade.
  public static let lockClass: Int32 = 0x5353_4654
  /// Held by a running deploy for its whole run (session level).
  public static let deployLockObject: Int32 = 1
  /// Held while the ledger's tables are created or upgraded (transaction level).
  public static let upgradeLockObject: Int32 = 2

  /// The `state` values allowed by the CHECK constraint.
  static var stateList: String {
    MigrationState.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
  }

  /// The statements that bring deploy's tables from `version - 1` to `version`.
  static func upgrade(to version: Int, dialect: Dialect) -> [String] {
    guard version == 1 else { return [] }
    switch dialect {
    case .postgres:
      return [
        """
        CREATE TABLE IF NOT EXISTS safeshift.migrations (
          id text PRIMARY KEY,
          plan_checksum text NOT NULL,
          state text NOT NULL CHECK (state IN (\(stateList))),
          failed_phase text CHECK (failed_phase IN ('expand', 'migrate', 'contract')),
          attempt integer NOT NULL DEFAULT 1,
          dialect text NOT NULL,
          backups_disabled boolean NOT NULL DEFAULT false,
          last_error text,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          finished_at timestamptz
        )
        """,
        """
        CREATE UNIQUE INDEX IF NOT EXISTS migrations_one_active
          ON safeshift.migrations ((true)) WHERE state NOT IN ('done', 'rolled_back')
        """,
        """
        CREATE TABLE IF NOT EXISTS safeshift.phase_runs (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          migration_id text NOT NULL REFERENCES safeshift.migrations (id),
          attempt integer NOT NULL,
          phase text NOT NULL,
          step_id text NOT NULL,
          status text NOT NULL CHECK (status IN ('done', 'skipped', 'failed', 'rolled_back')),
          attempts integer NOT NULL DEFAULT 1,
          started_at timestamptz NOT NULL,
          finished_at timestamptz NOT NULL DEFAULT now(),
          sqlstate text,
          error text
        )
        """,
        """
        CREATE UNIQUE INDEX IF NOT EXISTS phase_runs_step_once
          ON safeshift.phase_runs (migration_id, attempt, step_id)
          WHERE status IN ('done', 'skipped')
        """,
        """
        CREATE TABLE IF NOT EXISTS safeshift.backups (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          migration_id text NOT NULL REFERENCES safeshift.migrations (id),
          attempt integer NOT NULL DEFAULT 1,
          phase text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('pg_dump', 'pg_dump_table', 'sqlite', 'disabled')),
          object text,
          path text,
          size_bytes bigint,
          sha256 text,
          verified boolean NOT NULL DEFAULT false,
          created_at timestamptz NOT NULL DEFAULT now()
        )
        """,
      ]
    case .sqlite:
      return [
        """
        CREATE TABLE IF NOT EXISTS safeshift_migrations (
          id TEXT PRIMARY KEY,
          plan_checksum TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN (\(stateList))),
          failed_phase TEXT CHECK (failed_phase IN ('expand', 'migrate', 'contract')),
          attempt INTEGER NOT NULL DEFAULT 1,
          dialect TEXT NOT NULL,
          backups_disabled INTEGER NOT NULL DEFAULT 0,
          last_error TEXT,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          finished_at TEXT
        )
        """,
        """
        CREATE UNIQUE INDEX IF NOT EXISTS safeshift_migrations_one_active
          ON safeshift_migrations ((1)) WHERE state NOT IN ('done', 'rolled_back')
        """,
        """
        CREATE TABLE IF NOT EXISTS safeshift_phase_runs (
          id INTEGER PRIMARY KEY,
          migration_id TEXT NOT NULL REFERENCES safeshift_migrations (id),
          attempt INTEGER NOT NULL,
          phase TEXT NOT NULL,
          step_id TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('done', 'skipped', 'failed', 'rolled_back')),
          attempts INTEGER NOT NULL DEFAULT 1,
          started_at TEXT NOT NULL,
          finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          sqlstate TEXT,
          error TEXT
        )
        """,
        """
        CREATE UNIQUE INDEX IF NOT EXISTS safeshift_phase_runs_step_once
          ON safeshift_phase_runs (migration_id, attempt, step_id)
          WHERE status IN ('done', 'skipped')
        """,
        """
        CREATE TABLE IF NOT EXISTS safeshift_backups (
          id INTEGER PRIMARY KEY,
          migration_id TEXT NOT NULL REFERENCES safeshift_migrations (id),
          attempt INTEGER NOT NULL DEFAULT 1,
          phase TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('pg_dump', 'pg_dump_table', 'sqlite', 'disabled')),
          object TEXT,
          path TEXT,
          size_bytes INTEGER,
          sha256 TEXT,
          verified INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """,
      ]
    }
  }
}
