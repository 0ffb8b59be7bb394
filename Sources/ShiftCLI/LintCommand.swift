import ArgumentParser
import ShiftAnalysis
import ShiftCore
import ShiftSyntax

/// Output formats of `lint`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text
  case json
}

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

/// `safeshift lint PATH...`: parse migrations and report each statement.
struct LintCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Check SQL migrations statement by statement.",
    discussion: """
      PATH is a migration file or a directory (a migration set). A directory is read the way
      its migration runner lays it out (golang-migrate, goose, dbmate, Flyway, diesel, Prisma,
      sqitch, Atlas; detected, or chosen with --runner), in the runner's order, up
      migrations unless --direction down; a plain folder is its .sql files in lexical order,
      rollback scripts such as down.sql left out. Exit codes: 0 clean, 1 findings at or above
      --fail-on, 2 could not do the job (unreadable file, malformed runner markers, invalid
      UTF-8, syntax error), 64 usage error.
      """
  )

  @Argument(help: "Migration files or directories; - reads standard input.")
  var paths: [String] = []

  @Option(help: "SQL dialect: postgres or sqlite (default: guessed from the migration set).")
  var dialect: DialectArgument?

  @Option(help: "Output format: text or json.")
  var format: OutputFormat = .text

  @Option(
    help: """
      Migration runner whose layout directories follow: auto, plain, golang-migrate, goose,
      dbmate, flyway, diesel, prisma, sqitch or atlas.
      """
  )
  var runner: RunnerArgument = .auto

  @Option(help: "Which migrations of a directory to lint: up (default) or down (rollbacks).")
  var direction: DirectionArgument = .up

  func validate() throws {
    if paths.isEmpty { throw ValidationError("Give at least one migration file or directory.") }
  }

  func execute(console: Console) -> ShiftExitCode {
    let (files, inputErrors) = MigrationSet.resolve(
      paths,
      runner: runner.runner,
      direction: direction.direction,
      dialect: dialect?.dialect
    )
    for problem in inputErrors { console.error("error: \(problem)") }
    var failed = !inputErrors.isEmpty
    var report = LintReport(format: format)
    for input in files {
      let path = input.path
      let bytes: [UInt8]
      do {
        if let given = input.bytes {
          bytes = given
        } else {
          bytes = path == "-" ? try FileSystem.readStandardInput() : try FileSystem.read(path)
        }
      } catch {
        console.error("error: \(error)")
        failed = true
        continue
      }
      let source = SourceFile(path: path == "-" ? "<stdin>" : path, bytes: bytes)
      let fileDialect = dialect?.dialect ?? DialectGuess.guess(path: path, source: source)
      report.beginFile(source, dialect: fileDialect)
      let errors = SQLParser.forEachStatement(in: source, dialect: fileDialect) { statement in
        report.add(statement, in: source, console: console)
      }
      for problem in errors { console.error(problem.render(in: source)) }
      report.endFile(errors: errors, in: source, console: console)
      if !errors.isEmpty { failed = true }
    }
    report.finish(console: console)
    return failed ? .failure : .success
  }
}
