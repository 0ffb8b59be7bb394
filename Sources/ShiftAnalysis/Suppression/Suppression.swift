public import ShiftCore

/// One `-- safeshift:ignore …` or `-- safeshift:ignore-file …` comment.
public struct Suppression: Sendable, Hashable {
  /// Whether the comment covers the whole file (`ignore-file`) or one statement.
  public enum Scope: Sendable, Hashable {
    case statement
    case file
  }

  /// Statement or file scope.
  public var scope: Scope
  /// The rule ids listed, lower-cased.
  public var rules: [String]
  /// The comment's bytes.
  public var range: SourceRange
  /// Where the comment starts.
  public var location: SourceLocation

  /// Creates a suppression.
  public init(scope: Scope, rules: [String], range: SourceRange, location: SourceLocation) {
    self.scope = scope
    self.rules = rules
    self.range = range
    self.location = location
  }
}
