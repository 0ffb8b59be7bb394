import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Moving a table to another schema breaks every running query that uses its old name.
public struct SetSchemaRule: Rule {
  public static let description = RuleDescription(
    id: "set-schema",
    summary: "Do not move tables that running code uses to another schema.",
    rationale: """
      ALTER TABLE … SET SCHEMA changes the name queries must use: the application version \
      still running looks for the table where it was and fails. Keep the old name working \
      with a view until no code uses it. Tables created earlier in the same file are not \
      reported.
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample(
        "CREATE TABLE staging_orders (id bigint);\nALTER TABLE staging_orders SET SCHEMA archive;"
      ),
      RuleExample("ALTER TABLE users SET (fillfactor = 90);"),
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ⚠️SET SCHEMA archive;")
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    let bare = SQLIdentifier.quote(alter.table.name.value)
    return alter.actions.compactMap { action in
      guard case .setSchema(let schema) = action.kind else { return nil }
      let target = SQLIdentifier.quote(schema.value)
      return Violation(
        message: "moving \(table) to schema \(target) breaks code that still queries \(table)",
        help: """
          Move it and keep the old name as an updatable view in the same transaction, then drop \
          the view once no deployed code uses it:
            BEGIN;
            ALTER TABLE \(table) SET SCHEMA \(target);
            CREATE VIEW \(table) AS SELECT * FROM \(target).\(bare);
            COMMIT;
          """,
        range: action.range
      )
    }
  }
}
