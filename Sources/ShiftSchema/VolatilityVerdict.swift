public import ShiftSyntax

/// How much an expression's value may change between evaluations, as PostgreSQL decides
/// it from the functions, operators and casts the expression uses.
///
/// - `immutable`: same inputs, same result forever (may be used in index expressions and
///   generated columns).
/// - `stable`: constant within one statement (`now()`); a column default of this kind is
///   evaluated once by `ADD COLUMN`, so no table rewrite.
/// - `volatile`: may change on every call (`random()`, `nextval()`); `ADD COLUMN` with such
///   a default rewrites the table.
/// - `unknown`: the expression calls something whose volatility the catalog does not know
///   (the names are listed); no known part is volatile.
public enum VolatilityVerdict: Sendable, Hashable, CustomStringConvertible {
  case immutable
  case stable
  case volatile
  /// The functions (or `subquery`) whose volatility is not known, sorted, without duplicates.
  case unknown([String])

  /// The verdict of one known volatility.
  public init(_ volatility: Volatility) {
    switch volatility {
    case .immutable: self = .immutable
    case .stable: self = .stable
    case .volatile: self = .volatile
    }
  }

  /// Whether the expression is known to be volatile.
  public var isVolatile: Bool { self == .volatile }

  /// Whether the expression is known to be immutable.
  public var isImmutable: Bool { self == .immutable }

  /// The names whose volatility is unknown (empty when the verdict is known).
  public var unknownNames: [String] {
    if case .unknown(let names) = self { return names }
    return []
  }

  /// The verdict of an expression made of both parts: volatile wins, then unknown, then
  /// stable.
  public func combined(with other: VolatilityVerdict) -> VolatilityVerdict {
    switch (self, other) {
    case (.volatile, _), (_, .volatile): .volatile
    case (.unknown(let left), .unknown(let right)): .unknown(Array(Set(left + right)).sorted())
    case (.unknown, _): self
    case (_, .unknown): other
    case (.stable, _), (_, .stable): .stable
    default: .immutable
    }
  }

  public var description: String {
    switch self {
    case .immutable: "immutable"
    case .stable: "stable"
    case .volatile: "volatile"
    case .unknown(let names): "unknown (" + names.joined(separator: ", ") + ")"
    }
  }
}
