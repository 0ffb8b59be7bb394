import ShiftCore
import ShiftSchema
import ShiftSyntax

/// SQLite refuses to add a NOT NULL column without a default to a table with rows.
public struct SQLiteAddColumnNotNullWithoutDefaultRule: Rule {
  public static let description = RuleDescription(
    id: "sqlite-add-column-not-null-without-default",
    summary: "In SQLite, give a new NOT NULL column a non-NULL default.",
    rationale: """
      SQLite's ALTER TABLE … ADD COLUMN refuses a NOT NULL column whose default is NULL \
      ("Cannot add a NOT NULL column with default value NULL") as soon as the table has a \
      row, and old INSERTs that omit the column would fail anyway. Add it with a constant \
      default, or nullable. Tables created earlier in the same file are not reported.
      """,
    defaultSeverity: .error,
    category: .sqlite,
    dialects: [.sqlite],
    nonTriggering: [
      RuleExample(
        "ALTER TABLE users ADD COLUMN plan TEXT NOT NULL DEFAULT 'free';",
        schema: sqliteSchema
      ),
      RuleExample("ALTER TABLE users ADD COLUMN nickname TEXT;", schema: sqliteSchema),
      RuleExample(
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY);\nALTER TABLE invoices ADD COLUMN total INTEGER NOT NULL;",
        schema: sqliteSchema
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ADD COLUMN plan TEXT NOT NULL;", schema: sqliteSchema),
      RuleExample(
        "ALTER TABLE orders ⚠️ADD COLUMN currency TEXT NOT NULL DEFAULT NULL;",
        schema: sqliteSchema
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.dialect == .sqlite, case .alterTable(let alter) = context.statement.kind,
      context.existedBeforeFile(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .addColumn(let column, _) = action.kind, column.isNotNull,
        column.generatedExpression == nil
      else { return nil }
      if let value = column.defaultValue {
        guard case .literal(.null, _) = value else { return nil }
      }
      let name = SQLIdentifier.quote(column.name.value)
      let type = column.type.map { context.text($0.range) + " " } ?? ""
      return Violation(
        message: """
          SQLite refuses NOT NULL column \(table).\(name) without a default once \(table) has rows
          """,
        help: """
          Add it with a constant default:
            ALTER TABLE \(table) ADD COLUMN \(name) \(type)NOT NULL DEFAULT <value>;
          or nullable (ALTER TABLE \(table) ADD COLUMN \(name) \(type.isEmpty ? "" : String(type.dropLast()));), \
          backfilled, with NOT NULL enforced by a later table rebuild.
          """,
        range: action.range
      )
    }
  }
}

/// The tables SQLite examples use.
let sqliteSchema = """
  CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, age INTEGER);
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    amount INTEGER CHECK (amount >= 0),
    status TEXT
  );
  CREATE INDEX orders_status_idx ON orders (status);
  """
