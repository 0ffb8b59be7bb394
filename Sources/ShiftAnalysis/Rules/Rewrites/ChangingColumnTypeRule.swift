import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A column type change that is not binary-coercible rewrites the table and its indexes.
public struct ChangingColumnTypeRule: Rule {
  public static let description = RuleDescription(
    id: "changing-column-type",
    summary: "Change column types that need a rewrite through a new column and a backfill.",
    rationale: """
      ALTER COLUMN … TYPE rewrites the whole table and rebuilds its indexes under an ACCESS \
      EXCLUSIVE lock unless the old type is binary-coercible to the new one (varchar → text, \
      a wider varchar or numeric precision, timestamp ⇄ timestamptz with a UTC session on \
      PostgreSQL 12+). Reads and writes wait for the whole rewrite. Binary-coercible changes \
      are not reported.
      """,
    defaultSeverity: .error,
    category: .rewrites,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE purchases ALTER COLUMN note TYPE varchar(200);",
        schema: Self.schema
      ),
      RuleExample("ALTER TABLE purchases ALTER COLUMN note TYPE text;", schema: Self.schema),
      RuleExample(
        "ALTER TABLE purchases ALTER COLUMN price TYPE numeric(14, 2);",
        schema: Self.schema
      ),
      RuleExample(
        "SET TimeZone = 'UTC';\nALTER TABLE purchases ALTER COLUMN placed_at TYPE timestamptz;",
        schema: Self.schema
      ),
      RuleExample(
        "CREATE TABLE visits (id bigint, hits int);\nALTER TABLE visits ALTER COLUMN hits TYPE bigint;"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ALTER COLUMN age TYPE bigint;"),
      RuleExample(
        "ALTER TABLE purchases ⚠️ALTER COLUMN note TYPE varchar(20);",
        schema: Self.schema
      ),
      RuleExample(
        "SET TimeZone = 'UTC';\nALTER TABLE purchases ⚠️ALTER COLUMN placed_at TYPE timestamptz;",
        schema: Self.schema,
        pgVersion: 11
      ),
      RuleExample("ALTER TABLE orders ⚠️ALTER COLUMN status TYPE int USING status::int;"),
    ]
  )

  static let schema = """
    CREATE TABLE purchases (id bigint PRIMARY KEY, note varchar(50), price numeric(10, 2),
      placed_at timestamp);
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table), context.effect.rewritesTable
    else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .alterColumnType(let column, let type, let using) = action.kind,
        rewrites(action, of: alter, context)
      else { continue }
      let name = context.sqlName(column)
      let newName = context.generatedName([column.value, "new"])
      let typeText = context.text(type.range)
      let value = using.map { context.text($0.range) } ?? "\(name)::\(typeText)"
      violations.append(
        Violation(
          message:
            "changing the type of \(table).\(name) to \(typeText) rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
          help: """
            Add a column of the new type, keep it in sync, backfill, then switch over:
              ALTER TABLE \(table) ADD COLUMN \(newName) \(typeText);
              -- a trigger sets \(newName) = \(value) on INSERT and UPDATE
              -- backfill: UPDATE \(table) SET \(newName) = \(value) WHERE \(newName) IS NULL, in key batches
              -- once the application reads \(newName) (contract phase):
              ALTER TABLE \(table) DROP COLUMN \(name);
              ALTER TABLE \(table) RENAME COLUMN \(newName) TO \(name);
            """,
          range: action.range
        )
      )
    }
    return violations
  }

  /// Whether this action on its own rewrites the table (the statement may combine several).
  private func rewrites(_ action: AlterTableAction, of alter: AlterTable, _ context: RuleContext)
    -> Bool
  {
    var single = alter
    single.actions = [action]
    var statement = context.statement
    statement.kind = .alterTable(single)
    let model = EffectModel(
      catalog: context.catalog,
      settings: EffectSettings(pgVersion: context.pgVersion)
    )
    return model.effect(of: statement).rewritesTable
  }
}
