import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Renaming a column breaks every running query that uses the old name.
public struct RenamingColumnRule: Rule {
  public static let description = RuleDescription(
    id: "renaming-column",
    summary: "Do not rename columns that running code uses; add the new one and migrate.",
    rationale: """
      The rename is instant, but the application version still running during the rollout \
      reads and writes the old name and fails from that moment. Add the new column, keep \
      both in sync with a trigger, backfill, switch the code, and drop the old column in a \
      contract migration.
      """,
    defaultSeverity: .error,
    category: .breaking,
    dialects: [.postgres, .sqlite],
    nonTriggering: [
      RuleExample(
        "CREATE TABLE drafts (id bigint, body text);\nALTER TABLE drafts RENAME COLUMN body TO content;"
      ),
      RuleExample("ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_primary;"),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️RENAME COLUMN name TO full_name;"),
      RuleExample("alter table orders ⚠️rename amount to amount_cents;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .renameColumn(let old, let new) = action.kind else { return nil }
      let oldName = SQLIdentifier.quote(old.value)
      let newName = SQLIdentifier.quote(new.value)
      let type =
        context.catalog.column(old.value, of: alter.table)?.type.map(\.description) ?? "<type>"
      return Violation(
        message: "renaming \(table).\(oldName) breaks code that still uses \(oldName)",
        help: """
          Expand: ALTER TABLE \(table) ADD COLUMN \(newName) \(type); plus a trigger that copies \
          \(oldName) to \(newName) (and back) on INSERT and UPDATE.
          Migrate: backfill \(newName) from \(oldName) in batches; deploy code that uses \(newName).
          Contract: drop the trigger, then ALTER TABLE \(table) DROP COLUMN \(oldName);
          `safeshift plan` writes these steps for you.
          """,
        range: action.range
      )
    }
  }
}
