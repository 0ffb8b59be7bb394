public import ShiftCore

/// What a statement is, with the details later analysis needs.
public indirect enum StatementKind: Sendable, Hashable {
  case createTable(CreateTable)
  case alterTable(AlterTable)
  case createIndex(CreateIndex)
  case alterIndex(AlterIndex)
  case reindex(Reindex)
  /// `CLUSTER [table [USING index]]`.
  case cluster(ObjectStatement)
  case vacuum(Vacuum)
  /// `TRUNCATE [TABLE] [ONLY] t, … [RESTART IDENTITY] [CASCADE]`.
  case truncate(ObjectStatement)
  case createType(CreateType)
  case alterType(AlterType)
  case createView(CreateView)
  /// `ALTER VIEW` / `ALTER MATERIALIZED VIEW`.
  case alterView(ObjectStatement)
  case refreshMaterializedView(ObjectStatement)
  case createFunction(CreateFunction)
  case createTrigger(CreateTrigger)
  /// `DROP …` of any object type.
  case drop(DropObject)
  /// CREATE/ALTER of sequences, schemas, extensions, domains, policies, rules, roles,
  /// `ALTER FUNCTION`, `ALTER TRIGGER`, `ALTER SCHEMA` and the like.
  case objectDefinition(ObjectStatement)
  case comment(ObjectStatement)
  /// `GRANT`/`REVOKE` (`flags` holds `GRANT` or `REVOKE`).
  case privilege(ObjectStatement)
  case set(SetParameter)
  case transaction(TransactionControl)
  case lockTable(LockTable)
  case dataChange(DataChange)
  /// `SELECT`, `VALUES`, `TABLE`, `WITH … SELECT`.
  case select
  /// `DO [LANGUAGE l] $$ … $$`; the body's range.
  case doBlock(body: SourceRange?)
  /// `CALL procedure(…)`.
  case call(QualifiedName)
  /// `COPY table [(…)] FROM|TO …`; `isFromStdin` when the data follows inline.
  case copy(table: QualifiedName?, isFromStdin: Bool)
  /// SQLite `PRAGMA [schema.]name [= value | (value)]`.
  case pragma(name: QualifiedName, value: String?)
  /// A psql meta-command line such as `\set ON_ERROR_STOP on`.
  case psqlMeta(String)
  /// A statement the parser does not model, with its leading keywords (upper-cased).
  case other(keywords: String)
}

/// One statement of a migration file, with its exact place in the file.
public struct Statement: Sendable {
  /// What the statement is.
  public var kind: StatementKind
  /// From the first byte of its first token to the last byte before its `;` (comments
  /// before the statement are not included).
  public var range: SourceRange
  /// Whether a `;` ends the statement (false for the last statement of a file without one).
  public var hasTerminator: Bool
  /// Whether the statement runs inside an explicit `BEGIN … COMMIT` block of the file.
  public var isInTransactionBlock: Bool
  /// Index of the explicit transaction block (0, 1, …) the statement belongs to, if any.
  public var transactionBlock: Int?
  /// The statement's error, when its text is not valid SQL of the modelled form.
  public var syntaxError: SyntaxError?

  /// Creates a statement.
  public init(
    kind: StatementKind,
    range: SourceRange,
    hasTerminator: Bool,
    isInTransactionBlock: Bool = false,
    transactionBlock: Int? = nil,
    syntaxError: SyntaxError? = nil
  ) {
    self.kind = kind
    self.range = range
    self.hasTerminator = hasTerminator
    self.isInTransactionBlock = isInTransactionBlock
    self.transactionBlock = transactionBlock
    self.syntaxError = syntaxError
  }
}
