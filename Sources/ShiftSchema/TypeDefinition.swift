public import ShiftSyntax

/// A user-defined type: enum, composite, domain, range or base type.
public struct TypeDefinition: Sendable, Hashable {
  /// The type's form.
  public enum Kind: Sendable, Hashable {
    /// `AS ENUM (…)` with the labels in sort order.
    case enumeration([String])
    /// `AS (attribute type, …)`.
    case composite([Column])
    /// `CREATE DOMAIN`; the base type when known.
    case domain(TypeName?)
    case range
    case base
    /// `CREATE TYPE name` without a definition.
    case shell
  }

  /// The type's name.
  public var name: ObjectName
  /// The type's form.
  public var kind: Kind
  /// Where the type was created.
  public var origin: Origin

  /// Creates a type.
  public init(name: ObjectName, kind: Kind, origin: Origin) {
    self.name = name
    self.kind = kind
    self.origin = origin
  }

  /// An enum's labels in sort order; `nil` for other types.
  public var enumLabels: [String]? {
    if case .enumeration(let labels) = kind { return labels }
    return nil
  }

  /// Whether the type is a domain.
  public var isDomain: Bool {
    if case .domain = kind { return true }
    return false
  }
}
