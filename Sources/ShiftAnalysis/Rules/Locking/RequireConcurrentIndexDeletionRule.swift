import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Drop indexes of existing tables with `DROP INDEX CONCURRENTLY`.
public struct RequireConcurrentIndexDeletionRule: Rule {
  public static let description = RuleDescription(
    id: "require-concurrent-index-deletion",
    summary: "Drop indexes of existing tables with DROP INDEX CONCURRENTLY.",
    rationale: """
      A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself \
      is quick, but while it waits for running queries every later query on the table queues \
      behind it. DROP INDEX CONCURRENTLY waits without blocking others; it must run outside \
      a transaction block, one index at a time.
      """,
    defaultSeverity: .warning,
    category: .locking,
    nonTriggering: [
      RuleExample(
        "DROP INDEX CONCURRENTLY IF EXISTS users_name_idx;",
        schema: RuleExample.defaultSchema + "\nCREATE INDEX users_name_idx ON users (name);"
      ),
      RuleExample(
        "DROP INDEX CONCURRENTLY orders_status_idx;",
        schema: RuleExample.defaultSchema + "\nCREATE INDEX orders_status_idx ON orders (status);"
      ),
      RuleExample(
        "CREATE TABLE visits (id bigint, path text);\nCREATE INDEX visits_path_idx ON visits (path);\nDROP INDEX visits_path_idx;"
      ),
    ],
    triggering: [
      RuleExample(
        "⚠️DROP INDEX users_name_idx;",
        schema: RuleExample.defaultSchema + "\nCREATE INDEX users_name_idx ON users (name);"
      ),
      RuleExample(
        "⚠️DROP INDEX IF EXISTS orders_status_idx, orders_user_id_idx;",
        schema: RuleExample.defaultSchema
          + "\nCREATE INDEX orders_status_idx ON orders (status);"
          + "\nCREATE INDEX orders_user_id_idx ON orders (user_id);"
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .drop(let drop) = context.statement.kind, drop.objectType == .index,
      !drop.isConcurrent
    else { return [] }
    var tables: [String] = []
    var names: [String] = []
    for name in drop.names {
      if let index = context.catalog.index(named: name) {
        guard index.constraintName == nil, context.isExistingRelation(index.table) else {
          continue
        }
        tables.append(context.sqlName(index.table))
      }
      names.append(context.sqlName(name))
    }
    guard !names.isEmpty else { return [] }
    let on = tables.isEmpty ? "its table" : Array(Set(tables)).sorted().joined(separator: ", ")
    let drops = names.map { "  DROP INDEX CONCURRENTLY IF EXISTS \($0);" }
    return [
      Violation(
        message:
          "DROP INDEX \(names.joined(separator: ", ")) takes an ACCESS EXCLUSIVE lock on \(on): every query on it queues while the drop waits",
        help: "Drop without blocking, outside any transaction block, one index per statement:\n"
          + drops.joined(separator: "\n"),
        range: context.statement.range
      )
    ]
  }
}
