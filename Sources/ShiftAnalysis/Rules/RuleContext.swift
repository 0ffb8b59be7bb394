public import ShiftCore
public import ShiftSchema
public import ShiftSyntax

/// Session settings a file has made by the statement being checked.
public struct SessionState: Sendable, Hashable {
  /// `lock_timeout` in force, if one was set to a non-zero value.
  public var lockTimeout: String?
  /// `statement_timeout` in force, if one was set to a non-zero value.
  public var statementTimeout: String?

  /// Creates a state.
  public init(lockTimeout: String? = nil, statementTimeout: String? = nil) {
    self.lockTimeout = lockTimeout
    self.statementTimeout = statementTimeout
  }
}

/// Everything a rule may look at for one statement.
public struct RuleContext: Sendable {
  /// The statement, the catalog before it, and its effect.
  public var analyzed: AnalyzedStatement
  /// The file the statement is in.
  public var source: SourceFile
  /// The dialect of the file.
  public var dialect: Dialect
  /// The PostgreSQL version modelled.
  public var pgVersion: Int
  /// Session settings in force when the statement runs.
  public var session: SessionState
  /// Earlier statements of the same file, in order, with their effects.
  ///
  /// Their `catalogBefore` is not kept (it is empty): one snapshot per statement would make
  /// memory grow with the square of a long file. Ask ``catalog`` instead.
  public var earlierInFile: [AnalyzedStatement]
  /// Every statement of the file (parsed, not analyzed), for rules that look ahead.
  public var fileStatements: [Statement] = []
  /// The file's `CREATE INDEX` statements by table, when the linter collected them.
  public var indexLookahead: IndexLookahead?
  /// Index in ``earlierInFile`` where the current transaction began (explicit block or the
  /// wrapped file), if the statement runs in one.
  public var transactionStart: Int?
  /// Whether an earlier statement of the current transaction added an enum value.
  public var transactionAddedEnumValue = false

  /// Creates a context.
  public init(
    analyzed: AnalyzedStatement,
    source: SourceFile,
    dialect: Dialect,
    pgVersion: Int,
    session: SessionState,
    earlierInFile: [AnalyzedStatement],
    fileStatements: [Statement] = [],
    indexLookahead: IndexLookahead? = nil,
    transactionStart: Int? = nil,
    transactionAddedEnumValue: Bool = false
  ) {
    self.fileStatements = fileStatements
    self.indexLookahead = indexLookahead
    self.transactionStart = transactionStart
    self.transactionAddedEnumValue = transactionAddedEnumValue
    self.analyzed = analyzed
    self.source = source
    self.dialect = dialect
    self.pgVersion = pgVersion
    self.session = session
    self.earlierInFile = earlierInFile
  }

  /// The statement being checked.
  public var statement: Statement { analyzed.statement }

  /// The statements after this one in the file.
  public var laterInFile: ArraySlice<Statement> {
    let next = analyzed.index + 1
    return next < fileStatements.count ? fileStatements[next...] : []
  }
  /// Its effect.
  public var effect: StatementEffect { analyzed.effect }
  /// The catalog as it was before the statement.
  public var catalog: Catalog { analyzed.catalogBefore }

  /// The statement's text as written.
  public var sql: String { source.text(statement.range) }

  /// The text of any range of the file.
  public func text(_ range: SourceRange) -> String { source.text(range) }

  /// Earlier statements of the same explicit transaction block (or of the whole file when
  /// the runner wraps it).
  public var earlierInTransaction: ArraySlice<AnalyzedStatement> {
    guard effect.transaction.isInTransaction else { return [] }
    let start = min(transactionStart ?? 0, earlierInFile.count)
    return earlierInFile[start...]
  }

  /// A table name as the user should write it in SQL (schema shown unless it is the default).
  public func sqlName(_ name: QualifiedName) -> String {
    name.parts.map { SQLIdentifier.quote($0.value) }.joined(separator: ".")
  }

  /// A table's existing (pre-statement) definition, if the catalog knows it.
  public func existingTable(_ name: QualifiedName) -> Table? {
    catalog.table(named: name)
  }
}
