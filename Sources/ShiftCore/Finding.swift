/// One problem a rule found in one statement: a value, never an error.
public struct Finding: Sendable, Hashable, Codable {
  /// The rule's stable kebab-case id (`require-concurrent-index`).
  public var rule: String
  /// How serious it is (after configuration).
  public var severity: Severity
  /// What is wrong, in one sentence about the user's statement.
  public var message: String
  /// The safe recipe, rewritten for the user's own statement (may span several lines).
  public var help: String?
  /// The bytes the finding points at.
  public var range: SourceRange
  /// 1-based line and column of the start of ``range``.
  public var location: SourceLocation
  /// How long the work the finding is about should take, when the tables' sizes are known.
  public var estimate: DurationEstimate?

  /// Creates a finding.
  public init(
    rule: String,
    severity: Severity,
    message: String,
    help: String? = nil,
    range: SourceRange,
    location: SourceLocation,
    estimate: DurationEstimate? = nil
  ) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.help = help
    self.range = range
    self.location = location
    self.estimate = estimate
  }
}
