public import ShiftCore
public import ShiftSyntax

/// Where a rule belongs in `safeshift rules` and `docs/rules.md`.
public enum RuleCategory: String, Sendable, CaseIterable {
  case locking, rewrites, breaking, transactions, data, hygiene, sqlite
}

/// How a table's size bears on a rule's findings (see `docs/size-aware-severity.md`).
public enum SizeSensitivity: String, Sendable, CaseIterable {
  /// Size changes nothing: the finding is about compatibility, data, correctness or
  /// hygiene, which a small table does not make safe.
  case none
  /// The risk is how long a lock, scan or rewrite lasts: brief on a small table (the
  /// finding is lowered), long on a big one (raised to error), with an estimated duration.
  case duration
}

/// A rule's documentation, shared by `safeshift rules`, `safeshift explain`, `docs/rules.md`
/// and the example tests.
public struct RuleDescription: Sendable {
  /// Stable kebab-case id, never reused.
  public var id: String
  /// One line: what the rule asks for.
  public var summary: String
  /// Why: the hazard, in a few sentences.
  public var rationale: String
  /// Severity when the configuration does not say otherwise.
  public var defaultSeverity: Severity
  /// Section in the rule list.
  public var category: RuleCategory
  /// Whether the findings scale with the size of the tables involved.
  public var sizeSensitivity: SizeSensitivity
  /// Dialects the rule applies to.
  public var dialects: Set<Dialect>
  /// Statements the rule must not report.
  public var nonTriggering: [RuleExample]
  /// Statements the rule must report; `⚠️` marks where each finding starts.
  public var triggering: [RuleExample]
  /// Earlier ids of the rule, still accepted in configuration and suppressions.
  public var deprecatedAliases: [String]

  /// Creates a description.
  public init(
    id: String,
    summary: String,
    rationale: String,
    defaultSeverity: Severity,
    category: RuleCategory,
    sizeSensitivity: SizeSensitivity = .none,
    dialects: Set<Dialect> = [.postgres],
    nonTriggering: [RuleExample],
    triggering: [RuleExample],
    deprecatedAliases: [String] = []
  ) {
    self.id = id
    self.summary = summary
    self.rationale = rationale
    self.defaultSeverity = defaultSeverity
    self.category = category
    self.sizeSensitivity = sizeSensitivity
    self.dialects = dialects
    self.nonTriggering = nonTriggering
    self.triggering = triggering
    self.deprecatedAliases = deprecatedAliases
  }
}

/// One documented example of a rule: the SQL, the schema it runs against, and where it is
/// written (so a failing example points at its line in the rule's file).
public struct RuleExample: Sendable {
  /// The statement(s); in triggering examples `⚠️` marks where each finding must start.
  public var sql: String
  /// Schema the example runs against (replayed, not reported).
  public var schema: String
  /// Settings for the example (PostgreSQL version, transaction assumption…).
  public var pgVersion: Int?
  /// Whether the runner wraps the file in a transaction.
  public var assumeInTransaction: Bool
  /// The rule file that declares the example.
  public var file: StaticString
  /// The line that declares the example.
  public var line: UInt

  /// Creates an example.
  public init(
    _ sql: String,
    schema: String = RuleExample.defaultSchema,
    pgVersion: Int? = nil,
    assumeInTransaction: Bool = false,
    file: StaticString = #filePath,
    line: UInt = #line
  ) {
    self.sql = sql
    self.schema = schema
    self.pgVersion = pgVersion
    self.assumeInTransaction = assumeInTransaction
    self.file = file
    self.line = line
  }

  /// The tables most examples use: `users` and `orders` with a foreign key between them.
  public static let defaultSchema = """
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, age int);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, amount int, status text);
    """
}
