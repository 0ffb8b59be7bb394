import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Dropping a column breaks code that still reads or writes it, and loses its data.
public struct BanDropColumnRule: Rule {
  public static let description = RuleDescription(
    id: "ban-drop-column",
    summary: "Drop columns only in a contract migration, after no deployed code uses them.",
    rationale: """
      DROP COLUMN is instant, but queries of the application version still running that \
      name the column fail, ORMs that cache the column list break on INSERT, and the data is \
      gone. Stop using the column first (and make it nullable or give it a default so new \
      code can stop writing it), then drop it in a contract migration with a backup.
      """,
    defaultSeverity: .warning,
    category: .breaking,
    dialects: [.postgres, .sqlite],
    nonTriggering: [
      RuleExample(
        "CREATE TABLE scratch (id bigint, tmp text);\nALTER TABLE scratch DROP COLUMN tmp;"
      )
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️DROP COLUMN name;"),
      RuleExample("ALTER TABLE users ⚠️DROP COLUMN IF EXISTS age, ⚠️DROP COLUMN name;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .dropColumn(let column, _, _) = action.kind else { return nil }
      let name = SQLIdentifier.quote(column.value)
      let isNotNull = context.catalog.column(column.value, of: alter.table)?.isNotNull ?? false
      var help = "Deploy code that no longer reads or writes \(name) first"
      if isNotNull {
        help +=
          "; since \(name) is NOT NULL, relax it in an expand migration so that code can stop writing it:\n"
        help += "  ALTER TABLE \(table) ALTER COLUMN \(name) DROP NOT NULL;\n"
      } else {
        help += ".\n"
      }
      help += "Then drop it in a contract migration, after a backup of the column's data."
      return Violation(
        message: "dropping \(table).\(name) breaks code that still uses it and deletes its data",
        help: help,
        range: action.range
      )
    }
  }
}
