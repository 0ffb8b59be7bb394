import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Dropping a table breaks code that still uses it and deletes its data.
public struct BanDropTableRule: Rule {
  public static let description = RuleDescription(
    id: "ban-drop-table",
    summary: "Drop tables only in a contract migration, after no deployed code uses them.",
    rationale: """
      DROP TABLE is instant and irreversible: every query of the application version still \
      running that names the table fails, and its rows are gone (a restore from backup is the \
      only undo). Stop using the table first, back it up, then drop it in a contract \
      migration. Only tables the schema knows (from earlier migrations or --schema) are \
      reported: not those created earlier in the same file, nor unknown ones (such as the \
      tables a rollback script drops).
      """,
    defaultSeverity: .warning,
    category: .breaking,
    dialects: [.postgres, .sqlite],
    nonTriggering: [
      RuleExample("CREATE TABLE import_batch (id bigint);\nDROP TABLE import_batch;"),
      RuleExample("DROP INDEX users_email_idx;"),
      RuleExample("DROP VIEW IF EXISTS active_users;"),
      RuleExample(
        """
        BEGIN;
        CREATE TABLE new_orders (id bigint PRIMARY KEY, user_id bigint, amount bigint);
        INSERT INTO new_orders (id, user_id, amount) SELECT id, user_id, amount FROM orders;
        DROP TABLE orders;
        ALTER TABLE new_orders RENAME TO orders;
        COMMIT;
        """
      ),
    ],
    triggering: [
      RuleExample("⚠️DROP TABLE orders;"),
      RuleExample("⚠️drop table if exists users, orders cascade;"),
      RuleExample(
        """
        CREATE TABLE orders_archive (id bigint PRIMARY KEY);
        INSERT INTO orders_archive (id) SELECT id FROM users;
        ⚠️DROP TABLE orders;
        """
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .drop(let drop) = context.statement.kind, drop.objectType == .table else {
      return []
    }
    let tables = drop.names.filter {
      context.isKnownTableFromBefore($0) && !context.isRebuildCopySource($0)
    }.map { context.sqlName($0) }
    guard !tables.isEmpty else { return [] }
    let list = tables.joined(separator: ", ")
    let backups = tables.map { table in
      context.dialect == .sqlite
        ? "sqlite3 app.db \".dump \(table)\" > \(table).sql"
        : "pg_dump --table=\(table) --format=custom --file=\(table).dump"
    }.joined(separator: "\n  ")
    return [
      Violation(
        message: "dropping \(list) breaks code that still uses it and deletes its rows",
        help: """
          Deploy code that no longer reads or writes \(list) first, and back the data up:
            \(backups)
          Then drop it in a contract migration of its own: DROP TABLE \(list);
          """,
        range: context.statement.range
      )
    ]
  }
}
