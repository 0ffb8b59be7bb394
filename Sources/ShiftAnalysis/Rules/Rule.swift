public import ShiftCore

/// A check that turns a statement's effect into findings.
///
/// Rules are stateless values; everything they need is in the ``RuleContext``. Each rule
/// documents itself in ``description``, whose examples are run as tests.
public protocol Rule: Sendable {
  /// The rule's id, summary, rationale, severity and examples.
  static var description: RuleDescription { get }

  /// Creates the rule.
  init()

  /// The problems in the context's statement (empty when it is fine).
  func check(_ context: RuleContext) -> [Violation]
}

/// What a rule reports about one statement, before severity and suppressions apply.
public struct Violation: Sendable, Hashable {
  /// One sentence about the user's statement.
  public var message: String
  /// The safe recipe for this statement, with the user's own names.
  public var help: String?
  /// The bytes the finding points at.
  public var range: SourceRange

  /// Creates a violation.
  public init(message: String, help: String? = nil, range: SourceRange) {
    self.message = message
    self.help = help
    self.range = range
  }
}
