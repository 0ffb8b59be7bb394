import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Renaming a table breaks every running query that uses the old name.
public struct RenamingTableRule: Rule {
  public static let description = RuleDescription(
    id: "renaming-table",
    summary: "Do not rename tables that running code uses without a compatibility view.",
    rationale: """
      After the rename, the application version still running queries the old name and \
      fails. Keep the old name working with a view until no code uses it.
      """,
    defaultSeverity: .error,
    category: .breaking,
    dialects: [.postgres, .sqlite],
    nonTriggering: [
      RuleExample("CREATE TABLE staging (id bigint);\nALTER TABLE staging RENAME TO imports;")
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ⚠️RENAME TO purchases;")
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .renameTable(let new) = action.kind else { return nil }
      let newName = SQLIdentifier.quote(new.value)
      return Violation(
        message: "renaming \(table) breaks code that still queries \(table)",
        help: """
          Rename and keep the old name as an updatable view in the same transaction, then drop \
          the view once no deployed code uses it:
            BEGIN;
            ALTER TABLE \(table) RENAME TO \(newName);
            CREATE VIEW \(table) AS SELECT * FROM \(newName);
            COMMIT;
          """,
        range: action.range
      )
    }
  }
}
