import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Rebuild indexes of existing tables with `REINDEX … CONCURRENTLY` (PostgreSQL 12+).
public struct RequireConcurrentReindexRule: Rule {
  public static let description = RuleDescription(
    id: "require-concurrent-reindex",
    summary: "Rebuild indexes of existing tables with REINDEX CONCURRENTLY (PostgreSQL 12+).",
    rationale: """
      REINDEX without CONCURRENTLY takes a SHARE lock on the table, blocking every write, and \
      an ACCESS EXCLUSIVE lock on each index it rebuilds, blocking the reads that would use \
      it, for the whole rebuild. Since PostgreSQL 12, REINDEX CONCURRENTLY builds a new copy \
      next to the old one with only SHARE UPDATE EXCLUSIVE, outside a transaction block.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("REINDEX INDEX CONCURRENTLY users_pkey;"),
      RuleExample("REINDEX TABLE orders;", pgVersion: 11),
      RuleExample("CREATE TABLE visits (id bigint PRIMARY KEY);\nREINDEX TABLE visits;"),
    ],
    triggering: [
      RuleExample("⚠️REINDEX INDEX users_pkey;"),
      RuleExample("⚠️REINDEX TABLE orders;", pgVersion: 12),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.pgVersion >= 12, case .reindex(let reindex) = context.statement.kind,
      !reindex.isConcurrent
    else { return [] }
    let keyword: Keyword
    switch reindex.target {
    case .index: keyword = .index
    case .table: keyword = .table
    case .schema: keyword = .schema
    case .database: keyword = .database
    default: return []  // REINDEX SYSTEM has no concurrent form
    }
    let tables = context.effect.locks.compactMap { lock in
      lock.relation.flatMap { !lock.isNewRelation ? context.sqlName($0) : nil }
    }
    guard !tables.isEmpty else { return [] }
    let on = tables.count > 3 ? "\(tables.count) tables" : tables.joined(separator: ", ")
    return [
      Violation(
        message:
          "REINDEX blocks all writes to \(on) (SHARE lock) and reads through the rebuilt indexes until it finishes",
        help: """
          Rebuild without blocking, outside any transaction block:
            \(context.statementText(inserting: "CONCURRENTLY", after: keyword));
          """,
        range: context.statement.range
      )
    ]
  }
}
