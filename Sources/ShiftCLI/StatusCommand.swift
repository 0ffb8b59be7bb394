import ArgumentParser
import ShiftCore
import ShiftDatabase
import ShiftDeploy
import ShiftPlanner
import ShiftSyntax

/// Reads the status report on an open session.
struct StatusWork: SessionWork {
  var dialect: Dialect
  var plan: DeployPlan?
  var limit: Int

  mutating func run(_ session: inout some DatabaseSession & ~Copyable) throws -> StatusReport {
    try StatusReport.read(dialect: dialect, plan: plan, limit: limit, session: &session)
  }
}

/// `safeshift status`: what the ledger says about the migrations of a database.
struct StatusCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract:
      "Show the ledger: migrations, steps, backups, backfill progress, and what to run next.",
    discussion: "--format json writes the document described in docs/deploy.md (version 1)."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Option(help: "The database (as for deploy). Default: $SAFESHIFT_DATABASE_URL.")
  var databaseURL: String?

  @Option(help: "A plan directory: also list its steps still to run.")
  var plan: String?

  @Option(help: "The migration id, when the plan's default is not the one deployed.")
  var migrationID: String?

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  @Option(help: "How many migrations to show, newest first.")
  var limit = 10

  func execute(console: Console) -> ShiftExitCode {
    do {
      let plan = try self.plan.map { try DeployPlan.load(directory: $0, migrationID: migrationID) }
      guard let url = DatabaseTarget.resolve(databaseURL, console: console) else {
        return .usage
      }
      let dialect = DatabaseTarget.dialect(of: url, fallback: plan?.plan.dialect)
      var work = StatusWork(dialect: dialect, plan: plan, limit: limit)
      let report = try DatabaseTarget.open(url, dialect: dialect, &work)
      console.write(format == .json ? report.json() : report.text())
      return .success
    } catch {
      return DatabaseTarget.report(error, console: console)
    }
  }
}
