import ShiftCore
import ShiftSyntax
import Testing

/// One statement form: the SQL, the kind name and tables it must report, and a closure
/// with the AST details later rules rely on.
struct ParserCase: Sendable, CustomTestStringConvertible {
  var id: String
  var dialect: Dialect
  var sql: String
  var kind: String
  var tables: [String]?
  var check: @Sendable (Statement) throws -> Void

  init(
    _ id: String,
    _ sql: String,
    kind: String,
    dialect: Dialect = .postgres,
    tables: [String]? = nil,
    check: @escaping @Sendable (Statement) throws -> Void = { _ in }
  ) {
    self.id = id
    self.dialect = dialect
    self.sql = sql
    self.kind = kind
    self.tables = tables
    self.check = check
  }

  var testDescription: String { id }

  /// Parses the SQL as one statement and runs every check.
  func run() throws {
    let statement = try single(sql, dialect)
    #expect(statement.syntaxError == nil)
    #expect(statement.kindName == kind)
    if let tables { #expect(statement.tablesTouched.strings == tables) }
    try check(statement)
  }
}

/// `QualifiedName` from a dotted string (`public.users`), unquoted parts.
func qname(_ dotted: String) -> QualifiedName {
  QualifiedName(dotted.split(separator: ".").map { Identifier(String($0)) })
}

func ident(_ value: String) -> Identifier { Identifier(value) }

func idents(_ values: String...) -> [Identifier] { values.map { Identifier($0) } }

extension AlterTableAction.Kind {
  var addedColumn: ColumnDefinition? {
    if case .addColumn(let column, _) = self { return column }
    return nil
  }

  var addedConstraint: TableConstraint? {
    if case .addConstraint(let constraint) = self { return constraint }
    return nil
  }
}

extension ShiftSyntax.Expression {
  var literal: Literal? {
    if case .literal(let value, _) = self { return value }
    return nil
  }

  /// The type of a cast expression.
  var castType: TypeName? {
    if case .cast(_, let type, _) = self { return type }
    return nil
  }

  /// The operator of a unary or binary expression.
  var operatorText: String? {
    switch self {
    case .unary(let op, _, _), .binary(let op, _, _, _): op
    default: nil
    }
  }

  /// The construct name of a compound expression.
  var compoundKind: String? {
    if case .compound(let kind, _, _) = self { return kind }
    return nil
  }

  /// The single function call this expression is, if it is one.
  var call: FunctionCall? {
    if case .function(let call) = self { return call }
    return nil
  }
}
