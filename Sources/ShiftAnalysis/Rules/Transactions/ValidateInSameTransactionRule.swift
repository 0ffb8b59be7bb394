import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `VALIDATE CONSTRAINT` in the transaction that added the constraint `NOT VALID`.
public struct ValidateInSameTransactionRule: Rule {
  public static let description = RuleDescription(
    id: "validate-in-same-transaction",
    summary: "Commit between ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT.",
    rationale: """
      NOT VALID exists so that the scan runs under VALIDATE's weak SHARE UPDATE EXCLUSIVE \
      lock. In the same transaction, the lock taken by ADD CONSTRAINT (ACCESS EXCLUSIVE for \
      a CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key) is still held while \
      VALIDATE scans, which is exactly the blocking scan NOT VALID was meant to avoid.
      """,
    defaultSeverity: .error,
    category: .transactions,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;"
      ),
      RuleExample(
        "BEGIN;\nALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE users VALIDATE CONSTRAINT users_age_check;\nCOMMIT;"
      ),
      RuleExample(
        "ALTER TABLE users ADD CONSTRAINT users_name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_name_nn;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_name_nn;"
      ),
    ],
    triggering: [
      RuleExample(
        "BEGIN;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders ⚠️VALIDATE CONSTRAINT orders_user_fk;\nCOMMIT;"
      ),
      RuleExample(
        "ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID;\nALTER TABLE users ⚠️VALIDATE CONSTRAINT users_age_check;",
        assumeInTransaction: true
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .validateConstraint(let name) = action.kind,
        let added = Self.addition(of: name, on: alter.table, context)
      else { continue }
      let constraint = context.sqlName(name)
      violations.append(
        Violation(
          message:
            "\(constraint) was added NOT VALID in this same transaction: VALIDATE scans \(table) while the lock taken by ADD CONSTRAINT is still held",
          help: """
            Commit in between, so VALIDATE runs under its own SHARE UPDATE EXCLUSIVE lock:
              ALTER TABLE \(table) \(added);
              COMMIT;
              ALTER TABLE \(table) VALIDATE CONSTRAINT \(constraint);
            """,
          range: action.range
        )
      )
    }
    return violations
  }

  /// The text of the ADD CONSTRAINT … NOT VALID action earlier in the transaction, if any.
  static func addition(of name: Identifier, on table: QualifiedName, _ context: RuleContext)
    -> String?
  {
    guard context.effect.transaction.isInTransaction else { return nil }
    let catalog = context.catalog
    let table = catalog.normalize(table.name)
    let name = catalog.normalize(name)
    return context.history.notValidConstraints.first { $0.table == table && $0.name == name }?.text
  }

  /// Whether this rule reports the statement (so others need not).
  static func isReported(_ context: RuleContext) -> Bool {
    guard case .alterTable(let alter) = context.statement.kind else { return false }
    return alter.actions.contains {
      if case .validateConstraint(let name) = $0.kind {
        return addition(of: name, on: alter.table, context) != nil
      }
      return false
    }
  }
}
