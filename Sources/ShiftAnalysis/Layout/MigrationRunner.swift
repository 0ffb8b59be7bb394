/// A migration runner whose folder layout, ordering and transaction markers SafeShift knows.
///
/// `plain` is a folder of `.sql` files applied in lexical order with rollback scripts
/// (`*.down.sql`, `down.sql`) set aside; it is what SafeShift assumes when no runner is
/// recognised. See `docs/migration-runners.md` for each runner's rules and sources.
public enum MigrationRunner: String, Sendable, Hashable, CaseIterable {
  /// `.sql` files in lexical order, rollback scripts set aside.
  case plain
  /// golang-migrate: `NNN_name.up.sql` / `NNN_name.down.sql`.
  case golangMigrate = "golang-migrate"
  /// pressly/goose: `-- +goose Up` / `-- +goose Down` sections in one file.
  case goose
  /// dbmate: `-- migrate:up` / `-- migrate:down` sections in one file.
  case dbmate
  /// Flyway: `V<version>__<description>.sql`, `R__<description>.sql`, `U<version>__….sql`.
  case flyway
  /// Diesel: one folder per migration with `up.sql` / `down.sql` (and `metadata.toml`).
  case diesel
  /// Prisma Migrate: one folder per migration with `migration.sql`.
  case prisma
  /// Sqitch: `sqitch.plan` with `deploy/`, `revert/` and `verify/` scripts.
  case sqitch
  /// Atlas: versioned `.sql` files with an `atlas.sum` and `-- atlas:` directives.
  case atlas
}

/// Which half of a migration is linted: the forward change or its rollback.
public enum MigrationDirection: String, Sendable, Hashable, CaseIterable {
  /// The forward migration (what `migrate up` applies).
  case up
  /// The rollback (what `migrate down` / `revert` applies), in reverse order.
  case down
}

/// How the runner wraps one migration unit in transactions, which decides whether
/// statements such as `CREATE INDEX CONCURRENTLY` are legal and how long locks are held.
public enum TransactionMode: String, Sendable, Hashable, CaseIterable {
  /// The runner opens a transaction around the unit and commits it at the end: every lock
  /// is held until the last statement of the unit finishes; `CONCURRENTLY` fails.
  case perFile = "per-file"
  /// The runner sends the whole unit as one multi-statement query. PostgreSQL runs such a
  /// query as one implicit transaction (unless it holds its own `BEGIN`/`COMMIT`), so locks
  /// are held to the end of the unit and `CONCURRENTLY` fails unless it is the only statement.
  case implicitMultiStatement = "implicit"
  /// The runner executes statements one by one in autocommit mode; only the file's own
  /// `BEGIN`/`COMMIT` blocks group them.
  case autocommit = "none"
  /// Unknown: a plain folder, where SafeShift cannot tell how the files will be applied.
  case unspecified = "unknown"
}
