import ArgumentParser
import ShiftAnalysis
import ShiftCore
import ShiftPlanner
import ShiftPostgres
import ShiftSchema
import ShiftSyntax

/// `safeshift plan PATH... --out DIR`: split a migration into expand, migrate (backfills)
/// and contract, rewriting unsafe statements into safe sequences.
struct PlanCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Split a migration into safe expand, migrate (backfill) and contract phases.",
    discussion: """
      PATH is a migration file or a directory (its files in the runner's order, as for lint);
      all statements of all PATHs form one plan. --schema files and --database-url give the
      schema the migration runs against: the plan depends on column types, nullability,
      defaults, keys and constraints.

      Writes to DIR: expand.sql, migrate.sql, contract.sql, backfills/*.json (declarative
      backfill specs), plan.json (see docs/plan-format.md) and DEPLOYMENT.md (the rollout
      strategy chosen from the DEPLOYMENT.md options and why, configuration, pipeline,
      rollback table, metrics and checklists). Exit codes: 0 the whole
      migration was planned safely, 1 some statements could not be made safe (listed at the
      end of contract.sql and in plan.json's notes; the rest is still planned), 2 could not
      do the job (unreadable file, syntax error, database error, unwritable DIR), 64 usage
      error.
      """
  )

  @Argument(help: "Migration files or directories.")
  var paths: [String] = []

  @Option(help: "Directory to write the plan into (created if missing).")
  var out: String

  @Option(help: "SQL dialect: postgres or sqlite (default: configuration, else guessed).")
  var dialect: DialectArgument?

  @Option(help: "PostgreSQL major version whose behaviour to plan for (10-18; default 18).")
  var pgVersion: Int?

  @Option(name: .customLong("schema"), help: "SQL replayed as context (repeatable).")
  var schemaFiles: [String] = []

  @Option(
    help: """
      Read the schema of a live PostgreSQL database (URL or key=value string) as context.
      """
  )
  var databaseURL: String?

  @Option(help: "Configuration file (default: .safeshift.yml found upwards).")
  var config: String?

  @Option(help: "Migration runner whose layout directories follow (as for lint).")
  var runner: RunnerArgument = .auto

  @Flag(help: "Print the plan summary only; write nothing.")
  var dryRun = false

  @Option(help: "DEPLOYMENT.md: rollout strategy: auto, rolling, blue-green or canary.")
  var strategy: StrategyArgument = .auto

  @Option(help: "DEPLOYMENT.md: where the application runs: kubernetes or other.")
  var platform: PlatformArgument = .kubernetes

  @Option(help: "DEPLOYMENT.md: the application's Deployment/Service name.")
  var service = "app"

  @Option(help: "DEPLOYMENT.md: instances of the application.")
  var replicas = 3

  @Flag(help: "DEPLOYMENT.md: a rollback must take seconds, not minutes.")
  var fastRollback = false

  @Flag(help: "DEPLOYMENT.md: the application can switch reads behind a feature flag.")
  var featureFlags = false

  @Flag(help: "DEPLOYMENT.md: Helm manages the release.")
  var helm = false

  @Option(help: "DEPLOYMENT.md: peak requests per second.")
  var requestsPerSecond: Int?

  @Option(help: "DEPLOYMENT.md: error-rate objective in percent (default 1).")
  var errorRate: Double = 1

  @Option(help: "DEPLOYMENT.md: p99 latency objective in milliseconds (default 500).")
  var p99: Int = 500

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one migration file or directory.") }
    if out.isEmpty { throw ValidationError("--out needs a directory.") }
    if let pgVersion, !Configuration.supportedPostgresVersions.contains(pgVersion) {
      throw ValidationError("--pg-version must be a PostgreSQL major version from 10 to 18.")
    }
    if replicas < 1 { throw ValidationError("--replicas must be at least 1.") }
    if !(errorRate > 0 && errorRate < 100) {
      throw ValidationError("--error-rate must be a percentage between 0 and 100.")
    }
    if p99 < 1 { throw ValidationError("--p99 must be a positive number of milliseconds.") }
  }

  /// The deployment inputs the flags describe.
  var deploymentInputs: DeploymentInputs {
    DeploymentInputs(
      strategy: strategy.strategy,
      platform: platform.platform,
      service: service,
      replicas: replicas,
      requiresFastRollback: fastRollback,
      hasFeatureFlags: featureFlags,
      usesHelm: helm,
      requestsPerSecond: requestsPerSecond,
      errorRatePercent: errorRate,
      p99Milliseconds: p99
    )
  }

  /// `dialect`, `pgVersion` and `sessionTimeZone` of the configuration file, overridden by
  /// the flags.
  func fileSettings() throws(ConfigurationError) -> Configuration {
    guard let path = config ?? ConfigurationFile.find() else { return Configuration() }
    let bytes: [UInt8]
    do {
      bytes = try FileSystem.read(path)
    } catch {
      throw ConfigurationError(path: path, location: nil, message: error.message)
    }
    let knownRules = Set(
      allRules.flatMap {
        [type(of: $0).description.id] + type(of: $0).description.deprecatedAliases
      } + [SuppressionIndex.unusedRule]
    )
    return try Configuration.parse(
      String(decoding: bytes, as: UTF8.self),
      path: path,
      knownRules: knownRules
    )
  }

  func execute(console: Console) -> ShiftExitCode {
    let configuration: Configuration
    do {
      configuration = try fileSettings()
    } catch {
      console.error("\(error)")
      return .failure
    }
    let chosenDialect = dialect?.dialect ?? configuration.dialect
    var version = pgVersion ?? configuration.pgVersion
    var liveCatalog: Catalog?
    var timeZoneIsUTC =
      configuration.sessionTimeZone.map { EffectSettings.isUTC(timeZone: $0) } ?? false
    if let databaseURL {
      do {
        var connection = try PostgresConnection(connectingTo: databaseURL)
        let database = try PostgresIntrospector.introspect(&connection)
        liveCatalog = database.catalog
        if version == nil {
          version = min(
            max(database.serverVersionNumber / 10_000, 10),
            ShiftAnalysis.newestPostgresVersion
          )
        }
        if configuration.sessionTimeZone == nil {
          timeZoneIsUTC = EffectSettings.isUTC(timeZone: database.timeZone)
        }
      } catch {
        // DriverError descriptions never contain the connection string or its password.
        console.error("error: --database-url: \(error)")
        return .failure
      }
    }
    let pg = version ?? ShiftAnalysis.newestPostgresVersion
    var failed = false
    // Inputs.
    var files: [ParsedFile] = []
    let (inputs, problems) = MigrationSet.resolve(
      paths,
      runner: runner.runner,
      direction: .up,
      dialect: chosenDialect
    )
    for problem in problems {
      console.error("error: \(problem)")
      failed = true
    }
    for input in inputs {
      guard
        let parsed = parse(
          input.path,
          bytes: input.bytes,
          console: console,
          configured: chosenDialect
        )
      else {
        failed = true
        continue
      }
      files.append(parsed)
    }
    if files.isEmpty, !failed {
      console.error("error: no migration files found in \(paths.joined(separator: ", "))")
      return .failure
    }
    let planDialect = files.first?.dialect ?? .postgres
    var schema: [ParsedFile] = []
    for path in schemaFiles {
      guard
        let parsed = parse(
          path,
          bytes: nil,
          console: console,
          configured: chosenDialect,
          dialect: planDialect
        )
      else {
        failed = true
        continue
      }
      schema.append(parsed)
    }
    if failed { return .failure }
    let settings = EffectSettings(pgVersion: pg, sessionTimeZoneIsUTC: timeZoneIsUTC)
    var analyzer =
      planDialect == .postgres && liveCatalog != nil
      ? EffectAnalyzer(
        settings: settings,
        builder: CatalogBuilder(catalog: liveCatalog ?? Catalog())
      )
      : EffectAnalyzer(settings: settings, dialect: planDialect)
    for file in schema { analyzer.replaySchema(file) }
    let plan = Planner(settings: PlannerSettings(pgVersion: pg)).plan(
      files: files,
      analyzer: analyzer
    )
    if !dryRun {
      do {
        try write(plan)
      } catch {
        console.error("error: \(error)")
        return .failure
      }
    }
    console.write(Self.summary(plan, out: dryRun ? nil : out))
    return plan.hasUnsafeParts ? .findings : .success
  }

  private func parse(
    _ path: String,
    bytes: [UInt8]?,
    console: Console,
    configured chosenDialect: Dialect?,
    dialect forced: Dialect? = nil
  ) -> ParsedFile? {
    let data: [UInt8]
    do {
      data = try bytes ?? (path == "-" ? FileSystem.readStandardInput() : FileSystem.read(path))
    } catch {
      console.error("error: \(error)")
      return nil
    }
    let source = SourceFile(path: path == "-" ? "<stdin>" : path, bytes: data)
    let chosen = forced ?? chosenDialect ?? DialectGuess.guess(path: path, source: source)
    let parsed = SQLParser.parse(source, dialect: chosen)
    for problem in parsed.errors { console.error(problem.render(in: source)) }
    return parsed.errors.isEmpty ? parsed : nil
  }

  private func write(_ plan: Plan) throws(InputError) {
    let directory = out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out
    try PlanFiles.makeDirectory(directory)
    var written: Set<String> = []
    for file in PlanRenderer(plan: plan, deployment: deploymentInputs).files() {
      let path = directory + "/" + file.path
      if file.path.hasPrefix("backfills/") { try PlanFiles.makeDirectory(directory + "/backfills") }
      try PlanFiles.write(file.contents, to: path)
      written.insert(path)
    }
    PlanFiles.removeStale(in: directory, keeping: written)
  }

  /// The text printed after planning: steps per phase and every note worth reading.
  static func summary(_ plan: Plan, out: String?) -> String {
    var text = ""
    for phase in MigrationPhase.allCases {
      let steps = plan.steps(in: phase)
      text += "\(phase.rawValue): \(steps.count) step\(steps.count == 1 ? "" : "s")\n"
      for step in steps { text += "  \(step.id)  \(step.summary)\n" }
    }
    let important = plan.allNotes.filter { $0.kind != .info }
    if !important.isEmpty { text += "\n" }
    for note in important {
      let place = note.source.map { "\($0.position): " } ?? ""
      text += "\(place)\(note.kind.rawValue): \(note.message)\n"
    }
    if let out { text += "\nwrote the plan to \(out)\n" }
    return text
  }
}

/// `--strategy` values.
enum StrategyArgument: String, ExpressibleByArgument, CaseIterable {
  case auto, rolling
  case blueGreen = "blue-green"
  case canary

  var strategy: DeploymentInputs.Strategy {
    DeploymentInputs.Strategy(rawValue: rawValue) ?? .auto
  }
}

/// `--platform` values.
enum PlatformArgument: String, ExpressibleByArgument, CaseIterable {
  case kubernetes, other

  var platform: DeploymentInputs.Platform {
    DeploymentInputs.Platform(rawValue: rawValue) ?? .kubernetes
  }
}
