public import ShiftSchema
public import ShiftSyntax

/// One statement of a migration file with the catalog it was judged against and its
/// effect.
public struct AnalyzedStatement: Sendable {
  /// The file's path.
  public var path: String
  /// The statement's 0-based index in its file.
  public var index: Int
  /// The statement.
  public var statement: Statement
  /// The catalog just before the statement.
  public var catalogBefore: Catalog
  /// What the statement does.
  public var effect: StatementEffect

  /// Creates an analyzed statement.
  public init(
    path: String,
    index: Int,
    statement: Statement,
    catalogBefore: Catalog,
    effect: StatementEffect
  ) {
    self.path = path
    self.index = index
    self.statement = statement
    self.catalogBefore = catalogBefore
    self.effect = effect
  }
}
