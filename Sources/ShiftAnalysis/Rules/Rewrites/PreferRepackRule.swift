import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `VACUUM FULL` and `CLUSTER` rewrite the table under ACCESS EXCLUSIVE; pg_repack does not.
public struct PreferRepackRule: Rule {
  public static let description = RuleDescription(
    id: "prefer-repack",
    summary: "Compact or reorder existing tables with pg_repack, not VACUUM FULL or CLUSTER.",
    rationale: """
      VACUUM FULL and CLUSTER copy the whole table and rebuild its indexes while holding an \
      ACCESS EXCLUSIVE lock: nothing can read or write the table until they finish. pg_repack \
      (or pg_squeeze) does the same work online and holds the strong lock only for a moment \
      at the end. Plain VACUUM reclaims space for reuse without any of this.
      """,
    defaultSeverity: .warning,
    category: .rewrites,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("VACUUM users;"),
      RuleExample("VACUUM (ANALYZE) orders;"),
      RuleExample("ALTER TABLE users CLUSTER ON users_pkey;"),
      RuleExample(
        "CREATE TABLE visits (id bigint PRIMARY KEY);\nCLUSTER visits USING visits_pkey;"
      ),
    ],
    triggering: [
      RuleExample("⚠️VACUUM FULL users;"),
      RuleExample("⚠️VACUUM (FULL, ANALYZE) orders;"),
      RuleExample("⚠️CLUSTER orders USING orders_pkey;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    let command: String
    var order = ""
    switch context.statement.kind {
    case .vacuum(let vacuum) where vacuum.isFull:
      command = "VACUUM FULL"
    case .cluster(let cluster) where !cluster.names.isEmpty:
      command = "CLUSTER"
      order = " --order-by=<columns of the clustering index>"
    default:
      return []
    }
    let tables = context.effect.rewrittenRelations.filter { context.isExistingRelation($0) }
    guard !tables.isEmpty else { return [] }
    let names = tables.map { context.sqlName($0) }
    let repack = tables.map { "  pg_repack --table=\($0.schema).\($0.name)\(order) <database>" }
    return [
      Violation(
        message:
          "\(command) rewrites \(names.joined(separator: ", ")) under an ACCESS EXCLUSIVE lock that blocks reads and writes until it finishes",
        help: "Repack online instead (the pg_repack extension must be installed):\n"
          + repack.joined(separator: "\n"),
        range: context.statement.range
      )
    ]
  }
}
