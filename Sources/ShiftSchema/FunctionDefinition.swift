public import ShiftSyntax

/// A user-defined function or procedure.
public struct FunctionDefinition: Sendable, Hashable {
  /// The function's name.
  public var name: ObjectName
  /// The argument list as written, without parentheses.
  public var arguments: String
  /// The return type as written, if any.
  public var returns: String?
  /// The language, lower-cased (`sql`, `plpgsql`).
  public var language: String?
  /// The volatility PostgreSQL records (VOLATILE when none was written).
  public var volatility: Volatility
  /// `CREATE PROCEDURE`.
  public var isProcedure: Bool
  /// Where the function was created (or last replaced).
  public var origin: Origin

  /// Creates a function.
  public init(
    name: ObjectName,
    arguments: String = "",
    returns: String? = nil,
    language: String? = nil,
    volatility: Volatility = .volatile,
    isProcedure: Bool = false,
    origin: Origin
  ) {
    self.name = name
    self.arguments = arguments
    self.returns = returns
    self.language = language
    self.volatility = volatility
    self.isProcedure = isProcedure
    self.origin = origin
  }

  /// The argument list normalized for telling overloads apart: lower-cased, single
  /// spaces, no spaces around commas and parentheses.
  public var signature: String {
    var result = ""
    var pendingSpace = false
    for scalar in arguments.lowercased().unicodeScalars {
      if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" {
        pendingSpace = !result.isEmpty
        continue
      }
      let isPunctuation = scalar == "," || scalar == "(" || scalar == ")"
      if pendingSpace, !isPunctuation, !result.hasSuffix(","), !result.hasSuffix("(") {
        result.unicodeScalars.append(" ")
      }
      pendingSpace = false
      result.unicodeScalars.append(scalar)
    }
    return result
  }
}
