import Foundation
import ShiftDatabase
import ShiftDeploy
import ShiftPlanner
import ShiftSyntax

/// The backfill runner `deploy migrate` uses until the backfill engine replaces it: a
/// plain keyset walk in fixed-size batches, each one short transaction.
///
/// The upper key bound is read once at the start (rows inserted later are the sync
/// triggers' job), each batch finds its upper key with `ORDER BY key LIMIT n` (never
/// `OFFSET`), then runs the spec's `UPDATE`/`DELETE` between the two bounds with
/// `SET LOCAL lock_timeout`/`statement_timeout` from the spec; keys are bound, identifiers
/// quoted. It keeps no checkpoints: a rerun walks the table again, and the spec's `where`
/// makes rows already right cost nothing. Lock timeouts and deadlocks of a batch are
/// retried with backoff. Tables without a key (ctid ranges) are not supported here.
///
/// Merge seam: the backfill engine conforms to ``BackfillRunning`` and is passed to
/// ``StageRunner`` instead of this type (one line in `DeployCommand`).
struct KeysetBackfillRunner: BackfillRunning {
  var sleeper: any DeploySleeper = ThreadSleeper()
  var log: (String) -> Void = { _ in }
  var maxAttempts = 10

  static func quote(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func table(_ spec: BackfillSpec, dialect: Dialect) -> String {
    if dialect == .sqlite, spec.schema == "main" || spec.schema.isEmpty {
      return quote(spec.table)
    }
    return quote(spec.schema) + "." + quote(spec.table)
  }

  /// `$1, $2` (PostgreSQL) or `?1, ?2` (SQLite) from `start`.
  static func parameters(_ count: Int, from start: Int, dialect: Dialect) -> [String] {
    (0..<count).map { (dialect == .postgres ? "$" : "?") + String(start + $0) }
  }

  static func tuple(_ items: [String]) -> String {
    items.count == 1 ? items[0] : "(" + items.joined(separator: ", ") + ")"
  }

  mutating func run(
    _ spec: BackfillSpec,
    context: BackfillContext,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> BackfillOutcome {
    guard !spec.keyColumns.isEmpty else {
      throw DeployError(
        .configuration,
        "backfill \(spec.name): \(spec.schema).\(spec.table) has no key; the built-in keyset "
          + "runner needs one (the backfill engine handles ctid ranges)"
      )
    }
    let dialect = context.dialect
    let table = Self.table(spec, dialect: dialect)
    let keys = spec.keyColumns.map(Self.quote)
    let keyList = keys.joined(separator: ", ")
    let descending = keys.map { $0 + " DESC" }.joined(separator: ", ")
    let upperRows = try session.query(
      "SELECT \(keyList) FROM \(table) ORDER BY \(descending) LIMIT 1",
      []
    )
    guard let upper = upperRows.first else { return BackfillOutcome(rowsChanged: 0, batches: 0) }
    let count = keys.count
    var last: [String?]? = nil
    var batches = 0
    var changed = 0
    let size = max(1, spec.batch.initialBatchSize)
    while true {
      // The next batch's upper key: the n-th key after `last`, bounded by the frozen upper.
      var parameters: [String?] = []
      var condition =
        "\(Self.tuple(keys)) <= \(Self.tuple(Self.parameters(count, from: 1, dialect: dialect)))"
      parameters += upper
      if let last {
        condition +=
          " AND \(Self.tuple(keys)) > \(Self.tuple(Self.parameters(count, from: count + 1, dialect: dialect)))"
        parameters += last
      }
      let boundary = try session.query(
        "SELECT \(keyList) FROM (SELECT \(keyList) FROM \(table) WHERE \(condition) "
          + "ORDER BY \(keyList) LIMIT \(size)) AS batch ORDER BY \(descending) LIMIT 1",
        parameters
      )
      guard let next = boundary.first else { break }
      changed += try runBatch(
        spec,
        table: table,
        keys: keys,
        from: last,
        to: next,
        dialect: dialect,
        session: &session
      )
      batches += 1
      last = next
      if next == upper { break }
    }
    return BackfillOutcome(rowsChanged: changed, batches: batches)
  }

  private func runBatch(
    _ spec: BackfillSpec,
    table: String,
    keys: [String],
    from last: [String?]?,
    to next: [String?],
    dialect: Dialect,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> Int {
    let count = keys.count
    var condition =
      "\(Self.tuple(keys)) <= \(Self.tuple(Self.parameters(count, from: 1, dialect: dialect)))"
    var parameters: [String?] = next
    if let last {
      condition +=
        " AND \(Self.tuple(keys)) > \(Self.tuple(Self.parameters(count, from: count + 1, dialect: dialect)))"
      parameters += last
    }
    if let filter = spec.rowFilter { condition += " AND (\(filter))" }
    let statement: String
    switch spec.operation {
    case .update:
      let set = spec.assignments.map { Self.quote($0.column) + " = " + $0.expression }
        .joined(separator: ", ")
      statement = "UPDATE \(table) SET \(set) WHERE \(condition) RETURNING 1"
    case .delete:
      statement = "DELETE FROM \(table) WHERE \(condition) RETURNING 1"
    }
    var attempt = 1
    while true {
      do {
        try session.execute(dialect == .postgres ? "BEGIN" : "BEGIN IMMEDIATE")
        do {
          if dialect == .postgres {
            _ = try session.query(
              "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
              [spec.batch.lockTimeout, spec.batch.statementTimeout]
            )
          }
          let rows = try session.query(statement, parameters)
          try session.execute("COMMIT")
          return rows.count
        } catch {
          try? session.execute("ROLLBACK")
          throw error
        }
      } catch let error as DriverError {
        let retryable: Bool
        switch error.kind {
        case .lockTimeout, .deadlockDetected, .serializationFailure: retryable = true
        case .sqliteError(let code): retryable = code & 0xff == 5 || code & 0xff == 6
        default: retryable = false
        }
        guard retryable, attempt < maxAttempts else { throw error }
        let delay = min(200 * (1 << min(attempt, 6)), 10_000)
        log(
          "backfill \(spec.name): batch retry \(attempt + 1) in \(delay) ms (SQLSTATE \(error.sqlstate ?? "-"))"
        )
        sleeper.sleep(milliseconds: Int.random(in: (delay / 2)...delay))
        attempt += 1
      }
    }
  }
}
