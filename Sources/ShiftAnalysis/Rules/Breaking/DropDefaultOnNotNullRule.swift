import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Dropping the default of a NOT NULL column breaks INSERTs that rely on it.
public struct DropDefaultOnNotNullRule: Rule {
  public static let description = RuleDescription(
    id: "drop-default-on-not-null",
    summary: "Keep the default of a NOT NULL column until no deployed code omits the column.",
    rationale: """
      Once the default of a NOT NULL column is gone, every INSERT that omits the column \
      fails with a not-null violation. The application version still running was written \
      against the default, so its INSERTs break. Deploy code that always writes the column \
      first, or make the column nullable before dropping the default.
      """,
    defaultSeverity: .warning,
    category: .breaking,
    nonTriggering: [
      RuleExample("ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;", schema: Self.nullable),
      RuleExample(
        "CREATE TABLE carts (id bigint, state text NOT NULL DEFAULT 'open');\nALTER TABLE carts ALTER COLUMN state DROP DEFAULT;"
      ),
      RuleExample(
        "ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';",
        schema: Self.notNull
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ⚠️ALTER COLUMN status DROP DEFAULT;", schema: Self.notNull)
    ]
  )

  static let notNull = """
    CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new');
    """
  static let nullable = """
    CREATE TABLE orders (id bigint PRIMARY KEY, status text DEFAULT 'new');
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .dropDefault(let column) = action.kind,
        let existing = context.catalog.column(column.value, of: alter.table),
        existing.isNotNull, existing.defaultValue != nil
      else { return nil }
      let name = SQLIdentifier.quote(existing.name)
      return Violation(
        message: """
          dropping the default of NOT NULL column \(table).\(name) breaks INSERTs that omit \
          \(name)
          """,
        help: """
          Deploy code that always writes \(name) before this migration runs, or relax the \
          column first so old INSERTs store NULL instead of failing:
            ALTER TABLE \(table) ALTER COLUMN \(name) DROP NOT NULL;
            ALTER TABLE \(table) ALTER COLUMN \(name) DROP DEFAULT;
          """,
        range: action.range
      )
    }
  }
}
