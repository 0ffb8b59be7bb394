/// Something the effect model had to assume because the catalog or the syntax tree did not
/// say.
public struct EffectAssumption: Sendable, Hashable, CustomStringConvertible {
  /// What kind of gap it is.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// A table, view, index or constraint the statement names is not in the catalog.
    case unknownObject = "unknown-object"
    /// A column the statement names is not in the catalog (or its type is unknown).
    case unknownColumn = "unknown-column"
    /// A function whose volatility is not known; the worst case was assumed.
    case unknownVolatility = "unknown-volatility"
    /// A heuristic the model applied (for example that a CHECK implies a partition bound).
    case heuristic
    /// The statement (or part of it) is not modelled; the worst plausible effect was used.
    case notModelled = "not-modelled"
  }

  /// What kind of gap it is.
  public var kind: Kind
  /// A sentence saying what was assumed.
  public var message: String
  /// The object concerned, when there is one.
  public var object: String?

  /// Creates an assumption.
  public init(_ kind: Kind, _ message: String, object: String? = nil) {
    self.kind = kind
    self.message = message
    self.object = object
  }

  public var description: String { message }
}
