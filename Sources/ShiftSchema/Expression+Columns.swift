import ShiftSyntax

extension Expression {
  /// The expression with every column reference passed through `transform`.
  func mappingColumns(_ transform: (QualifiedName) -> QualifiedName) -> Expression {
    switch self {
    case .literal, .parameter: return self
    case .column(let name): return .column(transform(name))
    case .function(var call):
      call.arguments = call.arguments.map { $0.mappingColumns(transform) }
      return .function(call)
    case .cast(let inner, let type, let range):
      return .cast(inner.mappingColumns(transform), type, range)
    case .unary(let op, let inner, let range):
      return .unary(op, inner.mappingColumns(transform), range)
    case .binary(let op, let left, let right, let range):
      return .binary(op, left.mappingColumns(transform), right.mappingColumns(transform), range)
    case .compound(let kind, let items, let range):
      return .compound(kind, items.map { $0.mappingColumns(transform) }, range)
    }
  }

  /// The expression with column `old` (unqualified or qualified by any table) renamed.
  func renamingColumn(_ old: String, to new: String, normalize: (Identifier) -> String)
    -> Expression
  {
    mappingColumns { name in
      guard normalize(name.name) == old else { return name }
      var parts = name.parts
      parts[parts.count - 1] = Identifier(new, isQuoted: true, range: name.name.range)
      return QualifiedName(parts)
    }
  }

  /// Whether the expression refers to column `column`.
  func refers(to column: String, normalize: (Identifier) -> String) -> Bool {
    columnReferences.contains { normalize($0.name) == column }
  }
}
