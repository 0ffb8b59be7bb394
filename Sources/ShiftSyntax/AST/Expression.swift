public import ShiftCore

/// A literal value.
public enum Literal: Sendable, Hashable {
  /// A string constant, with escapes decoded.
  case string(String)
  /// A numeric constant as written.
  case number(String)
  /// `TRUE`/`FALSE`.
  case boolean(Bool)
  /// `NULL`.
  case null
  /// `B'…'`/`X'…'`, as written.
  case bitString(String)
}

/// A function call, including the SQL-standard value functions written without
/// parentheses (`CURRENT_TIMESTAMP`, `LOCALTIME`, `CURRENT_USER`).
public struct FunctionCall: Sendable, Hashable {
  /// The function's name, such as `now` or `pg_catalog.gen_random_uuid`.
  public var name: QualifiedName
  /// The arguments that are expressions (keyword syntax such as `FROM` in `extract` is
  /// dropped, the expressions around it are kept).
  public var arguments: [Expression]
  /// Whether it was written without parentheses (`CURRENT_TIMESTAMP`).
  public var isKeywordForm: Bool
  /// Where the call was written, arguments included.
  public var range: SourceRange

  /// Creates a call.
  public init(name: QualifiedName, arguments: [Expression], isKeywordForm: Bool, range: SourceRange)
  {
    self.name = name
    self.arguments = arguments
    self.isKeywordForm = isKeywordForm
    self.range = range
  }
}

/// An SQL expression, parsed as far as later analysis needs: literals, column references,
/// function calls (for volatility), casts and the operators between them.
///
/// Anything else (subqueries, `CASE`, `ARRAY[…]`, `IN (…)`) is a ``compound(_:_:_:)``
/// node that keeps its sub-expressions, so a walk still finds every call and column.
public indirect enum Expression: Sendable, Hashable {
  case literal(Literal, SourceRange)
  case column(QualifiedName)
  case parameter(String, SourceRange)
  case function(FunctionCall)
  case cast(Expression, TypeName, SourceRange)
  case unary(String, Expression, SourceRange)
  case binary(String, Expression, Expression, SourceRange)
  /// A construct named by `kind` (`case`, `array`, `row`, `in`, `between`, `is`,
  /// `collate`, `subscript`, `subquery`, `star`, `default`) with its sub-expressions.
  case compound(String, [Expression], SourceRange)

  /// Where the expression was written.
  public var range: SourceRange {
    switch self {
    case .literal(_, let range), .parameter(_, let range), .cast(_, _, let range),
      .unary(_, _, let range), .binary(_, _, _, let range), .compound(_, _, let range):
      range
    case .column(let name): name.range
    case .function(let call): call.range
    }
  }

  /// The direct sub-expressions.
  public var children: [Expression] {
    switch self {
    case .literal, .column, .parameter: []
    case .function(let call): call.arguments
    case .cast(let inner, _, _), .unary(_, let inner, _): [inner]
    case .binary(_, let left, let right, _): [left, right]
    case .compound(_, let items, _): items
    }
  }

  /// Calls `visit` for this expression and every expression inside it, depth first.
  public func walk(_ visit: (Expression) -> Void) {
    visit(self)
    for child in children { child.walk(visit) }
  }

  /// Every function call in the expression, outermost first.
  public var functionCalls: [FunctionCall] {
    var calls: [FunctionCall] = []
    walk { if case .function(let call) = $0 { calls.append(call) } }
    return calls
  }

  /// Every column reference in the expression.
  public var columnReferences: [QualifiedName] {
    var names: [QualifiedName] = []
    walk { if case .column(let name) = $0 { names.append(name) } }
    return names
  }

  /// Whether the expression contains a subquery (whose contents are not parsed).
  public var containsSubquery: Bool {
    var found = false
    walk { if case .compound("subquery", _, _) = $0 { found = true } }
    return found
  }

  /// Whether the expression is a constant: literals and casts or operators over literals.
  public var isConstant: Bool {
    switch self {
    case .literal: true
    case .cast(let inner, _, _), .unary(_, let inner, _): inner.isConstant
    case .binary(_, let left, let right, _): left.isConstant && right.isConstant
    case .compound(let kind, let items, _):
      (kind == "array" || kind == "row") && items.allSatisfy(\.isConstant)
    case .column, .parameter, .function: false
    }
  }
}
