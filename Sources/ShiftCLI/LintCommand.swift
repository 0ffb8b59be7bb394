import ArgumentParser
import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftReport
import ShiftSchema
import ShiftSyntax

/// `--dialect` values.
enum DialectArgument: String, ExpressibleByArgument, CaseIterable {
  case postgres
  case sqlite

  var dialect: Dialect {
    switch self {
    case .postgres: .postgres
    case .sqlite: .sqlite
    }
  }
}

/// `--format` values.
enum FormatArgument: String, ExpressibleByArgument, CaseIterable {
  case text, json, sarif, github, junit, markdown

  var format: ReportFormat { ReportFormat(rawValue: rawValue) ?? .text }
}

/// `--fail-on` values.
enum SeverityArgument: String, ExpressibleByArgument, CaseIterable {
  case info, warning, error

  var severity: Severity { Severity(rawValue: rawValue) ?? .warning }
}

/// `--color` values.
enum ColorArgument: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}

/// `safeshift lint PATH...`: analyze migrations statement by statement and report findings.
struct LintCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check SQL migrations: locks, rewrites, scans, compatibility, and the safe recipe.",
    discussion: """
      PATH is a migration file or a directory (a migration set). A directory is read the way
      its migration runner lays it out (golang-migrate, goose, dbmate, Flyway, diesel, Prisma,
      sqitch, Atlas; detected, or chosen with --runner), in the runner's order, up
      migrations unless --direction down; a plain folder is its .sql files in lexical order,
      rollback scripts such as down.sql left out. Earlier files of a set build the schema the
      later ones are judged against; --schema files add context without being reported.

      Settings come from .safeshift.yml (found by walking up from the working directory)
      and are overridden by flags. Exit codes: 0 nothing at or above --fail-on, 1 findings at
      or above it, 2 could not do the job (unreadable file, bad configuration, malformed
      runner markers, invalid UTF-8, syntax error), 64 usage error.
      """
  )

  @Argument(help: "Migration files or directories; - reads standard input.")
  var paths: [String] = []

  @Option(help: "SQL dialect: postgres or sqlite (default: configuration, else guessed).")
  var dialect: DialectArgument?

  @Option(help: "Output format: text, json, sarif, github, junit or markdown.")
  var format: FormatArgument = .text

  @Option(help: "Exit 1 when a finding is at or above this severity: info, warning or error.")
  var failOn: SeverityArgument?

  @Option(help: "PostgreSQL major version whose behaviour to model (10-18; default 18).")
  var pgVersion: Int?

  @Flag(inversion: .prefixedNo, help: "Model a runner that wraps each file in one transaction.")
  var assumeInTransaction: Bool?

  @Option(help: "The migration session's TimeZone (UTC makes timestamp/timestamptz changes free).")
  var sessionTimeZone: String?

  @Option(name: .customLong("schema"), help: "SQL replayed as context, not reported (repeatable).")
  var schemaFiles: [String] = []

  @Option(
    name: .customLong("rule"),
    help: "Set a rule's level: ID=off|info|warning|error (repeatable)."
  )
  var ruleLevels: [String] = []

  @Option(
    help: """
      Report only files changed since this git ref (committed, staged, unstaged or untracked);
      the other files are still replayed as context.
      """
  )
  var since: String?

  @Option(
    help: """
      Read the schema and table sizes of a live database as context: PostgreSQL (URL or
      key=value string; libpq's PG* environment and .pgpass apply; its server version is
      modelled unless --pg-version says otherwise) or SQLite (sqlite:PATH or the path of a
      database file, opened read-only; its journal mode is reported).
      """
  )
  var databaseURL: String?

  @Option(help: "Configuration file (default: .safeshift.yml found upwards).")
  var config: String?

  @Option(
    help: """
      Migration runner whose layout directories follow: auto, plain, golang-migrate, goose,
      dbmate, flyway, diesel, prisma, sqitch or atlas.
      """
  )
  var runner: RunnerArgument = .auto

  @Option(help: "Which migrations of a directory to lint: up (default) or down (rollbacks).")
  var direction: DirectionArgument = .up

  @Option(help: "Colour in text output: auto (terminal, NO_COLOR respected), always or never.")
  var color: ColorArgument = .auto

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one migration file or directory.") }
    if let pgVersion, !Configuration.supportedPostgresVersions.contains(pgVersion) {
      throw ValidationError("--pg-version must be a PostgreSQL major version from 10 to 18.")
    }
    for entry in ruleLevels {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, Configuration.RuleLevel(rawValue: parts[1]) != nil else {
        throw ValidationError("--rule takes ID=off|info|warning|error, not '\(entry)'.")
      }
      guard rule(withID: parts[0]) != nil || parts[0] == SuppressionIndex.unusedRule else {
        throw ValidationError("--rule: unknown rule '\(parts[0])' (see safeshift rules).")
      }
    }
  }

  /// The configuration file's settings overridden by the flags.
  func settings() throws(ConfigurationError) -> Configuration {
    var fileSettings = Configuration()
    let knownRules = Set(
      allRules.flatMap {
        [type(of: $0).description.id] + type(of: $0).description.deprecatedAliases
      } + [SuppressionIndex.unusedRule]
    )
    if let path = config ?? ConfigurationFile.find() {
      let bytes: [UInt8]
      do {
        bytes = try FileSystem.read(path)
      } catch {
        throw ConfigurationError(path: path, location: nil, message: error.message)
      }
      fileSettings = try Configuration.parse(
        String(decoding: bytes, as: UTF8.self),
        path: path,
        knownRules: knownRules
      )
    }
    var flags = Configuration()
    flags.dialect = dialect?.dialect
    flags.failOn = failOn?.severity
    flags.pgVersion = pgVersion
    flags.assumeInTransaction = assumeInTransaction
    flags.sessionTimeZone = sessionTimeZone
    for entry in ruleLevels {
      let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
      if parts.count == 2, let level = Configuration.RuleLevel(rawValue: parts[1]) {
        flags.rules[parts[0]] = level
      }
    }
    return fileSettings.overridden(by: flags)
  }

  func execute(console: Console) -> ShiftExitCode {
    var configuration: Configuration
    do {
      configuration = try settings()
    } catch {
      console.error("\(error)")
      return .failure
    }
    var liveCatalog: Catalog?
    if let databaseURL {
      do {
        liveCatalog = try LiveDatabase(databaseURL).read(into: &configuration)
      } catch {
        // DriverError descriptions never contain the connection string or its password.
        console.error("error: --database-url: \(error)")
        return .failure
      }
    }
    var run = LintRun(configuration: configuration, format: format.format, console: console)
    run.liveCatalog = liveCatalog
    if let since {
      do {
        run.reportOnly = try GitChanges.files(since: since)
      } catch {
        console.error("error: \(error)")
        return .failure
      }
    }
    for path in schemaFiles { run.addSchema(path) }
    for path in paths {
      let (inputs, problems) = MigrationSet.resolve(
        [path],
        runner: runner.runner,
        direction: direction.direction,
        dialect: configuration.dialect
      )
      for problem in problems { run.inputFailed(problem) }
      run.lintSet(inputs)
    }
    let useColor: Bool
    switch color {
    case .always: useColor = true
    case .never: useColor = false
    case .auto:
      useColor = ReportOptions.colorFromEnvironment(
        isTTY: Terminal.isTTY(1),
        environment: Terminal.environment
      )
    }
    return run.finish(color: useColor)
  }
}
