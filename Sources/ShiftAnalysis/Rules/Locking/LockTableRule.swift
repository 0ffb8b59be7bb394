import ShiftCore
import ShiftSchema
import ShiftSyntax

/// An explicit `LOCK TABLE` in a mode that blocks writes holds it until the transaction ends.
public struct LockTableRule: Rule {
  public static let description = RuleDescription(
    id: "lock-table",
    summary: "Avoid explicit LOCK TABLE in modes that block writes on existing tables.",
    rationale: """
      LOCK TABLE in SHARE mode or stronger blocks every INSERT, UPDATE and DELETE on the \
      table (ACCESS EXCLUSIVE, the default, blocks reads too) until the transaction commits, \
      however long the rest of the migration takes; while it waits for the lock, all later \
      queries queue behind it. The statements of a migration take the locks they need on \
      their own.
      """,
    defaultSeverity: .warning,
    category: .locking,
    nonTriggering: [
      RuleExample("BEGIN;\nLOCK TABLE users IN ACCESS SHARE MODE;\nCOMMIT;"),
      RuleExample("BEGIN;\nLOCK TABLE orders IN ROW EXCLUSIVE MODE;\nCOMMIT;"),
      RuleExample("BEGIN;\nCREATE TABLE visits (id bigint);\nLOCK TABLE visits;\nCOMMIT;"),
    ],
    triggering: [
      RuleExample("BEGIN;\n⚠️LOCK TABLE users;\nCOMMIT;"),
      RuleExample("BEGIN;\n⚠️LOCK TABLE orders IN SHARE MODE NOWAIT;\nCOMMIT;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .lockTable = context.statement.kind else { return [] }
    let risky = context.effect.locks.filter {
      !$0.isNewRelation && $0.relation != nil && $0.mode.conflicts(with: .rowExclusive)
    }
    guard let first = risky.first, let relation = first.relation else { return [] }
    let tables = risky.compactMap(\.relation).map { context.sqlName($0) }
    let blocked = first.mode == .accessExclusive ? "reads and writes" : "writes"
    return [
      Violation(
        message:
          "LOCK TABLE \(tables.joined(separator: ", ")) IN \(first.mode) MODE blocks all \(blocked) until the transaction ends",
        help: """
          Drop the explicit lock and let each statement take its own. If it is needed, keep \
          the transaction short and never queue behind other sessions:
            SET LOCAL lock_timeout = '2s';
            LOCK TABLE \(context.sqlName(relation)) IN \(first.mode) MODE;
          """,
        range: context.statement.range
      )
    ]
  }
}
