/// A relation that a traced statement created, dropped, altered or rewrote.
public struct ObservedRelation: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The relation's name before the statement (after it, for a relation the statement
  /// created).
  public var name: RelationName
  /// Its kind.
  public var kind: RelationKind
  /// For an index, the table it belongs to; for a TOAST table or its index, the table whose
  /// values it holds; otherwise `nil`.
  public var table: RelationName?
  /// The relation's name after the statement, when the statement renamed it.
  public var newName: RelationName?

  /// Creates an observation.
  public init(
    name: RelationName,
    kind: RelationKind,
    table: RelationName? = nil,
    newName: RelationName? = nil
  ) {
    self.name = name
    self.kind = kind
    self.table = table
    self.newName = newName
  }

  public static func < (lhs: ObservedRelation, rhs: ObservedRelation) -> Bool {
    (lhs.name, lhs.kind.rawValue) < (rhs.name, rhs.kind.rawValue)
  }

  public var description: String {
    var text = "\(kind.rawValue) \(name)"
    if let table { text += " of \(table)" }
    if let newName { text += " renamed to \(newName)" }
    return text
  }
}
