import ShiftCore
import ShiftSchema
import ShiftSyntax

/// SQLite refuses ADD COLUMN with a default that is not a constant.
public struct SQLiteAddColumnNonConstantDefaultRule: Rule {
  public static let description = RuleDescription(
    id: "sqlite-add-column-non-constant-default",
    summary: "In SQLite, add columns only with constant defaults.",
    rationale: """
      SQLite stores the default of an added column in the schema and hands it out for every \
      existing row, so ALTER TABLE … ADD COLUMN refuses CURRENT_TIMESTAMP, CURRENT_DATE, \
      CURRENT_TIME and other function calls or column references ("Cannot add a column with \
      non-constant default"), on empty tables too. Add the column without the default and \
      fill it, or rebuild the table.
      """,
    defaultSeverity: .error,
    category: .sqlite,
    dialects: [.sqlite],
    nonTriggering: [
      RuleExample(
        "ALTER TABLE orders ADD COLUMN status_code INTEGER DEFAULT 0;",
        schema: sqliteSchema
      ),
      RuleExample("ALTER TABLE orders ADD COLUMN note TEXT DEFAULT 'none';", schema: sqliteSchema),
      RuleExample(
        "CREATE TABLE purchases (id INTEGER PRIMARY KEY, created_at TEXT DEFAULT CURRENT_TIMESTAMP);",
        schema: sqliteSchema
      ),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE orders ADD COLUMN created_at TEXT DEFAULT ⚠️CURRENT_TIMESTAMP;",
        schema: sqliteSchema
      ),
      RuleExample(
        "ALTER TABLE users ADD COLUMN token TEXT DEFAULT (⚠️lower(hex(randomblob(16))));",
        schema: sqliteSchema
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.dialect == .sqlite, case .alterTable(let alter) = context.statement.kind
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .addColumn(let column, _) = action.kind, let value = column.defaultValue,
        !value.functionCalls.isEmpty || !value.columnReferences.isEmpty || value.containsSubquery
      else { return nil }
      let name = SQLIdentifier.quote(column.name.value)
      let type = column.type.map { " " + context.text($0.range) } ?? ""
      let expression = context.text(value.range)
      return Violation(
        message: """
          SQLite refuses to add \(table).\(name) with the non-constant default \(expression)
          """,
        help: """
          Add the column without that default and fill existing rows:
            ALTER TABLE \(table) ADD COLUMN \(name)\(type);
            UPDATE \(table) SET \(name) = \(expression) WHERE \(name) IS NULL;
          and set it on INSERT in code (or with a trigger); a real DEFAULT \(expression) needs \
          the 12-step table rebuild.
          """,
        range: value.range
      )
    }
  }
}
