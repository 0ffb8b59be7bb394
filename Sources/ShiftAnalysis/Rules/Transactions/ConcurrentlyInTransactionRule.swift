import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `CONCURRENTLY` (and `VACUUM`) cannot run inside a transaction block.
public struct ConcurrentlyInTransactionRule: Rule {
  public static let description = RuleDescription(
    id: "concurrently-in-transaction",
    summary: "Run CONCURRENTLY statements outside transaction blocks.",
    rationale: """
      CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY and \
      VACUUM refuse to run inside a transaction block: the migration fails with \
      "cannot run inside a transaction block". Runners that wrap each file in a transaction \
      need their opt-out marker for such files.
      """,
    defaultSeverity: .error,
    category: .transactions,
    nonTriggering: [
      RuleExample("CREATE INDEX CONCURRENTLY users_email_idx ON users (email);"),
      RuleExample("BEGIN;\nCREATE INDEX users_email_idx ON users (email);\nCOMMIT;"),
    ],
    triggering: [
      RuleExample("BEGIN;\n⚠️CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;"),
      RuleExample("⚠️DROP INDEX CONCURRENTLY users_pkey_old;", assumeInTransaction: true),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.effect.transaction.isIllegalInTransaction else { return [] }
    let why =
      context.statement.isInTransactionBlock
      ? "it is inside BEGIN … COMMIT"
      : "the runner wraps this file in a transaction"
    var names = context.statement.tablesTouched
    if case .drop(let drop) = context.statement.kind { names += drop.names }
    if case .reindex(let reindex) = context.statement.kind, let name = reindex.name {
      names.append(name)
    }
    let tables = names.map { context.sqlName($0) }
    let subject =
      tables.isEmpty ? "this statement" : "this statement on \(tables.joined(separator: ", "))"
    return [
      Violation(
        message:
          "\(subject) cannot run inside a transaction block (\(why)); the migration will fail",
        help: """
          Move it to a migration of its own that runs without a transaction (for example \
          goose's `-- +goose NO TRANSACTION`, dbmate's `-- migrate:up transaction:false`, \
          Atlas's `-- atlas:txmode none`), and keep nothing else in that file.
          """,
        range: context.statement.range
      )
    ]
  }
}
