import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A serial or identity column added to an existing table rewrites it.
public struct AddingAutoIncrementingColumnRule: Rule {
  public static let description = RuleDescription(
    id: "adding-auto-incrementing-column",
    summary: "Add serial and identity columns to existing tables in steps.",
    rationale: """
      A serial, bigserial or GENERATED … AS IDENTITY column gives every existing row a value \
      from a sequence: PostgreSQL rewrites the table and its indexes under an ACCESS EXCLUSIVE \
      lock that blocks reads and writes for the whole rewrite. A plain column with a sequence \
      default set afterwards, backfilled in batches, gets the same values without it.
      """,
    defaultSeverity: .error,
    category: .rewrites,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("CREATE TABLE visits (id bigserial PRIMARY KEY, path text);"),
      RuleExample(
        "CREATE TABLE visits (path text);\nALTER TABLE visits ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;"
      ),
      RuleExample(
        "CREATE SEQUENCE orders_position_seq;\nALTER TABLE orders ADD COLUMN position bigint;\nALTER TABLE orders ALTER COLUMN position SET DEFAULT nextval('orders_position_seq');"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ⚠️ADD COLUMN position bigserial;"),
      RuleExample("ALTER TABLE users ⚠️ADD COLUMN number int GENERATED ALWAYS AS IDENTITY;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table), context.effect.rewritesTable
    else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .addColumn(let column, _) = action.kind, let type = column.type else { continue }
      let plainType: String
      switch type.canonicalName {
      case "serial", "serial4": plainType = "integer"
      case "bigserial", "serial8": plainType = "bigint"
      case "smallserial", "serial2": plainType = "smallint"
      default:
        guard column.identity != nil else { continue }
        plainType = context.text(type.range)
      }
      let name = context.sqlName(column.name)
      let sequence = context.generatedName([alter.table.name.value, column.name.value, "seq"])
      let what = column.identity != nil ? "an identity column" : "a \(type.name) column"
      violations.append(
        Violation(
          message:
            "adding \(what) \(name) numbers every existing row: \(table) is rewritten under an ACCESS EXCLUSIVE lock",
          help: """
            Add a plain column, number new rows from a sequence, backfill existing rows in \
            batches:
              CREATE SEQUENCE \(sequence);
              ALTER TABLE \(table) ADD COLUMN \(name) \(plainType);
              ALTER SEQUENCE \(sequence) OWNED BY \(table).\(name);
              ALTER TABLE \(table) ALTER COLUMN \(name) SET DEFAULT nextval('\(sequence)');
              -- backfill: UPDATE \(table) SET \(name) = nextval('\(sequence)') WHERE \(name) IS NULL, in key batches
            """,
          range: action.range
        )
      )
    }
    return violations
  }
}
