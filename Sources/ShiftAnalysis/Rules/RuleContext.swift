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
  /// Earlier statements of the same file, in order.
  public var earlierInFile: [AnalyzedStatement]

  /// Creates a context.
  public init(
    analyzed: AnalyzedStatement,
    source: SourceFile,
    dialect: Dialect,
    pgVersion: Int,
    session: SessionState,
    earlierInFile: [AnalyzedStatement]
  ) {
    self.analyzed = analyzed
    self.source = source
    self.dialect = dialect
    self.pgVersion = pgVersion
    self.session = session
    self.earlierInFile = earlierInFile
  }

  /// The statement being checked.
  public var statement: Statement { analyzed.statement }
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
  public var earlierInTransaction: [AnalyzedStatement] {
    guard effect.transaction.isInTransaction else { return [] }
    if let block = statement.transactionBlock {
      return earlierInFile.filter { $0.statement.transactionBlock == block }
    }
    return earlierInFile
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
