import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A new column with a volatile default rewrites the whole table.
public struct AddingVolatileDefaultRule: Rule {
  public static let description = RuleDescription(
    id: "adding-volatile-default",
    summary:
      "Add columns with volatile defaults (random(), gen_random_uuid(), clock_timestamp()) in steps.",
    rationale: """
      Since PostgreSQL 11 a constant default is stored in the catalog and ADD COLUMN is \
      instant, but a volatile default must be computed for every existing row: the table and \
      its indexes are rewritten under an ACCESS EXCLUSIVE lock that blocks reads and writes \
      for the whole rewrite.
      """,
    defaultSeverity: .error,
    category: .rewrites,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();"),
      RuleExample("ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;"),
      RuleExample(
        "CREATE TABLE tokens (id bigint);\nALTER TABLE tokens ADD COLUMN token uuid DEFAULT gen_random_uuid();"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ADD COLUMN token uuid DEFAULT gen_random_uuid();"),
      RuleExample("ALTER TABLE orders ⚠️ADD COLUMN jitter float8 DEFAULT random();"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .addColumn(let column, _) = action.kind, let value = column.defaultValue,
        context.catalog.volatility(of: value).isVolatile
      else { continue }
      let table = context.sqlName(alter.table)
      let name = SQLIdentifier.quote(column.name.value)
      let type = column.type.map { context.text($0.range) } ?? "<type>"
      let expression = context.text(value.range)
      violations.append(
        Violation(
          message:
            "the default \(expression) is volatile: adding \(name) rewrites \(table) under an ACCESS EXCLUSIVE lock",
          help: """
            Add the column without a default, give new rows the default, then backfill existing \
            rows in batches:
              ALTER TABLE \(table) ADD COLUMN \(name) \(type);
              ALTER TABLE \(table) ALTER COLUMN \(name) SET DEFAULT \(expression);
              -- backfill: UPDATE \(table) SET \(name) = \(expression) WHERE \(name) IS NULL, in key batches
            """,
          range: action.range
        )
      )
    }
    return violations
  }
}
