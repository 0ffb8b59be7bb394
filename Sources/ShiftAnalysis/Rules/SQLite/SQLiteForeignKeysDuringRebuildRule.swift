import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A table rebuild that drops a referenced table while foreign keys are enforced.
public struct SQLiteForeignKeysDuringRebuildRule: Rule {
  public static let description = RuleDescription(
    id: "sqlite-foreign-keys-during-rebuild",
    summary:
      "Turn foreign keys off (outside the transaction) before rebuilding a referenced table.",
    rationale: """
      The 12-step table rebuild drops the old table. With PRAGMA foreign_keys on, DROP TABLE \
      first deletes every row, which runs ON DELETE CASCADE / SET NULL on the referencing \
      tables (their rows are deleted or unlinked) or fails with a constraint error. Run \
      PRAGMA foreign_keys = OFF before BEGIN (inside a transaction it does nothing), then \
      PRAGMA foreign_key_check before COMMIT.
      """,
    defaultSeverity: .warning,
    category: .sqlite,
    dialects: [.sqlite],
    nonTriggering: [
      RuleExample(
        """
        PRAGMA foreign_keys = OFF;
        BEGIN;
        CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);
        INSERT INTO new_users (id, email, name) SELECT id, email, name FROM users;
        DROP TABLE users;
        ALTER TABLE new_users RENAME TO users;
        PRAGMA foreign_key_check;
        COMMIT;
        PRAGMA foreign_keys = ON;
        """,
        schema: sqliteSchema
      ),
      RuleExample(
        """
        BEGIN;
        CREATE TABLE new_orders (id INTEGER PRIMARY KEY, user_id INTEGER, status TEXT);
        INSERT INTO new_orders (id, user_id, status) SELECT id, user_id, status FROM orders;
        DROP TABLE orders;
        ALTER TABLE new_orders RENAME TO orders;
        COMMIT;
        """,
        schema: sqliteSchema
      ),
      RuleExample("DROP TABLE users;", schema: sqliteSchema),
    ],
    triggering: [
      RuleExample(
        """
        BEGIN;
        CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);
        INSERT INTO new_users (id, email, name) SELECT id, email, name FROM users;
        ⚠️DROP TABLE users;
        ALTER TABLE new_users RENAME TO users;
        COMMIT;
        """,
        schema: sqliteSchema
      ),
      RuleExample(
        """
        BEGIN;
        PRAGMA foreign_keys = OFF;
        CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
        INSERT INTO new_users (id, email) SELECT id, email FROM users;
        ⚠️DROP TABLE users;
        ALTER TABLE new_users RENAME TO users;
        COMMIT;
        """,
        schema: sqliteSchema
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.dialect == .sqlite, case .drop(let drop) = context.statement.kind,
      drop.objectType == .table
    else { return [] }
    // Only a rebuild: an earlier statement copied rows into a table created in this file.
    guard context.history.copiedIntoNewTable, !context.history.foreignKeysOff else { return [] }
    return drop.names.compactMap { name in
      guard let table = context.catalog.table(named: name),
        !context.isCreatedInThisFile(table.origin)
      else { return nil }
      let children = context.catalog.tables.values.filter { other in
        other.name != table.name
          && other.constraints.contains { $0.reference?.table == table.name }
      }.map { SQLIdentifier.quote($0.name.name) }.sorted()
      guard !children.isEmpty else { return nil }
      let tableName = context.sqlName(name)
      return Violation(
        message: """
          dropping \(tableName) with foreign keys on deletes or blocks the rows of \
          \(children.joined(separator: ", ")) that reference it
          """,
        help: """
          Turn foreign keys off before the transaction (PRAGMA foreign_keys does nothing \
          inside one) and check them before committing:
            PRAGMA foreign_keys = OFF;
            BEGIN;
            … create, copy, DROP TABLE \(tableName); rename …
            PRAGMA foreign_key_check;
            COMMIT;
            PRAGMA foreign_keys = ON;
          """,
        range: context.statement.range
      )
    }
  }
}
