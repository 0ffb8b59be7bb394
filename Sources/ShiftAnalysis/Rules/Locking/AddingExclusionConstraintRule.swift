import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Exclusion constraints on existing tables are built and checked under ACCESS EXCLUSIVE.
public struct AddingExclusionConstraintRule: Rule {
  public static let description = RuleDescription(
    id: "adding-exclusion-constraint",
    summary: "Avoid adding EXCLUDE constraints to existing, busy tables.",
    rationale: """
      ADD CONSTRAINT … EXCLUDE builds its index and checks every row while holding an ACCESS \
      EXCLUSIVE lock that blocks reads and writes. Unlike CHECK and FOREIGN KEY there is no \
      NOT VALID form, and unlike UNIQUE no USING INDEX form, so the work cannot be moved out \
      of the lock. Old writes that overlap start failing at once.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "CREATE TABLE bookings (id bigint, room int, during tstzrange, EXCLUDE USING gist (room WITH =, during WITH &&));"
      ),
      RuleExample(
        "CREATE TABLE bookings (id bigint, room int, during tstzrange);\nALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);"
      ),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE orders ⚠️ADD CONSTRAINT orders_one_open EXCLUDE USING btree (user_id WITH =) WHERE (status = 'open');"
      )
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
      guard case .addConstraint(let constraint) = action.kind, case .exclude = constraint.kind
      else { continue }
      violations.append(
        Violation(
          message:
            "adding an EXCLUDE constraint builds and checks its index on \(table) under an ACCESS EXCLUSIVE lock that blocks reads and writes",
          help: """
            There is no online form. Check the existing rows first, then add it when \(table) \
            is quiet, with a short lock timeout so it never queues traffic:
              SET lock_timeout = '2s';
              ALTER TABLE \(table) \(context.text(action.range));
            """,
          range: action.range
        )
      )
    }
    return violations
  }
}
