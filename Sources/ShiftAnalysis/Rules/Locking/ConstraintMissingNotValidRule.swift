import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Foreign keys and checks on existing tables should be added `NOT VALID`, then validated.
public struct ConstraintMissingNotValidRule: Rule {
  public static let description = RuleDescription(
    id: "constraint-missing-not-valid",
    summary: "Add foreign keys and CHECK constraints to existing tables NOT VALID, then VALIDATE.",
    rationale: """
      A validated CHECK scans the whole table under ACCESS EXCLUSIVE; a validated FOREIGN KEY \
      scans it under SHARE ROW EXCLUSIVE on both tables, blocking writes to each. With NOT \
      VALID the constraint is enforced for new rows at once and the existing rows are checked \
      later by VALIDATE CONSTRAINT, which only takes SHARE UPDATE EXCLUSIVE.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"
      ),
      RuleExample("ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;"),
      RuleExample(
        "CREATE TABLE items (id bigint, user_id bigint);\nALTER TABLE items ADD FOREIGN KEY (user_id) REFERENCES users (id);"
      ),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE orders ⚠️ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);"
      ),
      RuleExample("ALTER TABLE users ⚠️ADD CONSTRAINT users_age_check CHECK (age >= 0);"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .addConstraint(let constraint) = action.kind, !constraint.isNotValid else {
        continue
      }
      let what: String
      switch constraint.kind {
      case .foreignKey: what = "FOREIGN KEY"
      case .check: what = "CHECK"
      default: continue
      }
      let definition = context.text(constraint.range)
      let name = constraint.name.map { SQLIdentifier.quote($0.value) } ?? "<constraint_name>"
      violations.append(
        Violation(
          message: "adding a validated \(what) scans all of \(table) while blocking its writes",
          help: """
            Add it NOT VALID (new rows are checked at once), then validate existing rows in a \
            separate transaction:
              ALTER TABLE \(table) ADD \(definition) NOT VALID;
              ALTER TABLE \(table) VALIDATE CONSTRAINT \(name);
            """,
          range: action.range
        )
      )
    }
    return violations
  }
}
