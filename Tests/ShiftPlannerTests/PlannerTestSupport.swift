import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftPlanner
import ShiftSchema
import ShiftSyntax
import ShiftTestSupport

/// Plans and lints plans for the tests.
enum PlannerHarness {
  /// Plans `migration` against `schema` (replayed as context).
  static func plan(
    _ migration: String,
    schema: String = "",
    dialect: Dialect = .postgres,
    pgVersion: Int = 16
  ) -> Plan {
    plan(
      files: [SQLParser.parse(migration, dialect: dialect, path: "migration.sql")],
      schema: schema.isEmpty ? [] : [SQLParser.parse(schema, dialect: dialect, path: "schema.sql")],
      dialect: dialect,
      pgVersion: pgVersion
    )
  }

  static func plan(
    files: [ParsedFile],
    schema: [ParsedFile],
    dialect: Dialect = .postgres,
    pgVersion: Int = 16
  ) -> Plan {
    var analyzer = EffectAnalyzer(settings: EffectSettings(pgVersion: pgVersion), dialect: dialect)
    for file in schema { analyzer.replaySchema(file) }
    return Planner(settings: PlannerSettings(pgVersion: pgVersion)).plan(
      files: files,
      analyzer: analyzer
    )
  }

  /// Lints the plan's three SQL files in order (after the schema the plan was made
  /// against) and returns every problem: findings at warning or above, and SQL that does
  /// not parse, each as `file:line: …`.
  static func lintProblems(
    _ plan: Plan,
    schema: [ParsedFile],
    pgVersion: Int = 16
  ) -> [String] {
    var linter = Linter(
      settings: LintSettings(effect: EffectSettings(pgVersion: pgVersion)),
      dialect: plan.dialect
    )
    for file in schema { linter.replay(file) }
    var problems: [String] = []
    let renderer = PlanRenderer(plan: plan)
    for phase in MigrationPhase.allCases {
      let name = "\(phase.rawValue).sql"
      let parsed = SQLParser.parse(renderer.sql(for: phase), dialect: plan.dialect, path: name)
      for error in parsed.errors { problems.append("\(name): \(error)") }
      let linted = linter.lint(parsed, assumeInTransaction: false)
      for finding in linted.allFindings where finding.severity >= .warning {
        problems.append(
          "\(name):\(finding.location.line): \(finding.severity.rawValue)[\(finding.rule)] \(finding.message)"
        )
      }
    }
    return problems
  }

  /// Every SQL statement of the plan (cleanups included), in order.
  static func statements(_ plan: Plan) -> [String] {
    plan.steps.flatMap { $0.cleanup + $0.statements }
  }

  /// The plan's SQL steps as text, for `contains` checks.
  static func text(_ plan: Plan) -> String {
    statements(plan).joined(separator: ";\n")
  }

  /// The repository path of a file (stable across machines), as plans record it.
  static func relativePath(_ url: URL) -> String {
    let root = Fixtures.root.path
    let path = url.path
    return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
  }

  static func parse(_ url: URL, dialect: Dialect) throws -> ParsedFile {
    SQLParser.parse(
      SourceFile(path: relativePath(url), bytes: try Fixtures.bytes(url)),
      dialect: dialect
    )
  }
}
