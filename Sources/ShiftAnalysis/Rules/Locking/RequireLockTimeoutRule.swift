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
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.session.lockTimeout == nil else { return [] }
    let risky = context.effect.locks.filter {
      !$0.isNewRelation && $0.relation != nil && $0.mode.conflicts(with: .rowExclusive)
    }
    guard let strongest = risky.max(by: { $0.mode < $1.mode }) else { return [] }
    return [
      Violation(
        message:
          "takes \(strongest.mode) on \(strongest.name) with no lock_timeout: if it waits, every query on the table queues behind it",
        help: """
          Set a short lock timeout first and retry on failure:
            SET lock_timeout = '2s';
          """,
        range: context.statement.range
      )
    ]
  }
}
