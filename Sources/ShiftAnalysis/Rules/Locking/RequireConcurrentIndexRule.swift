import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Build indexes on existing tables with `CREATE INDEX CONCURRENTLY`.
///
/// A plain `CREATE INDEX` takes a SHARE lock: every INSERT, UPDATE and DELETE on the table
/// waits until the whole index is built, minutes on a big table.
public struct RequireConcurrentIndexRule: Rule {
  public static let description = RuleDescription(
    id: "require-concurrent-index",
    summary: "Build indexes on existing tables with CREATE INDEX CONCURRENTLY.",
    rationale: """
      CREATE INDEX without CONCURRENTLY holds a SHARE lock on the table for the whole build: \
      reads go on, but every write waits. CONCURRENTLY builds the index with a SHARE UPDATE \
      EXCLUSIVE lock that lets writes continue, at the price of two table scans and of not \
      running inside a transaction block.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);"),
      RuleExample(
        "CREATE TABLE events (id bigint, kind text);\nCREATE INDEX events_kind_idx ON events (kind);"
      ),
    ],
    triggering: [
      RuleExample("⚠️CREATE INDEX orders_user_id_idx ON orders (user_id);"),
      RuleExample("⚠️create unique index users_email_key on users (lower(email));"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .createIndex(let index) = context.statement.kind, !index.isConcurrent,
      context.isExistingTable(index.table)
    else { return [] }
    let table = context.sqlName(index.table)
    let name = index.name.map { context.sqlName($0) }
    var help = "Build it without blocking writes, outside any transaction block:\n  "
    help += context.statementText(inserting: "CONCURRENTLY", after: .index) + ";"
    if let name {
      help += "\nIf the build fails it leaves an INVALID index behind; drop it before retrying:\n"
      help += "  DROP INDEX CONCURRENTLY IF EXISTS \(name);"
    }
    return [
      Violation(
        message: "CREATE INDEX blocks all writes to \(table) (SHARE lock) until the index is built",
        help: help,
        range: context.statement.range
      )
    ]
  }
}
