import ShiftAnalysis
import ShiftBackfill
import ShiftDatabase
import ShiftPlanner
import ShiftPostgres
import ShiftSyntax

/// Runs a plan's phases the way `deploy` will: each step skipped when its `skipIf` finds
/// its work done, its cleanup first, then its statements in one transaction (or one by one)
/// with its timeouts; backfills through the backfill engine.
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

  /// Runs a backfill with the real engine, one worker on this connection, in batches of
  /// `batchSize` keys at first.
  static func backfill(
    _ spec: BackfillSpec,
    on connection: inout PostgresConnection,
    batchSize: Int = 2
  ) throws {
    var spec = spec
    spec.batch.initialBatchSize = batchSize
    spec.batch.minBatchSize = 1
    let target = try PostgresTarget.resolve(spec, on: &connection)
    let job = BackfillJob(
      sql: target.sql,
      estimatedRows: target.estimatedRows,
      options: BackfillOptions(workerName: "plan-executor", seed: 1)
    )
    _ = try job.runInline(on: &connection)
  }
}
