import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `CREATE INDEX CONCURRENTLY IF NOT EXISTS` keeps an INVALID index left by a failed run.
public struct ConcurrentIndexRetryRule: Rule {
  public static let description = RuleDescription(
    id: "concurrent-index-retry",
    summary: "Drop a leftover invalid index before CREATE INDEX CONCURRENTLY IF NOT EXISTS.",
    rationale: """
      When CREATE INDEX CONCURRENTLY fails (a deadlock, a duplicate key, a cancelled \
      deploy) it leaves an INVALID index behind that is maintained on every write but never \
      used. Re-running the migration with IF NOT EXISTS then finds the name taken and does \
      nothing: the migration succeeds and the index stays broken. Dropping it first, \
      concurrently and IF EXISTS, makes the retry really build it.
      """,
    defaultSeverity: .warning,
    category: .transactions,
    nonTriggering: [
      RuleExample(
        "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);"
      ),
      RuleExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"),
      RuleExample(
        "CREATE TABLE visits (id bigint, path text);\nCREATE INDEX IF NOT EXISTS visits_path_idx ON visits (path);"
      ),
    ],
    triggering: [
      RuleExample("⚠️CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);"),
      RuleExample(
        "⚠️CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_key ON orders (user_id);"
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .createIndex(let index) = context.statement.kind, index.isConcurrent,
      index.ifNotExists, let name = index.name, context.isExistingTable(index.table)
    else { return [] }
    guard !context.history.droppedIndexes.contains(context.catalog.normalize(name.name)) else {
      return []
    }
    let quoted = context.sqlName(name)
    return [
      Violation(
        message:
          "if an earlier run failed, IF NOT EXISTS keeps its INVALID index \(quoted) on \(context.sqlName(index.table)) and builds nothing",
        help: """
          Drop a leftover index first, then build it (both outside a transaction block):
            DROP INDEX CONCURRENTLY IF EXISTS \(quoted);
            \(context.sql);
          """,
        range: context.statement.range
      )
    ]
  }
}
