import ShiftCore
import ShiftSchema
import ShiftSyntax

/// SQLite refuses to drop a column that a key, index or constraint uses.
public struct SQLiteDropColumnRestrictionsRule: Rule {
  public static let description = RuleDescription(
    id: "sqlite-drop-column-restrictions",
    summary: "In SQLite, drop only columns no key, index, constraint or generated column uses.",
    rationale: """
      SQLite's ALTER TABLE … DROP COLUMN (3.35+) fails when the column is part of the \
      PRIMARY KEY, has a UNIQUE constraint, is indexed (also in a partial index's WHERE), \
      appears in a CHECK or FOREIGN KEY constraint, or is used by a generated column, a \
      trigger or a view. Drop the index first, or rebuild the table with the 12-step recipe \
      for constraints.
      """,
    defaultSeverity: .error,
    category: .sqlite,
    dialects: [.sqlite],
    nonTriggering: [
      RuleExample("ALTER TABLE users DROP COLUMN name;", schema: sqliteSchema),
      RuleExample(
        "DROP INDEX orders_status_idx;\nALTER TABLE orders DROP COLUMN status;",
        schema: sqliteSchema
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ⚠️DROP COLUMN status;", schema: sqliteSchema),
      RuleExample("ALTER TABLE users ⚠️DROP COLUMN email;", schema: sqliteSchema),
      RuleExample("alter table orders ⚠️drop column user_id;", schema: sqliteSchema),
      RuleExample("ALTER TABLE orders ⚠️DROP amount;", schema: sqliteSchema),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.dialect == .sqlite, case .alterTable(let alter) = context.statement.kind,
      let table = context.catalog.table(named: alter.table)
    else { return [] }
    let tableName = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .dropColumn(let column, _, _) = action.kind else { return nil }
      let key = context.catalog.normalize(column)
      let name = SQLIdentifier.quote(column.value)
      var uses: [String] = []
      var indexes: [String] = []
      for constraint in table.constraints {
        let named = constraint.columns.contains(key)
        let checked = constraint.check.map { expression in
          expression.columnReferences.contains { context.catalog.normalize($0.name) == key }
        }
        switch constraint.kind {
        case .primaryKey where named: uses.append("the PRIMARY KEY")
        case .unique where named: uses.append("a UNIQUE constraint")
        case .foreignKey where named: uses.append("a FOREIGN KEY constraint")
        case .check where named || checked == true: uses.append("a CHECK constraint")
        default: break
        }
      }
      for index in table.indexes where index.constraintName == nil {
        var expressions = index.keys.compactMap(\.expression)
        if let predicate = index.predicate { expressions.append(predicate) }
        let usesColumn =
          index.keys.contains { $0.column.map { context.catalog.normalize($0) } == key }
          || expressions.contains { expression in
            expression.columnReferences.contains { context.catalog.normalize($0.name) == key }
          }
        if usesColumn { indexes.append(SQLIdentifier.quote(index.name)) }
      }
      if !indexes.isEmpty { uses.append("index " + indexes.joined(separator: ", ")) }
      for other in table.columns {
        guard let generated = other.generated else { continue }
        if generated.expression.columnReferences.contains(where: {
          context.catalog.normalize($0.name) == key
        }) {
          uses.append("generated column \(SQLIdentifier.quote(other.name))")
        }
      }
      guard !uses.isEmpty else { return nil }
      var help: String
      if uses.count == indexes.count.signum() && !indexes.isEmpty {
        help = "Drop the index first:\n"
        for index in indexes { help += "  DROP INDEX \(index);\n" }
        help += "  ALTER TABLE \(tableName) DROP COLUMN \(name);"
      } else {
        help = """
          Rebuild \(tableName) without \(name) (https://sqlite.org/lang_altertable.html#otheralter):
            PRAGMA foreign_keys = OFF;  -- outside the transaction
            BEGIN;
            CREATE TABLE new_\(table.name.name) (…columns and constraints without \(name)…);
            INSERT INTO new_\(table.name.name) (…) SELECT … FROM \(tableName);
            DROP TABLE \(tableName);
            ALTER TABLE new_\(table.name.name) RENAME TO \(tableName);
            -- recreate indexes, triggers and views
            PRAGMA foreign_key_check;
            COMMIT;
            PRAGMA foreign_keys = ON;
          """
      }
      return Violation(
        message: """
          SQLite cannot drop \(tableName).\(name): \(uses.joined(separator: ", ")) uses it
          """,
        help: help,
        range: action.range
      )
    }
  }
}
