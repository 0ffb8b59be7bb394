import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Dangerous locks on existing tables should be taken with a `lock_timeout` in force.
public struct RequireLockTimeoutRule: Rule {
  public static let description = RuleDescription(
    id: "require-lock-timeout",
    summary: "Set lock_timeout before taking a lock that blocks writes on an existing table.",
    rationale: """
      A statement waiting for its lock queues every later query on the table behind it: one \
      long transaction elsewhere turns a millisecond ALTER into an outage. With lock_timeout \
      the statement gives up after a moment and can be retried. Only statements that take a \
      lock conflicting with ordinary writes (SHARE or stronger) on a table others use need it.
      """,
    defaultSeverity: .warning,
    category: .locking,
    nonTriggering: [
      RuleExample("SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;"),
      RuleExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"),
      RuleExample("CREATE TABLE audit (id bigint);\nALTER TABLE audit ADD COLUMN note text;"),
      RuleExample(
        "BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;"
      ),
    ],
    triggering: [
      RuleExample("⚠️ALTER TABLE users ADD COLUMN nickname text;"),
      RuleExample("SET lock_timeout = 0;\n⚠️DROP TABLE orders;"),
      RuleExample("⚠️ALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN b text;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.session.lockTimeout == nil, let strongest = Self.riskyLock(context.effect) else {
      return []
    }
    // Once per file: the fix (a SET at the top) covers every later statement too.
    guard !context.history.tookWriteBlockingLock else { return [] }
    let relation =
      strongest.relation.map { name in
        name.schema == "public" ? SQLIdentifier.quote(name.name) : name.description
      } ?? strongest.name
    return [
      Violation(
        message: """
          takes \(strongest.mode) on \(relation) with no lock_timeout: if it has to wait, \
          every query on the table queues behind it
          """,
        help: """
          Set a short lock timeout at the top of the migration and retry it on failure:
            SET lock_timeout = '2s';
          """,
        range: context.statement.range
      )
    ]
  }

  /// The strongest lock that blocks ordinary writes on a relation others already use.
  static func riskyLock(_ effect: StatementEffect) -> RelationLock? {
    effect.locks.filter {
      !$0.isNewRelation && $0.relation != nil && $0.mode.conflicts(with: .rowExclusive)
    }.max { $0.mode < $1.mode }
  }
}
