import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Creating, enabling or disabling a trigger locks out writes to the table.
public struct CreateTriggerLockRule: Rule {
  public static let description = RuleDescription(
    id: "create-trigger-lock",
    summary: "Create, enable and disable triggers on existing tables in short transactions.",
    rationale: """
      CREATE TRIGGER and ALTER TABLE … ENABLE/DISABLE TRIGGER take a SHARE ROW EXCLUSIVE \
      lock: every INSERT, UPDATE and DELETE on the table waits until the transaction ends. \
      The statement is quick, so the danger is waiting for the lock behind a long query, or \
      holding it while the rest of a long migration runs. The trigger also changes what \
      every write does from the moment it commits.
      """,
    defaultSeverity: .info,
    category: .locking,
    nonTriggering: [
      RuleExample(
        "CREATE TABLE visits (id bigint, seen_at timestamptz);\nCREATE TRIGGER visits_touch BEFORE UPDATE ON visits FOR EACH ROW EXECUTE FUNCTION touch();"
      ),
      RuleExample("ALTER TABLE users ENABLE ROW LEVEL SECURITY;"),
      RuleExample("DROP TRIGGER IF EXISTS users_touch ON users;"),
    ],
    triggering: [
      RuleExample(
        "⚠️CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();"
      ),
      RuleExample("ALTER TABLE orders ⚠️DISABLE TRIGGER orders_audit;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    switch context.statement.kind {
    case .createTrigger(let trigger):
      guard context.isExistingTable(trigger.table) else { return [] }
      let table = context.sqlName(trigger.table)
      return [
        Violation(
          message:
            "CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock on \(table): all writes wait until the transaction ends",
          help: help(table, context.sql),
          range: context.statement.range
        )
      ]
    case .alterTable(let alter):
      guard context.isExistingTable(alter.table) else { return [] }
      let table = context.sqlName(alter.table)
      return alter.actions.compactMap { action in
        let verb: String
        switch action.kind {
        case .enableTrigger: verb = "ENABLE TRIGGER"
        case .disableTrigger: verb = "DISABLE TRIGGER"
        default: return nil
        }
        return Violation(
          message:
            "\(verb) takes a SHARE ROW EXCLUSIVE lock on \(table): all writes wait until the transaction ends",
          help: help(table, "ALTER TABLE \(table) \(context.text(action.range))"),
          range: action.range
        )
      }
    default:
      return []
    }
  }

  private func help(_ table: String, _ statement: String) -> String {
    """
    Run it in its own short transaction with a lock timeout, so writes to \(table) wait only \
    for the moment it runs:
      SET lock_timeout = '2s';
      \(statement);
    """
  }
}
