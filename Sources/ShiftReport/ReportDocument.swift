public import ShiftCore

/// Everything one `lint` run reports, as plain values: the input of every renderer.
///
/// The document is built by the CLI from the parse and the analysis; the renderers only
/// read it, so each format says exactly the same thing.
public struct ReportDocument: Sendable, Hashable {
  /// The linted files, in the order they were linted.
  public var files: [ReportFile]
  /// Metadata of the rules that may appear in findings (SARIF lists them in
  /// `tool.driver.rules`); a rule missing here is described by its id alone.
  public var rules: [RuleInfo]

  /// Creates a document.
  ///
  /// - Parameters:
  ///   - files: the linted files, in order.
  ///   - rules: metadata of the known rules.
  public init(files: [ReportFile], rules: [RuleInfo] = []) {
    self.files = files
    self.rules = rules
  }

  /// The metadata of a rule, if the document has it.
  ///
  /// - Parameter id: the rule's kebab-case id.
  /// - Returns: the first ``RuleInfo`` with that id, or `nil`.
  public func ruleInfo(for id: String) -> RuleInfo? {
    rules.first { $0.id == id }
  }

  /// Counts of files, statements, findings by severity and syntax errors.
  public var summary: ReportSummary {
    var summary = ReportSummary()
    for file in files {
      summary.files += 1
      summary.syntaxErrors += file.errors.count
      for statement in file.statements {
        summary.add(statement)
      }
    }
    return summary
  }
}

/// One linted file.
public struct ReportFile: Sendable, Hashable {
  /// The path as shown to the user (as given on the command line, or `<stdin>`).
  public var path: String
  /// The SQL dialect the file was read as: `postgres` or `sqlite`.
  public var dialect: String
  /// How the migration runner wraps the file in a transaction, when known
  /// (for example `transaction` or `none`); `null` in JSON when unknown.
  public var transactionMode: String?
  /// The statements of the file, in source order.
  public var statements: [ReportStatement]
  /// The syntax errors of the file (the statements around them are still reported).
  public var errors: [ReportError]

  /// Creates a file entry.
  public init(
    path: String,
    dialect: String,
    transactionMode: String? = nil,
    statements: [ReportStatement],
    errors: [ReportError] = []
  ) {
    self.path = path
    self.dialect = dialect
    self.transactionMode = transactionMode
    self.statements = statements
    self.errors = errors
  }
}

/// One statement with its effect and its findings.
public struct ReportStatement: Sendable, Hashable {
  /// The statement's bytes in its file.
  public var range: SourceRange
  /// 1-based line and column of the statement's first character.
  public var location: SourceLocation
  /// 1-based line and exclusive column of the statement's end (the column after its last
  /// character, as SARIF's `endColumn`).
  public var endLocation: SourceLocation
  /// The statement's text, exactly the bytes of ``range``.
  public var sql: String
  /// The statement kind, snake case (`alter_table`).
  public var kind: String
  /// The tables the statement touches.
  public var tables: [String]
  /// Every relation the statement locks, with the strongest mode it takes there.
  public var locks: [ReportLock]
  /// Whether the table (or its heap) is rewritten.
  public var rewritesTable: Bool
  /// Whether the whole table is read while the statement's lock is held.
  public var scansTable: Bool
  /// `compatible` or `breaking` (DESIGN.md).
  public var compatibility: String
  /// Where the planner puts the statement: `expand`, `migrate` or `contract`.
  public var phase: String
  /// Whether the statement runs inside an explicit `BEGIN … COMMIT` block.
  public var inTransactionBlock: Bool
  /// The findings of the rules on this statement, in the order to report them.
  public var findings: [Finding]

  /// Creates a statement entry.
  public init(
    range: SourceRange,
    location: SourceLocation,
    endLocation: SourceLocation,
    sql: String,
    kind: String,
    tables: [String] = [],
    locks: [ReportLock] = [],
    rewritesTable: Bool = false,
    scansTable: Bool = false,
    compatibility: String = "compatible",
    phase: String = "expand",
    inTransactionBlock: Bool = false,
    findings: [Finding] = []
  ) {
    self.range = range
    self.location = location
    self.endLocation = endLocation
    self.sql = sql
    self.kind = kind
    self.tables = tables
    self.locks = locks
    self.rewritesTable = rewritesTable
    self.scansTable = scansTable
    self.compatibility = compatibility
    self.phase = phase
    self.inTransactionBlock = inTransactionBlock
    self.findings = findings
  }

  /// The exclusive end of a finding, computed from ``sql`` and ``location``.
  ///
  /// - Parameter finding: a finding whose range lies inside this statement.
  /// - Returns: the line and the column after the finding's last character, or `nil` when
  ///   the finding's range is not inside the statement's text.
  public func endLocation(of finding: Finding) -> SourceLocation? {
    let offset = finding.range.end - range.start
    let utf8 = sql.utf8
    guard finding.range.start >= range.start, offset >= 0, offset <= utf8.count else {
      return nil
    }
    var line = location.line
    var column = location.column
    for byte in utf8.prefix(offset) {
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return SourceLocation(line: line, column: column)
  }
}

/// A relation a statement locks and the strongest lock mode it takes there.
public struct ReportLock: Sendable, Hashable {
  /// The relation's name as written (or `*` for a SQLite database lock).
  public var relation: String
  /// The mode, spelled as in the PostgreSQL documentation (`ACCESS EXCLUSIVE`).
  public var mode: String

  /// Creates a lock entry from a mode's spelling.
  public init(relation: String, mode: String) {
    self.relation = relation
    self.mode = mode
  }

  /// Creates a lock entry from a PostgreSQL lock mode.
  public init(relation: String, mode: LockMode) {
    self.init(relation: relation, mode: mode.rawValue)
  }
}

/// A syntax error in a file: reported, never thrown.
public struct ReportError: Sendable, Hashable {
  /// Where the error is.
  public var location: SourceLocation
  /// What is wrong.
  public var message: String
  /// The source line of ``location`` (without terminator), when the caller has it at hand;
  /// otherwise ``ReportOptions/sourceLines`` is asked.
  public var sourceLine: String?

  /// Creates an error entry.
  public init(location: SourceLocation, message: String, sourceLine: String? = nil) {
    self.location = location
    self.message = message
    self.sourceLine = sourceLine
  }
}

/// What SARIF and the docs say about a rule.
public struct RuleInfo: Sendable, Hashable {
  /// The rule's stable kebab-case id.
  public var id: String
  /// One sentence: what the rule asks for.
  public var summary: String
  /// Why, in a paragraph (SARIF's `fullDescription`); the summary when `nil`.
  public var description: String?
  /// Where the rule is documented.
  public var helpURI: String?
  /// The severity before configuration.
  public var defaultSeverity: Severity

  /// Creates rule metadata.
  public init(
    id: String,
    summary: String,
    description: String? = nil,
    helpURI: String? = nil,
    defaultSeverity: Severity
  ) {
    self.id = id
    self.summary = summary
    self.description = description
    self.helpURI = helpURI
    self.defaultSeverity = defaultSeverity
  }

  /// The pseudo-rule under which SARIF, JUnit and Markdown report syntax errors.
  public static let syntaxError = RuleInfo(
    id: "syntax-error",
    summary: "The SQL could not be parsed.",
    description:
      "SafeShift could not parse this part of the migration, so it cannot tell what it locks "
      + "or breaks. The statements around it are still checked.",
    defaultSeverity: .error
  )
}
