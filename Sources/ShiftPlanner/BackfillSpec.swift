/// A declarative backfill: which rows of which table to change, and how, in keyset batches.
///
/// The backfill engine runs it (`docs/plan-format.md` documents the JSON form): it walks the
/// table in key order from the smallest key to the largest one seen at start, and for each
/// batch runs, in one short transaction with the batch's timeouts,
/// `UPDATE table SET col = expr, … WHERE key > last AND key <= next AND (filter)` (or a
/// `DELETE` with the same condition). Expressions and the filter are SQL over the table's own
/// columns, taken from the user's migration or generated from quoted identifiers.
public struct BackfillSpec: Sendable, Hashable {
  /// What each batch does.
  public enum Operation: String, Sendable, Hashable {
    case update
    case delete
  }

  /// One `column = expression` of an update.
  public struct Assignment: Sendable, Hashable {
    /// The column set (unquoted name).
    public var column: String
    /// The SQL expression, over the row's columns.
    public var expression: String

    /// Creates an assignment.
    public init(column: String, expression: String) {
      self.column = column
      self.expression = expression
    }
  }

  /// How batches are sized and bounded.
  public struct BatchSettings: Sendable, Hashable {
    /// The time one batch should take; the engine sizes batches to it.
    public var targetBatchMilliseconds: Int
    /// The smallest batch (rows).
    public var minBatchSize: Int
    /// The largest batch (rows).
    public var maxBatchSize: Int
    /// The first batch's size.
    public var initialBatchSize: Int
    /// `SET LOCAL lock_timeout` of each batch.
    public var lockTimeout: String
    /// `SET LOCAL statement_timeout` of each batch.
    public var statementTimeout: String

    /// Creates batch settings.
    public init(
      targetBatchMilliseconds: Int = 200,
      minBatchSize: Int = 100,
      maxBatchSize: Int = 10_000,
      initialBatchSize: Int = 1000,
      lockTimeout: String = "2s",
      statementTimeout: String = "30s"
    ) {
      self.targetBatchMilliseconds = targetBatchMilliseconds
      self.minBatchSize = minBatchSize
      self.maxBatchSize = maxBatchSize
      self.initialBatchSize = initialBatchSize
      self.lockTimeout = lockTimeout
      self.statementTimeout = statementTimeout
    }
  }

  /// The spec's name, unique in the plan (`01-users-full_name`); the file is
  /// `backfills/<name>.json`.
  public var name: String
  /// The table's schema.
  public var schema: String
  /// The table.
  public var table: String
  /// Keyset columns, in order.
  ///
  /// The primary key, or a unique key of NOT NULL columns (`rowid` on SQLite). Empty
  /// when the table has neither (the engine falls back to `ctid` ranges).
  public var keyColumns: [String]
  /// What each batch does.
  public var operation: Operation
  /// For updates: the assignments.
  public var assignments: [Assignment]
  /// Only rows matching this SQL condition are changed (`nil`: all).
  public var rowFilter: String?
  /// Batch sizing and timeouts.
  public var batch: BatchSettings

  /// Creates a spec.
  public init(
    name: String,
    schema: String,
    table: String,
    keyColumns: [String],
    operation: Operation,
    assignments: [Assignment] = [],
    rowFilter: String? = nil,
    batch: BatchSettings = BatchSettings()
  ) {
    self.name = name
    self.schema = schema
    self.table = table
    self.keyColumns = keyColumns
    self.operation = operation
    self.assignments = assignments
    self.rowFilter = rowFilter
    self.batch = batch
  }
}
