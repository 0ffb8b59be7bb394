import ArgumentParser
import ShiftCore

/// `--format` values of `trace`.
enum TraceFormatArgument: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// `safeshift trace PATH...`: run migrations on a scratch copy of the schema and report what
/// the database really did, statement by statement.
struct TraceCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Run migrations on a scratch copy of the schema and report what the database did.",
    discussion: """
      PostgreSQL: creates a scratch database on the server of --scratch-url (default: the \
      server of --database-url), loads the schema there (the live database's schema via \
      pg_dump --schema-only when --database-url is given, then --schema files), fills empty \
      tables with --rows generated rows, and runs each file statement by statement inside \
      one transaction, reporting per statement the locks it added (pg_locks), rewrites \
      (relfilenode), scans (pg_stat_xact_user_tables), created/altered/dropped relations \
      and its time. The last file's transaction is rolled back; the scratch database is \
      always dropped. CONCURRENTLY statements run outside the transaction. Your data is \
      never touched unless --use-real-data is given.

      SQLite: the same on a copy of --sqlite-database (or a new file built from --schema).

      Exit codes: 0 traced (and, with --compare, model and trace agree), 1 with --compare: \
      they disagree, 2 could not trace (bad input, connection or statement error), 64 usage. \
      See docs/trace.md.
      """
  )

  @Argument(help: "Migration files or directories (a directory is a migration set).")
  var paths: [String] = []

  @Option(help: "SQL dialect: postgres or sqlite (default: guessed from the files).")
  var dialect: DialectArgument?

  @Option(help: "Output format: text or json (the lint JSON document plus trace members).")
  var format: TraceFormatArgument = .text

  @Flag(help: "Also run the static effect model and report where it disagrees with the trace.")
  var compare = false

  @Option(
    name: .customLong("schema"),
    help: "SQL loaded into the scratch schema first (repeatable)."
  )
  var schemaFiles: [String] = []

  @Option(
    help: """
      A live PostgreSQL database whose schema (pg_dump --schema-only, no data) is copied into \
      the scratch database; also the default server for it.
      """
  )
  var databaseURL: String?

  @Option(
    help: """
      A PostgreSQL database on the server where the scratch database is created (its user \
      needs CREATEDB); default: --database-url.
      """
  )
  var scratchURL: String?

  @Option(help: "SQLite database file to trace on a copy of.")
  var sqliteDatabase: String?

  @Flag(
    help: """
      Trace on the --database-url database itself, with its real data, instead of a scratch \
      copy: one transaction, always rolled back; CONCURRENTLY statements are not run.
      """
  )
  var useRealData = false

  @Option(help: "Rows generated into each empty table before tracing (0: none).")
  var rows = 100

  @Option(help: "lock_timeout of the traced transaction with --use-real-data.")
  var lockTimeout = "2s"

  @Option(help: "The pg_dump program used to copy --database-url's schema.")
  var pgDump = "pg_dump"

  @Option(
    help: """
      Migration runner whose layout directories follow: auto, plain, golang-migrate, goose, \
      dbmate, flyway, diesel, prisma, sqitch or atlas.
      """
  )
  var runner: RunnerArgument = .auto

  @Option(help: "Which migrations of a directory to trace: up (default) or down.")
  var direction: DirectionArgument = .up

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one migration file or directory.") }
    if paths.contains("-") { throw ValidationError("trace reads files, not standard input.") }
    if rows < 0 || rows > 1_000_000 { throw ValidationError("--rows must be from 0 to 1000000.") }
    if useRealData {
      if databaseURL == nil {
        throw ValidationError("--use-real-data traces on --database-url; give it.")
      }
      if !schemaFiles.isEmpty || scratchURL != nil || sqliteDatabase != nil {
        throw ValidationError(
          "--use-real-data runs on the live database as it is: no --schema, --scratch-url "
            + "or --sqlite-database."
        )
      }
    }
    if sqliteDatabase != nil, databaseURL != nil || scratchURL != nil {
      throw ValidationError("--sqlite-database cannot be combined with PostgreSQL URLs.")
    }
  }

  func execute(console: Console) -> ShiftExitCode {
    var run = TraceRun(
      options: TraceRun.Options(
        dialect: dialect?.dialect,
        json: format == .json,
        compare: compare,
        schemaFiles: schemaFiles,
        databaseURL: databaseURL,
        scratchURL: scratchURL,
        sqliteDatabase: sqliteDatabase,
        useRealData: useRealData,
        rows: rows,
        lockTimeout: lockTimeout,
        pgDump: pgDump,
        runner: runner.runner,
        direction: direction.direction
      ),
      console: console
    )
    return run.run(paths)
  }
}
