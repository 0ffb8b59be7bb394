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
    var statements: [LintedStatement] = []
    statements.reserveCapacity(file.statements.count)
    let fileFindings = lint(file, assumeInTransaction: assumeInTransaction) {
      statements.append($0)
    }
    return LintedFile(source: file.source, statements: statements, fileFindings: fileFindings)
  }

  /// Lints one file, handing each statement to `visit` as soon as its findings are known,
  /// so a caller that reports as it goes holds no more than one statement.
  ///
  /// - Parameters:
  ///   - file: the parsed file.
  ///   - assumeInTransaction: whether the runner wraps this file in a transaction (overrides
  ///     the setting for this file only).
  ///   - visit: called once per statement, in order. Its ``LintedStatement/analyzed`` has
  ///     an empty `catalogBefore`.
  /// - Returns: the findings not tied to a statement (suppressions that silenced nothing).
  public mutating func lint(
    _ file: ParsedFile,
    assumeInTransaction: Bool? = nil,
    _ visit: (LintedStatement) -> Void
  ) -> [Finding] {
    var state = beginFile(
      file.source,
      dialect: file.dialect,
      outline: FileOutline(statements: file.statements),
      assumeInTransaction: assumeInTransaction
    )
    for (index, statement) in file.statements.enumerated() {
      visit(lint(statement, at: index, in: &state))
    }
    return finishFile(state)
  }

  /// A file being linted statement by statement.
  public struct FileState: Sendable {
    let source: SourceFile
    let dialect: Dialect
    let savedSettings: EffectSettings
    let activeRules: [ActiveRule]
    let indexLookahead: IndexLookahead
    let emptyCatalog: Catalog
    var analysis: EffectAnalyzer.FileState
    var suppressions: SuppressionIndex
    var cursor: LocationCursor
    var session = SessionState()
    var transactionSession: SessionState?
    var history = FileHistory()

    /// Whether the file has suppression comments.
    ///
    /// Without any, no finding is added after the last statement, so a report can be
    /// written statement by statement.
    public var hasSuppressions: Bool { !suppressions.suppressions.isEmpty }
  }

  /// A rule that runs on the file, with its id and configured severity.
  struct ActiveRule: Sendable {
    let rule: any Rule
    let id: String
    let severity: Severity
  }

  /// Starts linting a file statement by statement, for callers that parse as they go and
  /// never hold the whole file (``SQLParser/forEachStatement(in:dialect:_:)``).
  ///
  /// - Parameters:
  ///   - source: the file.
  ///   - dialect: its dialect.
  ///   - outline: its outline (``SQLParser/outline(_:dialect:)``): rules look ahead for
  ///     indexes created later in the file.
  ///   - assumeInTransaction: whether the runner wraps this file in a transaction (overrides
  ///     the setting for this file only).
  /// - Returns: the state to pass to ``lint(_:at:in:)`` and ``finishFile(_:)``.
  public mutating func beginFile(
    _ source: SourceFile,
    dialect: Dialect,
    outline: FileOutline,
    assumeInTransaction: Bool? = nil
  ) -> FileState {
    let saved = analyzer.settings
    if let assumeInTransaction { analyzer.settings.assumeInTransaction = assumeInTransaction }
    let settings = self.settings
    // Each rule's description, dialects and severity are looked up once per file, not once
    // per statement.
    let activeRules: [ActiveRule] = settings.rules.compactMap { rule in
      let description = type(of: rule).description
      guard description.dialects.contains(dialect),
        let severity = settings.severity(of: description)
      else { return nil }
      return ActiveRule(rule: rule, id: description.id, severity: severity)
    }
    return FileState(
      source: source,
      dialect: dialect,
      savedSettings: saved,
      activeRules: activeRules,
      indexLookahead: IndexLookahead(
        indexes: outline.indexes,
        catalog: Catalog(dialect: analyzer.catalog.dialect)
      ),
      emptyCatalog: Catalog(dialect: dialect),
      analysis: analyzer.beginFile(source, outline: outline),
      suppressions: SuppressionIndex(source: source, dialect: dialect),
      cursor: LocationCursor(source)
    )
  }

  /// Lints the statement at `index` of the file begun with ``beginFile(_:dialect:outline:assumeInTransaction:)``.
  ///
  /// - Returns: the statement with its findings; its ``LintedStatement/analyzed`` has an
  ///   empty `catalogBefore`.
  public mutating func lint(_ statement: Statement, at index: Int, in file: inout FileState)
    -> LintedStatement
  {
    var result: LintedStatement?
    let settings = self.settings
    analyzer.analyze(statement, at: index, in: &file.analysis) { analyzed in
      let context = RuleContext(
        analyzed: analyzed,
        source: file.source,
        dialect: file.dialect,
        pgVersion: settings.effect.pgVersion,
        session: file.transactionSession ?? file.session,
        history: file.history,
        indexLookahead: file.indexLookahead
      )
      var findings = Self.findings(
        context,
        activeRules: file.activeRules,
        suppressions: &file.suppressions,
        cursor: &file.cursor
      )
      settings.sizes.adjust(
        &findings,
        analyzed: analyzed,
        dialect: file.dialect,
        rules: settings.rules,
        ruleLevels: settings.ruleLevels
      )
      file.history.record(context)
      Self.track(statement, session: &file.session, transactionSession: &file.transactionSession)
      // Hand on the statement and its effect, not the catalog snapshot it was judged
      // against, so nothing downstream keeps a catalog per statement.
      result = LintedStatement(
        analyzed: AnalyzedStatement(
          path: analyzed.path,
          index: analyzed.index,
          statement: statement,
          catalogBefore: file.emptyCatalog,
          effect: analyzed.effect
        ),
        findings: findings
      )
    }
    guard let result else { preconditionFailure("the analyzer visits every statement") }
    return result
  }

  /// Ends a file begun with ``beginFile(_:dialect:outline:assumeInTransaction:)``.
  /// - Returns: the findings not tied to a statement (suppressions that silenced nothing).
  public mutating func finishFile(_ file: FileState) -> [Finding] {
    analyzer.finishFile(file.analysis)
    analyzer.settings = file.savedSettings
    return file.suppressions.unusedFindings()
  }

  private static func findings(
    _ context: RuleContext,
    activeRules: [ActiveRule],
    suppressions: inout SuppressionIndex,
    cursor: inout LocationCursor
  ) -> [Finding] {
    let statement = context.statement
    let source = context.source
    var findings: [Finding] = []
    let firstLine = cursor.location(at: statement.range.start).line
    let lastLine =
      source.lineIndex(containing: max(statement.range.start, statement.range.end - 1)) + 1
    // Indices, not `for (rule, id, severity) in`: iterating would copy every rule's
    // existential box for every statement.
    for position in activeRules.indices {
      let violations = activeRules[position].rule.check(context)
      guard !violations.isEmpty else { continue }
      let id = activeRules[position].id
      let severity = activeRules[position].severity
      for violation in violations {
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
