import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Slow statements in a transaction that already holds ACCESS EXCLUSIVE on an existing table.
public struct StatementsAfterAccessExclusiveRule: Rule {
  public static let description = RuleDescription(
    id: "statements-after-access-exclusive",
    summary:
      "Commit right after taking ACCESS EXCLUSIVE; scan and backfill in another transaction.",
    rationale: """
      Locks are held until the transaction ends. Once a statement has taken ACCESS EXCLUSIVE \
      on a table, nobody can read or write it until COMMIT, so every later scan, index \
      build, rewrite or backfill in the same transaction extends the outage by its full \
      duration. A brief ALTER followed by COMMIT is harmless; the same ALTER followed by an \
      UPDATE of every row is not.
      """,
    defaultSeverity: .warning,
    category: .transactions,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE users ADD COLUMN nickname text;\nUPDATE users SET nickname = name WHERE id < 1000;"
      ),
      RuleExample(
        "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users ALTER COLUMN nickname SET DEFAULT '';\nCOMMIT;"
      ),
      RuleExample(
        "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;\nBEGIN;\nUPDATE users SET nickname = name;\nCOMMIT;"
      ),
      RuleExample(
        "BEGIN;\nCREATE TABLE visits (id bigint, path text);\nCREATE INDEX visits_path_idx ON visits (path);\nCOMMIT;"
      ),
    ],
    triggering: [
      RuleExample(
        "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\n⚠️UPDATE users SET nickname = name;\nCOMMIT;"
      ),
      RuleExample(
        "ALTER TABLE orders ADD COLUMN note text;\n⚠️CREATE INDEX orders_status_idx ON orders (status);",
        assumeInTransaction: true
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    let transaction = context.effect.transaction
    guard transaction.isInTransaction else { return [] }
    let held = transaction.heldLocks.filter {
      $0.mode == .accessExclusive && !$0.isNewRelation && $0.relation != nil
    }
    guard !held.isEmpty, isSlow(context), !ValidateInSameTransactionRule.isReported(context)
    else { return [] }
    let list = held.compactMap(\.relation).map { context.sqlName($0) }.joined(separator: ", ")
    return [
      Violation(
        message:
          "runs while this transaction holds ACCESS EXCLUSIVE on \(list): reads and writes of it stay blocked for this whole statement",
        help: """
          End the transaction right after the statement that locks \(list), and run this one \
          in its own (in batches if it changes many rows):
            COMMIT;
            \(context.sql);
          """,
        range: context.statement.range
      )
    ]
  }

  /// Whether the statement reads or rewrites an existing table, or changes its rows.
  private func isSlow(_ context: RuleContext) -> Bool {
    let effect = context.effect
    let heavy = effect.scannedRelations + effect.rewrittenRelations
    if heavy.contains(where: { context.isExistingRelation($0) }) { return true }
    guard case .dataChange(let change) = context.statement.kind,
      change.operation != .insert || change.hasQuery
    else { return false }
    return context.isExistingTable(change.table)
  }
}
