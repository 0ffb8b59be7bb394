public import ShiftAnalysis
public import ShiftCore
import ShiftSchema
public import ShiftSyntax

/// Settings of a planning run.
public struct PlannerSettings: Sendable, Hashable {
  /// The PostgreSQL major version the plan's SQL targets.
  public var pgVersion: Int
  /// `lock_timeout` of DDL steps when the migration sets none.
  public var lockTimeout: String
  /// `statement_timeout` of brief DDL steps when the migration sets none.
  public var statementTimeout: String

  /// Creates settings.
  public init(
    pgVersion: Int = ShiftAnalysis.newestPostgresVersion,
    lockTimeout: String = PlanStep.defaultLockTimeout,
    statementTimeout: String = PlanStep.defaultStatementTimeout
  ) {
    self.pgVersion = pgVersion
    self.lockTimeout = lockTimeout
    self.statementTimeout = statementTimeout
  }
}

/// Turns an analyzed migration into a ``Plan``.
///
/// Every statement is assigned to expand, migrate or contract, unsafe statements rewritten into safe sequences, bulk data changes
/// turned into backfills. Pure: no I/O.
///
/// ```swift
/// var analyzer = EffectAnalyzer(settings: EffectSettings(pgVersion: 16))
/// analyzer.replaySchema(schema)
/// let plan = Planner().plan(files: [migration], analyzer: analyzer)
/// ```
public struct Planner: Sendable {
  /// The run's settings.
  public var settings: PlannerSettings

  /// Creates a planner.
  public init(settings: PlannerSettings = PlannerSettings()) {
    self.settings = settings
  }

  /// Plans migration files, judged against the catalog `analyzer` holds (schema files
  /// replayed, or a live database's catalog).
  ///
  /// - Parameters:
  ///   - files: the migration's files, in order; together they form one plan.
  ///   - analyzer: the effect analyzer with the context already replayed.
  /// - Returns: the plan.
  public func plan(files: [ParsedFile], analyzer: EffectAnalyzer) -> Plan {
    var analyzer = analyzer
    var analyzed: [AnalyzedStatement] = []
    for file in files { analyzed += analyzer.analyze(file) }
    let dialect = files.first?.dialect ?? analyzer.catalog.dialect
    return plan(
      analyzed,
      sources: analyzer.sources,
      dialect: dialect,
      paths: files.map(\.source.path)
    )
  }

  /// Plans statements already analyzed.
  ///
  /// - Parameters:
  ///   - statements: the statements with their catalogs and effects, in order.
  ///   - sources: every file the statements and the catalog came from, by path.
  ///   - dialect: the migration's dialect.
  ///   - paths: the migration files, in order.
  /// - Returns: the plan.
  public func plan(
    _ statements: [AnalyzedStatement],
    sources: [String: SourceFile],
    dialect: Dialect,
    paths: [String]
  ) -> Plan {
    var builder = PlanBuilder(
      settings: settings,
      dialect: dialect,
      sources: sources,
      searchPath: statements.first?.catalogBefore.searchPath ?? ["public"]
    )
    builder.prepare(statements)
    for statement in statements { builder.add(statement) }
    return builder.finish(paths: paths)
  }
}
