import ShiftCore
import ShiftSchema
import ShiftSyntax

/// An UPDATE or DELETE of a whole existing table in a migration.
public struct UnbatchedBackfillRule: Rule {
  public static let description = RuleDescription(
    id: "unbatched-backfill",
    summary: "Backfill existing tables in batches, not with one unbounded UPDATE or DELETE.",
    rationale: """
      One UPDATE or DELETE without a WHERE clause touches every row in a single transaction: \
      it row-locks the whole table against concurrent writers, bloats it with dead tuples, \
      holds back vacuum and replication, and inside a migration transaction keeps every lock \
      taken before it. Move data in short keyset batches instead.
      """,
    defaultSeverity: .warning,
    category: .data,
    sizeSensitivity: .duration,
    dialects: [.postgres, .sqlite],
    nonTriggering: [
      RuleExample("UPDATE users SET name = email WHERE id BETWEEN 1 AND 1000;"),
      RuleExample("CREATE TABLE tmp (id bigint, v int);\nUPDATE tmp SET v = 0;"),
    ],
    triggering: [
      RuleExample("⚠️UPDATE users SET name = email;"),
      RuleExample("⚠️DELETE FROM orders;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .dataChange(let change) = context.statement.kind, change.operation != .insert,
      !change.hasWhere, context.isExistingTable(change.table)
    else { return [] }
    let table = context.sqlName(change.table)
    let verb = change.operation == .update ? "UPDATE" : "DELETE"
    var help =
      "Run it as a batched backfill (keyset batches on the primary key, each its own short transaction)"
    if change.operation == .update {
      let assignments = change.assignments.map { assignment -> String in
        let column = SQLIdentifier.quote(assignment.column.value)
        return column + " = " + (assignment.value.map { context.text($0.range) } ?? "…")
      }
      help +=
        ":\n  safeshift backfill --table \(table) --set \"\(assignments.joined(separator: ", "))\""
    } else {
      help += ", or TRUNCATE if the table may be emptied at once."
    }
    return [
      Violation(
        message: "\(verb) without WHERE changes every row of \(table) in one transaction",
        help: help,
        range: context.statement.range
      )
    ]
  }
}
