import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Builds SQL text for plans: quoted names and the user's own expressions.
///
/// Names are always quoted through ``SQLIdentifier/quote(_:)`` (plain lower-case names stay
/// bare, anything else is double-quoted with `"` doubled). Values are never spliced: the only
/// expressions copied are those of the user's migration (or the catalog's defaults and
/// checks, which came from the user's SQL too).
struct SQLText {
  /// The files the statements came from, by path.
  var sources: [String: SourceFile]
  /// The catalog's search path: relations in its first schema are written unqualified.
  var searchPath: [String]

  /// A quoted identifier.
  static func q(_ name: String) -> String { SQLIdentifier.quote(name) }

  /// A quoted possibly-qualified name as the user wrote it (parts folded).
  static func q(_ name: QualifiedName) -> String {
    name.parts.map { q($0.value) }.joined(separator: ".")
  }

  /// A catalog relation, qualified unless it lives in the first schema of the search path.
  func relation(_ name: ObjectName) -> String {
    if let first = searchPath.first, first == name.schema { return Self.q(name.name) }
    return Self.q(name.schema) + "." + Self.q(name.name)
  }

  /// A relation in the same schema as `table` with another name.
  func sibling(of table: ObjectName, named name: String) -> String {
    relation(ObjectName(schema: table.schema, name: name))
  }

  /// The text of a range of a file.
  func text(_ range: SourceRange, in path: String) -> String? {
    guard let source = sources[path] else { return nil }
    return source.text(range)
  }

  /// An expression's text, from the file `origin` points at (the user's SQL).
  ///
  /// Expressions the catalog made up (the `nextval(…)` default of a `serial` column points
  /// at the type's text) are rendered from the tree instead.
  func text(of expression: Expression, origin: Origin) -> String? {
    guard let path = origin.site?.path, let written = text(expression.range, in: path) else {
      return Self.render(expression)
    }
    if case .function(let call) = expression, !call.isKeywordForm,
      !written.lowercased().contains(call.name.name.value.lowercased())
    {
      return Self.render(expression)
    }
    return written
  }

  /// An expression's text with column references replaced: `replace` returns the new text of
  /// a column reference, or `nil` to keep it.
  func text(
    of expression: Expression,
    origin: Origin,
    replacingColumns replace: (String) -> String?
  ) -> String? {
    guard let path = origin.site?.path, let source = sources[path] else {
      return Self.render(expression, replacingColumns: replace)
    }
    var pieces: [(SourceRange, String)] = []
    for name in expression.columnReferences where name.parts.count == 1 {
      if let replacement = replace(name.name.value) { pieces.append((name.range, replacement)) }
    }
    pieces.sort { $0.0.start < $1.0.start }
    var result = ""
    var cursor = expression.range.start
    for (range, replacement) in pieces where range.start >= cursor {
      result += source.text(SourceRange(start: cursor, end: range.start))
      result += replacement
      cursor = range.end
    }
    result += source.text(SourceRange(start: cursor, end: max(cursor, expression.range.end)))
    return result
  }

  /// A type's text: as written when the file is known, else its name with modifiers.
  func text(of type: TypeName, origin: Origin) -> String {
    if let path = origin.site?.path, let written = text(type.range, in: path), !written.isEmpty {
      return written
    }
    var name = type.name
    let isPlain = name.unicodeScalars.allSatisfy {
      ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == " " || $0 == "."
    }
    if !isPlain { name = Self.q(name) }
    if !type.modifiers.isEmpty { name += "(" + type.modifiers.joined(separator: ", ") + ")" }
    return name + String(repeating: "[]", count: type.arrayDimensions)
  }

  /// A single-quoted SQL string literal (for names passed as text, such as `to_regclass`).
  static func literal(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
  }

  /// Renders simple expressions without their source (introspected catalogs): literals,
  /// columns, calls, casts and operators; `nil` for anything else.
  static func render(
    _ expression: Expression,
    replacingColumns replace: (String) -> String? = { _ in nil }
  ) -> String? {
    switch expression {
    case .literal(let literal, _):
      switch literal {
      case .string(let text): return Self.literal(text)
      case .number(let text): return text
      case .boolean(let flag): return flag ? "true" : "false"
      case .null: return "NULL"
      case .bitString(let text): return text
      }
    case .column(let name):
      if name.parts.count == 1, let replaced = replace(name.name.value) { return replaced }
      return q(name)
    case .function(let call):
      if call.isKeywordForm { return call.name.description.uppercased() }
      var arguments: [String] = []
      for argument in call.arguments {
        guard let text = render(argument, replacingColumns: replace) else { return nil }
        arguments.append(text)
      }
      return q(call.name) + "(" + arguments.joined(separator: ", ") + ")"
    case .cast(let inner, let type, _):
      guard let text = render(inner, replacingColumns: replace) else { return nil }
      return "(" + text + ")::" + type.description
    case .unary(let op, let inner, _):
      guard let text = render(inner, replacingColumns: replace) else { return nil }
      return op + " " + text
    case .binary(let op, let left, let right, _):
      guard let lhs = render(left, replacingColumns: replace),
        let rhs = render(right, replacingColumns: replace)
      else { return nil }
      return "(" + lhs + " " + op + " " + rhs + ")"
    case .parameter, .compound:
      return nil
    }
  }
}
