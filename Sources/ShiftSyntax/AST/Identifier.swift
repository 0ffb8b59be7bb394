public import ShiftCore

/// A name as the database sees it.
///
/// PostgreSQL folds unquoted names to lower case and keeps quoted ones exactly; SQLite
/// compares names case-insensitively. ``value`` holds the folded (PostgreSQL) form, so
/// `Users` and `users` are equal and `"Users"` is not.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
  /// The name after case folding and unquoting.
  public var value: String
  /// Whether it was written in quotes.
  public var isQuoted: Bool
  /// Where it was written.
  public var range: SourceRange

  /// Creates an identifier.
  public init(
    _ value: String,
    isQuoted: Bool = false,
    range: SourceRange = SourceRange(start: 0, end: 0)
  ) {
    self.value = value
    self.isQuoted = isQuoted
    self.range = range
  }

  public var description: String { value }

  /// Equality ignores where the name was written.
  public static func == (lhs: Identifier, rhs: Identifier) -> Bool { lhs.value == rhs.value }

  public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// A possibly schema-qualified name such as `public.users`.
public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
  /// The dotted parts, outermost first.
  public var parts: [Identifier]

  /// Creates a name from its parts; there is at least one.
  public init(_ parts: [Identifier]) {
    precondition(!parts.isEmpty, "QualifiedName needs at least one part")
    self.parts = parts
  }

  /// The last part: the object's own name.
  public var name: Identifier {
    guard let last = parts.last else { preconditionFailure("empty QualifiedName") }
    return last
  }

  /// The part before the name (schema for tables, table for columns), if written.
  public var qualifier: Identifier? { parts.count >= 2 ? parts[parts.count - 2] : nil }

  /// Where the whole name was written.
  public var range: SourceRange {
    guard let first = parts.first, let last = parts.last else {
      preconditionFailure("empty QualifiedName")
    }
    return first.range.union(last.range)
  }

  /// The dotted form of the folded parts, such as `public.users`.
  public var description: String { parts.map(\.value).joined(separator: ".") }
}

/// A type as written in a column definition or cast.
public struct TypeName: Sendable, Hashable, CustomStringConvertible {
  /// The type's name as written, lower-cased and with single spaces (`character varying`).
  public var name: String
  /// The name PostgreSQL uses internally (`varchar`, `int4`, `timestamptz`).
  ///
  /// It compares types written differently; user-defined types keep their (qualified) name.
  public var canonicalName: String
  /// Type modifiers: `varchar(255)` has `["255"]`, `numeric(10, 2)` has `["10", "2"]`.
  public var modifiers: [String]
  /// The number of array dimensions (`int[][]` has 2).
  public var arrayDimensions: Int
  /// Where it was written.
  public var range: SourceRange

  /// Creates a type name.
  public init(
    name: String,
    canonicalName: String,
    modifiers: [String] = [],
    arrayDimensions: Int = 0,
    range: SourceRange
  ) {
    self.name = name
    self.canonicalName = canonicalName
    self.modifiers = modifiers
    self.arrayDimensions = arrayDimensions
    self.range = range
  }

  /// Whether the type is an array.
  public var isArray: Bool { arrayDimensions > 0 }

  public var description: String {
    var text = canonicalName
    if !modifiers.isEmpty { text += "(" + modifiers.joined(separator: ",") + ")" }
    return text + String(repeating: "[]", count: arrayDimensions)
  }
}
