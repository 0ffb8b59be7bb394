public import ShiftDatabase
public import ShiftPlanner
public import ShiftSyntax

/// What a backfill runner is told besides the spec.
public struct BackfillContext: Sendable {
  /// The migration the backfill belongs to.
  public var migrationID: String
  /// The plan step running it.
  public var stepID: String
  /// The target's dialect.
  public var dialect: Dialect
  /// The connection string, for runners that open more sessions (parallel workers).
  ///
  /// Never print it: it may hold a password.
  public var connectionString: String

  /// Creates a context.
  public init(migrationID: String, stepID: String, dialect: Dialect, connectionString: String) {
    self.migrationID = migrationID
    self.stepID = stepID
    self.dialect = dialect
    self.connectionString = connectionString
  }
}

/// What a finished backfill reports.
public struct BackfillOutcome: Sendable, Hashable {
  /// Rows changed (updated or deleted).
  public var rowsChanged: Int
  /// Batches run.
  public var batches: Int

  /// Creates an outcome.
  public init(rowsChanged: Int, batches: Int) {
    self.rowsChanged = rowsChanged
    self.batches = batches
  }
}

/// The seam between `deploy migrate` and whatever runs a backfill spec.
///
/// `deploy` calls ``run(_:context:session:)`` for each backfill step that is not done and
/// not skipped, then records the step as done. The runner must be resumable: after a crash
/// the step runs again from the start of the spec, so it must either keep its own
/// checkpoints (the backfill engine's ledger tables) or only touch rows that still need it
/// (the spec's `where` makes updates no-ops for rows already right). It must bind values,
/// quote identifiers, and keep each batch a short transaction with the spec's timeouts.
///
/// The CLI passes `EngineBackfillRunner`, the backfill engine (`ShiftBackfill`) with one
/// worker on the deploy's session; tests pass runners of their own.
public protocol BackfillRunning {
  /// Runs the backfill to completion on `session` (or on sessions of its own).
  ///
  /// - Throws: a `DriverError` with the SQLSTATE of the failing batch, or any error that
  ///   says why the backfill stopped.
  mutating func run(
    _ spec: BackfillSpec,
    context: BackfillContext,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> BackfillOutcome
}
