import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `SET NOT NULL` scans the table under ACCESS EXCLUSIVE unless a valid check proves it.
public struct SetNotNullScanRule: Rule {
  public static let description = RuleDescription(
    id: "set-not-null-scan",
    summary: "Make existing columns NOT NULL through a validated CHECK constraint.",
    rationale: """
      ALTER COLUMN … SET NOT NULL reads the whole table under an ACCESS EXCLUSIVE lock, \
      blocking reads and writes. Since PostgreSQL 12 the scan is skipped when a validated \
      CHECK (column IS NOT NULL) exists, and such a check can be added NOT VALID and \
      validated without blocking.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE users ALTER COLUMN name SET NOT NULL;",
        schema: RuleExample.defaultSchema
          + "\nALTER TABLE users ADD CONSTRAINT users_name_nn CHECK (name IS NOT NULL);"
      ),
      RuleExample(
        "CREATE TABLE tags (id bigint, label text);\nALTER TABLE tags ALTER COLUMN label SET NOT NULL;"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ALTER COLUMN name SET NOT NULL;")
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table), context.effect.scansTable
    else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .setNotNull(let column) = action.kind else { continue }
      let name = SQLIdentifier.quote(column.value)
      let check = SQLIdentifier.quote(
        String("\(alter.table.name.value)_\(column.value)_not_null".prefix(63))
      )
      let recipe =
        context.pgVersion >= 12
        ? """
        Prove it with a check first; PostgreSQL 12+ then skips the scan:
          ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(name) IS NOT NULL) NOT VALID;
          ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
          ALTER TABLE \(table) ALTER COLUMN \(name) SET NOT NULL;
          ALTER TABLE \(table) DROP CONSTRAINT \(check);
        """
        : """
        Before PostgreSQL 12 SET NOT NULL always scans; keep a validated check instead:
          ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(name) IS NOT NULL) NOT VALID;
          ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
        """
      violations.append(
        Violation(
          message:
            "SET NOT NULL on \(table).\(name) scans the whole table under an ACCESS EXCLUSIVE lock",
          help: recipe,
          range: action.range
        )
      )
    }
    return violations
  }
}
