import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Detach partitions of existing tables with `DETACH PARTITION … CONCURRENTLY` (PG 14+).
public struct RequireConcurrentPartitionDetachRule: Rule {
  public static let description = RuleDescription(
    id: "require-concurrent-partition-detach",
    summary: "Detach partitions with DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+).",
    rationale: """
      DETACH PARTITION takes an ACCESS EXCLUSIVE lock on the partitioned table: every query \
      on any partition waits for it, and queues behind it while it waits. Since PostgreSQL \
      14 DETACH PARTITION … CONCURRENTLY takes only SHARE UPDATE EXCLUSIVE on the parent; \
      it must run outside a transaction block and not with a DEFAULT partition.
      """,
    defaultSeverity: .warning,
    category: .locking,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE purchases DETACH PARTITION purchases_2025 CONCURRENTLY;",
        schema: Self.schema
      ),
      RuleExample(
        "ALTER TABLE purchases DETACH PARTITION purchases_2025;",
        schema: Self.schema,
        pgVersion: 13
      ),
      RuleExample(
        "CREATE TABLE visits (id bigint, day date) PARTITION BY RANGE (day);\nCREATE TABLE visits_2025 PARTITION OF visits FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');\nALTER TABLE visits DETACH PARTITION visits_2025;"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE purchases ⚠️DETACH PARTITION purchases_2025;", schema: Self.schema)
    ]
  )

  static let schema = """
    CREATE TABLE purchases (id bigint, placed_at date) PARTITION BY RANGE (placed_at);
    CREATE TABLE purchases_2025 PARTITION OF purchases
      FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.pgVersion >= 14, case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .detachPartition(let name, false, false) = action.kind else { continue }
      let partition = context.sqlName(name)
      violations.append(
        Violation(
          message:
            "DETACH PARTITION takes an ACCESS EXCLUSIVE lock on \(table), blocking queries on all its partitions",
          help: """
            Detach without blocking, outside any transaction block (not possible while \
            \(table) has a DEFAULT partition):
              ALTER TABLE \(table) DETACH PARTITION \(partition) CONCURRENTLY;
            """,
          range: action.range
        )
      )
    }
    return violations
  }
}
