import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A stored generated column added to an existing table rewrites it.
public struct AddingStoredGeneratedColumnRule: Rule {
  public static let description = RuleDescription(
    id: "adding-stored-generated-column",
    summary: "Add stored generated columns to existing tables in steps.",
    rationale: """
      GENERATED ALWAYS AS (…) STORED computes the value for every existing row: the table and \
      its indexes are rewritten under an ACCESS EXCLUSIVE lock that blocks reads and writes. \
      Before PostgreSQL 18 every generated column is stored; from 18 on a virtual generated \
      column is computed on read and adds no rewrite.
      """,
    defaultSeverity: .error,
    category: .rewrites,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) VIRTUAL;",
        pgVersion: 18
      ),
      RuleExample(
        "CREATE TABLE visits (path text);\nALTER TABLE visits ADD COLUMN path_lower text GENERATED ALWAYS AS (lower(path)) STORED;"
      ),
      RuleExample("ALTER TABLE users ADD COLUMN email_lower text;"),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE users ⚠️ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED;"
      ),
      RuleExample(
        "ALTER TABLE orders ⚠️ADD COLUMN cents int GENERATED ALWAYS AS (amount * 100);",
        pgVersion: 17
      ),
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
      guard case .addColumn(let column, _) = action.kind else { continue }
      var generated: Expression?
      for constraint in column.constraints {
        if case .generated(let expression, let isStored) = constraint.kind,
          isStored || context.pgVersion < 18
        {
          generated = expression
        }
      }
      guard let generated else { continue }
      let name = context.sqlName(column.name)
      let type = column.type.map { context.text($0.range) } ?? "<type>"
      let expression = context.text(generated.range)
      var help = """
        Add a plain column, set it from a trigger for new rows, backfill existing rows in \
        batches:
          ALTER TABLE \(table) ADD COLUMN \(name) \(type);
          -- a BEFORE INSERT OR UPDATE trigger sets \(name) to \(expression) from the NEW row
          -- backfill: UPDATE \(table) SET \(name) = \(expression) WHERE \(name) IS NULL, in key batches
        """
      if context.pgVersion >= 18 {
        help += """

          Or compute it on read, without a rewrite:
            ALTER TABLE \(table) ADD COLUMN \(name) \(type) GENERATED ALWAYS AS (\(expression)) VIRTUAL;
          """
      }
      violations.append(
        Violation(
          message:
            "adding the stored generated column \(name) computes it for every row: \(table) is rewritten under an ACCESS EXCLUSIVE lock",
          help: help,
          range: action.range
        )
      )
    }
    return violations
  }
}
