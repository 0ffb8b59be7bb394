import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftReport
import ShiftSchema
import ShiftSyntax

/// Where the static effect model and a trace disagree on one statement: table locks
/// (relation and strongest mode), rewritten tables and scanned tables.
///
/// Known, explained differences are returned apart and do not count as disagreements:
/// - locks of a statement run outside a transaction block: released before they could be
///   observed;
/// - a lock mode the transaction already held from an earlier statement: taking it again
///   leaves no trace in `pg_locks`;
/// - a scan of a table that had no rows: PostgreSQL's statistics count rows read, SQLite's
///   full-scan steps, and an empty table gives none;
/// - a sequential scan the planner chose for a data statement the model does not count
///   as a full scan (`UPDATE … WHERE` on an unindexed or small table): a plan, not a
///   property of the statement;
/// - SQLite: rewrites that keep the table's root page (`DROP COLUMN`, in place), scans by
///   DDL (its full-scan steps include `sqlite_schema`, so they are not attributed), and
///   `PRAGMA`s that change only the connection (the model counts every `PRAGMA` with a
///   value as a write).
enum TraceComparison {
  /// The outcome for one statement.
  struct Outcome: Equatable {
    var differences: [TraceStatement.Difference] = []
    var explained: [String] = []
  }

  /// `public.users` → `users`, `main.t` → `t`, others schema-qualified: as `lint` shows them.
  static func display(_ schema: String, _ name: String) -> String {
    schema == "public" || schema == "main" ? name : "\(schema).\(name)"
  }

  static func display(_ name: RelationName) -> String { display(name.schema, name.name) }

  static func display(_ lock: RelationLock) -> String {
    guard let name = lock.relation else { return "*" }
    return display(name.schema, name.name)
  }

  /// Compares the model's effect with the trace of the same statement.
  ///
  /// - Parameters:
  ///   - model: the effect model's verdict.
  ///   - traced: what the database did.
  ///   - statement: the statement (its kind decides which scans are plan-dependent).
  ///   - dialect: `postgres` or `sqlite`.
  ///   - tablesWithRows: tables known to hold rows before the statement; `nil` when every
  ///     table may (real data).
  /// - Returns: the disagreements and the explained differences.
  static func compare(
    model: StatementEffect,
    traced: TracedStatement,
    statement: Statement,
    dialect: Dialect,
    tablesWithRows: Set<String>?
  ) -> Outcome {
    var outcome = Outcome()
    let result = traced.result
    compareLocks(model: model, traced: traced, statement: statement, into: &outcome)
    // Rewrites.
    let modelRewrites = Set(model.rewrittenRelations.map { display($0.schema, $0.name) })
    let traceRewrites = Set(result.rewrittenTables.map(display))
    for relation in modelRewrites.union(traceRewrites).sorted() {
      let inModel = modelRewrites.contains(relation)
      let inTrace = traceRewrites.contains(relation)
      guard inModel != inTrace else { continue }
      if dialect == .sqlite, inModel {
        outcome.explained.append(
          "rewrite of \(relation) not observable: SQLite rewrote it in place or the model "
            + "counts the rebuild elsewhere (root page unchanged)"
        )
        continue
      }
      outcome.differences.append(
        .init(
          aspect: "rewrite",
          relation: relation,
          model: inModel ? "rewritten" : "not rewritten",
          trace: inTrace ? "rewritten" : "not rewritten"
        )
      )
    }
    // Scans.
    let modelScans = Set(model.scannedRelations.map { display($0.schema, $0.name) })
    let traceScans = Set(result.scannedTables.map(display))
    let emptyScans = Set(
      result.scans.filter { $0.sequentialScans > 0 && $0.rowsRead == 0 }.map { display($0.table) }
    )
    for relation in modelScans.union(traceScans).sorted() {
      let inModel = modelScans.contains(relation)
      let inTrace = traceScans.contains(relation)
      guard inModel != inTrace else { continue }
      if inModel {
        if emptyScans.contains(relation)
          || (tablesWithRows.map { !$0.contains(relation) } ?? false)
        {
          outcome.explained.append(
            "scan of \(relation) not observable: the table had no rows"
          )
          continue
        }
        if dialect == .sqlite, !isDataStatement(statement) {
          outcome.explained.append(
            "scan of \(relation) not observable: SQLite counts full-scan steps of the "
              + "statement's own program only"
          )
          continue
        }
      } else if isDataStatement(statement) {
        outcome.explained.append(
          "the planner chose a sequential scan of \(relation) (a plan, not a full-table "
            + "scan the statement requires)"
        )
        continue
      }
      outcome.differences.append(
        .init(
          aspect: "scan",
          relation: relation,
          model: inModel ? "scanned" : "not scanned",
          trace: inTrace ? "scanned" : "not scanned"
        )
      )
    }
    return outcome
  }

  private static func compareLocks(
    model: StatementEffect,
    traced: TracedStatement,
    statement: Statement,
    into outcome: inout Outcome
  ) {
    var modelLocks: [String: LockMode] = [:]
    for lock in model.locks {
      let name = display(lock)
      modelLocks[name] = max(modelLocks[name] ?? lock.mode, lock.mode)
    }
    let result = traced.result
    guard result.locksObserved else {
      if !modelLocks.isEmpty {
        let locks = modelLocks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        outcome.explained.append(
          "locks not observable: the statement ran outside a transaction block (model: "
            + locks.joined(separator: ", ") + ")"
        )
      }
      return
    }
    var traceLocks: [String: LockMode] = [:]
    for lock in result.locks where lock.relation.kind.isTableLike {
      let name = display(lock.relation.name)
      traceLocks[name] = max(traceLocks[name] ?? lock.mode, lock.mode)
    }
    var held: [String: Set<LockMode>] = [:]
    for lock in traced.locksHeldBefore {
      held[display(lock.relation.name), default: []].insert(lock.mode)
    }
    for relation in Set(modelLocks.keys).union(traceLocks.keys).sorted() {
      let expected = modelLocks[relation]
      let observed = traceLocks[relation]
      guard expected != observed else { continue }
      if relation == "*", observed == nil, case .pragma(let name, _) = statement.kind {
        outcome.explained.append(
          "PRAGMA \(name) changed the connection, not the database file: no write lock "
            + "(the model counts every PRAGMA with a value as a write)"
        )
        continue
      }
      if let expected, held[relation]?.contains(expected) ?? false,
        observed.map({ $0 < expected }) ?? true
      {
        outcome.explained.append(
          "\(relation) \(expected) was already held from an earlier statement of the "
            + "transaction, so taking it again is not visible"
        )
        continue
      }
      outcome.differences.append(
        .init(
          aspect: "lock",
          relation: relation,
          model: expected?.rawValue ?? "none",
          trace: observed?.rawValue ?? "none"
        )
      )
    }
  }

  /// INSERT, UPDATE, DELETE, MERGE, SELECT: statements whose reads depend on the plan.
  static func isDataStatement(_ statement: Statement) -> Bool {
    switch statement.kind {
    case .dataChange, .select: true
    default: false
    }
  }
}
