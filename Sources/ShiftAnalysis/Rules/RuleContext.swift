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
///
/// A class, not a struct: every rule reads the same context, and passing one reference to
/// fifty rules per statement costs less than copying a large value for each.
public final class RuleContext: Sendable {
  /// The statement, the catalog before it, and its effect.
  public let analyzed: AnalyzedStatement
  /// The file the statement is in.
  public let source: SourceFile
  /// The dialect of the file.
  public let dialect: Dialect
  /// The PostgreSQL version modelled.
  public let pgVersion: Int
  /// Session settings in force when the statement runs.
  public let session: SessionState
  /// What the earlier statements of the same file did, as far as rules ask.
  public let history: FileHistory
  /// Every statement of the file (parsed, not analyzed), for rules that look ahead.
  public let fileStatements: [Statement]
  /// The columns the statement declares with a type (`CREATE TABLE`, `ADD COLUMN`, type
  /// changes), worked out once for the rules that check column types.
  let declaredColumns: [DeclaredColumn]
  /// The file's `CREATE INDEX` statements by table, when the linter collected them.
  public let indexLookahead: IndexLookahead?

  /// Creates a context.
  public init(
    analyzed: AnalyzedStatement,
    source: SourceFile,
    dialect: Dialect,
    pgVersion: Int,
    session: SessionState,
    history: FileHistory = FileHistory(),
    fileStatements: [Statement] = [],
    indexLookahead: IndexLookahead? = nil
  ) {
    self.fileStatements = fileStatements
    self.indexLookahead = indexLookahead
    self.analyzed = analyzed
    self.source = source
    self.dialect = dialect
    self.pgVersion = pgVersion
    self.session = session
    self.history = history
    self.declaredColumns = Self.declaredColumns(
      of: analyzed.statement,
      catalog: analyzed.catalogBefore
    )
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

  /// A table name as the user should write it in SQL (schema shown unless it is the default).
  public func sqlName(_ name: QualifiedName) -> String {
    name.parts.map { SQLIdentifier.quote($0.value) }.joined(separator: ".")
  }

  /// A table's existing (pre-statement) definition, if the catalog knows it.
  public func existingTable(_ name: QualifiedName) -> Table? {
    catalog.table(named: name)
  }
}
