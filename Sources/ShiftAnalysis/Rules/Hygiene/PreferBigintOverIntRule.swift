import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A 32-bit (or 16-bit) primary key runs out, and widening it later rewrites the table.
public struct PreferBigintOverIntRule: Rule {
  public static let description = RuleDescription(
    id: "prefer-bigint-over-int",
    summary: "Use bigint for new primary key columns.",
    rationale: """
      An integer primary key tops out at 2,147,483,647 (smallint at 32,767); when the \
      sequence reaches it, every INSERT fails. Changing the column to bigint then rewrites the \
      table and its indexes under an ACCESS EXCLUSIVE lock, together with every foreign key \
      column that references it. bigint costs four bytes more per row. serial columns are left \
      to prefer-identity.
      """,
    defaultSeverity: .info,
    category: .hygiene,
    nonTriggering: [
      RuleExample("CREATE TABLE purchases (id bigint PRIMARY KEY, quantity int);"),
      RuleExample("CREATE TABLE purchases (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"),
      RuleExample("ALTER TABLE users ADD COLUMN age_years int;"),
    ],
    triggering: [
      RuleExample("CREATE TABLE purchases (id ⚠️int PRIMARY KEY, quantity int);"),
      RuleExample(
        "CREATE TABLE purchases (order_id ⚠️integer, line ⚠️smallint, PRIMARY KEY (order_id, line));"
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    context.declaredColumns.compactMap { column in
      let type = column.type.canonicalName.lowercased()
      guard column.isPrimaryKey, type == "int4" || type == "int2", !column.type.isArray else {
        return nil
      }
      return Violation(
        message: """
          primary key column \(context.columnName(column)) is \(context.text(column.type.range)): \
          it can overflow
          """,
        help: "Use bigint now; widening it later rewrites the table:\n  "
          + context.statementText(retyping: column, as: "bigint"),
        range: column.type.range
      )
    }
  }
}
