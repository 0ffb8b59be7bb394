import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `SET LOGGED/UNLOGGED`, `SET TABLESPACE` and `SET ACCESS METHOD` rewrite or move the table.
public struct TableStorageRewriteRule: Rule {
  public static let description = RuleDescription(
    id: "table-storage-rewrite",
    summary: "Change an existing table's storage (logged, tablespace, access method) online.",
    rationale: """
      SET LOGGED, SET UNLOGGED and SET ACCESS METHOD rewrite the whole table, and SET \
      TABLESPACE copies its data files, all under an ACCESS EXCLUSIVE lock that blocks reads \
      and writes for the whole copy. SET LOGGED also writes the entire table to the WAL.
      """,
    defaultSeverity: .warning,
    category: .rewrites,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("ALTER TABLE users SET TABLESPACE pg_default;"),
      RuleExample("CREATE UNLOGGED TABLE imports (id bigint);\nALTER TABLE imports SET LOGGED;"),
      RuleExample("ALTER TABLE users SET (fillfactor = 70);"),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️SET UNLOGGED;"),
      RuleExample("ALTER TABLE orders ⚠️SET TABLESPACE fast_ssd;"),
      RuleExample("ALTER TABLE orders ⚠️SET ACCESS METHOD heap2;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table), context.effect.rewritesTable
    else { return [] }
    let table = context.sqlName(alter.table)
    let copy = context.generatedName([alter.table.name.value, "new"])
    let old = context.generatedName([alter.table.name.value, "old"])
    var violations: [Violation] = []
    for action in alter.actions {
      let what: String
      let help: String
      switch action.kind {
      case .setTablespace(let tablespace):
        what = "SET TABLESPACE copies all of \(table)"
        help = """
          Move it online with pg_repack, which holds the strong lock only at the end:
            pg_repack --table=\(alter.table) --tablespace=\(tablespace.value) --moveidx <database>
          """
      case .setLogged, .setUnlogged, .setAccessMethod:
        what = "\(context.text(action.range)) rewrites all of \(table)"
        help = """
          There is no online form. Either run it in a maintenance window with a short \
          lock_timeout, or build a copy with the new storage, fill it in batches, and swap:
            CREATE TABLE \(copy) (LIKE \(table) INCLUDING ALL);  -- with the new storage
            -- copy rows in key batches and keep \(copy) in sync with a trigger
            ALTER TABLE \(table) RENAME TO \(old);
            ALTER TABLE \(copy) RENAME TO \(table);
          """
      default:
        continue
      }
      violations.append(
        Violation(
          message: "\(what) under an ACCESS EXCLUSIVE lock that blocks reads and writes",
          help: help,
          range: action.range
        )
      )
    }
    return violations
  }
}
