import ShiftBackfill
import ShiftDatabase
import ShiftDeploy
import ShiftPlanner
import ShiftSyntax

/// Runs a plan's backfill steps for `deploy migrate` with the backfill engine
/// (`ShiftBackfill`), on the deploy's own session.
///
/// One worker walks the spec's keyset (or `ctid` ranges) in adaptive batches, each one short
/// transaction with the spec's timeouts and its checkpoint in the ledger
/// (`safeshift.backfill*` / `safeshift_backfill*`), so a deploy killed in the middle of a
/// backfill resumes from the last checkpoint when `deploy migrate` runs again. More workers
/// can join the same backfill with `safeshift backfill SPEC --database-url …` (they claim
/// the remaining ranges); the step is recorded as done once every range is.
struct EngineBackfillRunner: BackfillRunning {
  var log: (String) -> Void = { _ in }

  mutating func run(
    _ spec: BackfillSpec,
    context: BackfillContext,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> BackfillOutcome {
    let target =
      context.dialect == .postgres
      ? try PostgresTarget.resolve(spec, on: &session)
      : try SQLiteTarget.resolve(spec, on: &session)
    let job = BackfillJob(
      sql: target.sql,
      estimatedRows: target.estimatedRows,
      options: BackfillOptions(
        workerName: "deploy:\(context.migrationID):\(context.stepID)",
        tuning: BackfillOptions.tuning(for: spec.batch, base: BackfillTuning())
      )
    )
    let summary = try job.runInline(on: &session)
    if !summary.failedRanges.isEmpty {
      throw DeployError(
        .configuration,
        "backfill \(spec.name) left key ranges undone: "
          + summary.failedRanges.joined(separator: ", ")
          + "; fix the cause and run `deploy migrate` again (it resumes from the ledger)"
      )
    }
    let progress = summary.progress
    log(
      "backfill \(spec.name): \(summary.rowsChanged) rows changed; ledger \(progress.keysDone) "
        + "of ~\(progress.keysEstimated) rows, \(progress.rangesDone)/\(progress.ranges) ranges done"
    )
    return BackfillOutcome(rowsChanged: summary.rowsChanged, batches: summary.batches)
  }
}
