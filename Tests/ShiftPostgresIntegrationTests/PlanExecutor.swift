import ShiftAnalysis
import ShiftDatabase
import ShiftPlanner
import ShiftPostgres
import ShiftSyntax

/// Runs a plan's phases the way `deploy` will: each step skipped when its `skipIf` finds
/// its work done, its cleanup first, then its statements in one transaction (or one by one)
/// with its timeouts; backfills through a minimal keyset batch loop (until the backfill
/// engine exists).
enum PlanExecutor {
  static func run(_ phase: MigrationPhase, of plan: Plan, on connection: inout PostgresConnection)
    throws
  {
    for step in plan.steps(in: phase) {
      if let skip = step.skipIf, try !connection.query(skip, []).isEmpty { continue }
      if let spec = step.backfill {
        try backfill(spec, on: &connection)
        continue
      }
      for statement in step.cleanup { try connection.execute(statement) }
      if step.isInTransaction {
        try connection.execute("BEGIN")
        do {
          try connection.execute("SET LOCAL lock_timeout = '\(step.lockTimeout)'")
          try connection.execute("SET LOCAL statement_timeout = '\(step.statementTimeout)'")
          for statement in step.statements { try connection.execute(statement) }
          try connection.execute("COMMIT")
        } catch {
          try? connection.execute("ROLLBACK")
          throw error
        }
      } else {
        try connection.execute("SET lock_timeout = '\(step.lockTimeout)'")
        try connection.execute("SET statement_timeout = '\(step.statementTimeout)'")
        for statement in step.statements { try connection.execute(statement) }
      }
    }
  }

  /// Keyset batches over a single-column key, upper bound frozen at start.
  static func backfill(
    _ spec: BackfillSpec,
    on connection: inout PostgresConnection,
    batchSize: Int = 2
  ) throws {
    guard spec.keyColumns.count == 1, let keyName = spec.keyColumns.first else {
      throw DriverError(
        .statementFailed(sqlstate: "XX000"),
        message: "test executor: one key column only"
      )
    }
    let table = SQLIdentifier.quote(spec.schema) + "." + SQLIdentifier.quote(spec.table)
    let key = SQLIdentifier.quote(keyName)
    guard
      let upper = try connection.query("SELECT max(\(key))::text FROM \(table)", []).first?.first
        ?? nil
    else { return }
    var last =
      try connection.query("SELECT (min(\(key)) - 1)::text FROM \(table)", []).first?.first ?? nil
    let filter = spec.rowFilter.map { " AND (\($0))" } ?? ""
    while let lower = last {
      let rows = try connection.query(
        "SELECT \(key)::text FROM \(table) WHERE \(key) > $1 AND \(key) <= $2 ORDER BY \(key) LIMIT \(batchSize)",
        [lower, upper]
      )
      guard let next = rows.last?.first ?? nil else { break }
      let change: String
      switch spec.operation {
      case .update:
        let set = spec.assignments.map { SQLIdentifier.quote($0.column) + " = " + $0.expression }
          .joined(separator: ", ")
        change = "UPDATE \(table) SET \(set) WHERE \(key) > $1 AND \(key) <= $2\(filter)"
      case .delete:
        change = "DELETE FROM \(table) WHERE \(key) > $1 AND \(key) <= $2\(filter)"
      }
      try connection.execute("BEGIN")
      try connection.execute("SET LOCAL lock_timeout = '\(spec.batch.lockTimeout)'")
      try connection.execute("SET LOCAL statement_timeout = '\(spec.batch.statementTimeout)'")
      _ = try connection.query(change, [lower, next])
      try connection.execute("COMMIT")
      last = next
    }
  }
}
