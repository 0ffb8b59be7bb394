public import ShiftCore
public import ShiftSchema
public import ShiftSyntax

/// How a lint run is set up: the effect model's settings and each rule's level.
public struct LintSettings: Sendable {
  /// Settings of the effect model (PostgreSQL version, time zone, transaction assumption).
  public var effect: EffectSettings
  /// Configured levels by rule id (missing ids use the rule's default severity).
  public var ruleLevels: [String: Configuration.RuleLevel]
  /// The rules to run.
  public var rules: [any Rule]
  /// How findings scale with the sizes of the tables they are about.
  public var sizes: SizeSettings

  /// Creates settings running every rule at its default severity.
  public init(
    effect: EffectSettings = EffectSettings(),
    ruleLevels: [String: Configuration.RuleLevel] = [:],
    rules: [any Rule] = allRules,
    sizes: SizeSettings = SizeSettings()
  ) {
    self.effect = effect
    self.ruleLevels = ruleLevels
    self.rules = rules
    self.sizes = sizes
  }

  /// The severity a rule's findings get, or `nil` when it is switched off.
  public func severity(of description: RuleDescription) -> Severity? {
    for id in [description.id] + description.deprecatedAliases {
      if let level = ruleLevels[id] { return level.severity }
    }
    return description.defaultSeverity
  }
}

/// One linted statement: its analysis and the findings on it.
public struct LintedStatement: Sendable {
  /// The statement and its effect (the catalog snapshot is not kept after the rules ran).
  public var analyzed: AnalyzedStatement
  /// Findings after severity configuration and suppressions.
  public var findings: [Finding]
}

/// One linted file.
public struct LintedFile: Sendable {
  /// The source.
  public var source: SourceFile
  /// Every statement with its findings.
  public var statements: [LintedStatement]
  /// Findings not tied to a statement (unused suppressions).
  public var fileFindings: [Finding]

  /// Every finding of the file, in position order.
  public var allFindings: [Finding] {
    (statements.flatMap(\.findings) + fileFindings).sorted { $0.range.start < $1.range.start }
  }
}

/// Runs the rules over migration files, building the catalog statement by statement.
public struct Linter: Sendable {
  /// The settings of the run.
  public let settings: LintSettings
  private var analyzer: EffectAnalyzer

  /// Creates a linter for a dialect.
  public init(settings: LintSettings = LintSettings(), dialect: Dialect) {
    self.settings = settings
    self.analyzer = EffectAnalyzer(settings: settings.effect, dialect: dialect)
  }

  /// Creates a linter that starts from a known catalog (a live database's, introspected).
  public init(settings: LintSettings = LintSettings(), catalog: Catalog) {
    self.settings = settings
    self.analyzer = EffectAnalyzer(
      settings: settings.effect,
      builder: CatalogBuilder(catalog: catalog)
    )
  }

  /// The catalog after everything replayed or linted so far.
  public var catalog: Catalog { analyzer.catalog }

  /// Replays a file as context (`--schema`, files before `--since`) without reporting.
  public mutating func replay(_ file: ParsedFile) {
    analyzer.replaySchema(file)
  }

  /// Lints one file; the catalog then includes its changes for the next file.
  ///
  /// - Parameters:
  ///   - file: the parsed file.
  ///   - assumeInTransaction: whether the runner wraps this file in a transaction, when its
  ///     layout says so (overrides the setting for this file only).
  /// - Returns: the file's statements with their findings.
  public mutating func lint(_ file: ParsedFile, assumeInTransaction: Bool? = nil) -> LintedFile {
    let saved = analyzer.settings
    if let assumeInTransaction { analyzer.settings.assumeInTransaction = assumeInTransaction }
    defer { analyzer.settings = saved }
    let source = file.source
    var suppressions = SuppressionIndex(source: source, dialect: file.dialect)
    var cursor = LocationCursor(source)
    var session = SessionState()
    var transactionSession: SessionState?
    var earlier: [AnalyzedStatement] = []
    var linted: [LintedStatement] = []
    let settings = self.settings
    let emptyCatalog = Catalog(dialect: file.dialect)
    var transactionStart: Int?
    var transactionAddedEnumValue = false
    // Each rule's description, dialects and severity are looked up once per file, not once
    // per statement.
    let activeRules: [(rule: any Rule, id: String, severity: Severity)] = settings.rules
      .compactMap { rule in
        let description = type(of: rule).description
        guard description.dialects.contains(file.dialect),
          let severity = settings.severity(of: description)
        else { return nil }
        return (rule, description.id, severity)
      }
    let indexLookahead = IndexLookahead(
      statements: file.statements,
      catalog: Catalog(dialect: analyzer.catalog.dialect)
    )
    analyzer.analyze(file) { analyzed in
      let statement = analyzed.statement
      // The context holds `earlier`; it must be gone before `earlier` grows, or every append
      // copies the whole array.
      var findings = Self.findings(
        RuleContext(
          analyzed: analyzed,
          source: source,
          dialect: file.dialect,
          pgVersion: settings.effect.pgVersion,
          session: transactionSession ?? session,
          earlierInFile: earlier,
          fileStatements: file.statements,
          indexLookahead: indexLookahead,
          transactionStart: transactionStart,
          transactionAddedEnumValue: transactionAddedEnumValue
        ),
        activeRules: activeRules,
        suppressions: &suppressions,
        cursor: &cursor
      )
      settings.sizes.adjust(
        &findings,
        analyzed: analyzed,
        dialect: file.dialect,
        rules: settings.rules,
        ruleLevels: settings.ruleLevels
      )
      Self.track(statement, session: &session, transactionSession: &transactionSession)
      switch statement.kind {
      case .transaction(.begin):
        transactionStart = earlier.count
        transactionAddedEnumValue = false
      case .transaction(.commit), .transaction(.rollback), .transaction(.prepareTransaction):
        transactionStart = nil
        transactionAddedEnumValue = false
      case .alterType(let alter):
        if case .addValue = alter.action { transactionAddedEnumValue = true }
      default:
        break
      }
      // Keep statements and effects, not the catalog snapshot each one was judged
      // against: holding one snapshot per statement makes memory grow with the square of
      // a long file's DDL.
      let kept = AnalyzedStatement(
        path: analyzed.path,
        index: analyzed.index,
        statement: analyzed.statement,
        catalogBefore: emptyCatalog,
        effect: analyzed.effect
      )
      earlier.append(kept)
      linted.append(LintedStatement(analyzed: kept, findings: findings))
    }
    return LintedFile(
      source: source,
      statements: linted,
      fileFindings: suppressions.unusedFindings()
    )
  }

  private static func findings(
    _ context: RuleContext,
    activeRules: [(rule: any Rule, id: String, severity: Severity)],
    suppressions: inout SuppressionIndex,
    cursor: inout LocationCursor
  ) -> [Finding] {
    let statement = context.statement
    let source = context.source
    var findings: [Finding] = []
    let firstLine = cursor.location(at: statement.range.start).line
    let lastLine =
      source.lineIndex(containing: max(statement.range.start, statement.range.end - 1)) + 1
    for (rule, id, severity) in activeRules {
      for violation in rule.check(context) {
        if suppressions.suppresses(rule: id, statementLines: firstLine...lastLine) {
          continue
        }
        findings.append(
          Finding(
            rule: id,
            severity: severity,
            message: violation.message,
            help: violation.help,
            range: violation.range,
            location: source.location(at: violation.range.start)
          )
        )
      }
    }
    return findings
  }

  /// Follows `SET`/`RESET` of the timeouts; `SET LOCAL` lasts until the transaction ends.
  private static func track(
    _ statement: Statement,
    session: inout SessionState,
    transactionSession: inout SessionState?
  ) {
    switch statement.kind {
    case .set(let parameter):
      guard parameter.name == "lock_timeout" || parameter.name == "statement_timeout" else {
        return
      }
      let value = parameter.isReset ? nil : parameter.value.flatMap { isZero($0) ? nil : $0 }
      if parameter.isLocal {
        // SET LOCAL outside a transaction block does nothing.
        guard statement.isInTransactionBlock else { return }
        var local = transactionSession ?? session
        if parameter.name == "lock_timeout" {
          local.lockTimeout = value
        } else {
          local.statementTimeout = value
        }
        transactionSession = local
      } else if parameter.name == "lock_timeout" {
        session.lockTimeout = value
        transactionSession?.lockTimeout = value
      } else {
        session.statementTimeout = value
        transactionSession?.statementTimeout = value
      }
    case .transaction(let control):
      switch control {
      case .commit, .rollback, .prepareTransaction: transactionSession = nil
      default: break
      }
    default:
      break
    }
  }

  private static func isZero(_ value: String) -> Bool {
    let trimmed = value.lowercased().filter { $0 != " " && $0 != "'" }
    return trimmed == "0" || trimmed == "0ms" || trimmed == "0s" || trimmed == "default"
  }
}
