public import ShiftCore

/// What PostgreSQL really did while running one statement: the locks its backend held
/// afterwards, the relations whose storage was replaced, the rows it read, the relations it
/// created, dropped or altered, and how long it took.
///
/// Produced by `StatementTracer` (ShiftPostgres); a plain value so the analyzer's effect
/// model can be compared with it without importing a driver.
public struct TraceResult: Sendable, Hashable, CustomStringConvertible {
  /// The traced statement.
  public var sql: String
  /// The server version (`150018` for 15.18).
  public var serverVersion: Int
  /// How the statement was run.
  public var execution: TraceExecution
  /// Whether ``locks`` could be observed: `false` for statements run outside a transaction
  /// block, whose locks were released when they returned (``locks`` is then empty).
  public var locksObserved: Bool
  /// Every relation lock held when the statement ended, strongest mode per relation.
  ///
  /// Sorted by relation. Catalog relations (`pg_catalog`) and relations that no longer
  /// exist and did not exist before (transient heaps of rewrites, temporary tables of
  /// `REFRESH … CONCURRENTLY`) are left out.
  public var locks: [ObservedLock]
  /// Relations whose storage (`pg_class.relfilenode`) was replaced.
  ///
  /// Tables, TOAST tables, materialized views and indexes. A relation dropped and recreated under the same name
  /// by the statement (an index rebuilt by `ALTER COLUMN … TYPE`) counts when its new
  /// storage differs from the old.
  public var rewrittenRelations: [ObservedRelation]
  /// Per-table read statistics of the statement, for tables with any non-zero count.
  public var scans: [ObservedScan]
  /// Relations that exist after the statement and did not before.
  public var createdRelations: [ObservedRelation]
  /// Relations that existed before the statement and do not after.
  public var droppedRelations: [ObservedRelation]
  /// Relations whose catalog entries changed (their `pg_class` row, or their columns,
  /// defaults, constraints, triggers or indexes), including renamed ones.
  public var alteredRelations: [ObservedRelation]
  /// How long the statement itself took on the client's clock.
  public var duration: Duration
  /// Remarks on what could not be observed, for people reading the trace.
  public var notes: [String]

  /// Creates a result.
  public init(
    sql: String,
    serverVersion: Int,
    execution: TraceExecution,
    locksObserved: Bool,
    locks: [ObservedLock],
    rewrittenRelations: [ObservedRelation],
    scans: [ObservedScan],
    createdRelations: [ObservedRelation],
    droppedRelations: [ObservedRelation],
    alteredRelations: [ObservedRelation],
    duration: Duration,
    notes: [String]
  ) {
    self.sql = sql
    self.serverVersion = serverVersion
    self.execution = execution
    self.locksObserved = locksObserved
    self.locks = locks
    self.rewrittenRelations = rewrittenRelations
    self.scans = scans
    self.createdRelations = createdRelations
    self.droppedRelations = droppedRelations
    self.alteredRelations = alteredRelations
    self.duration = duration
    self.notes = notes
  }

  /// The strongest lock on each table-like relation (``RelationKind/isTableLike``) that
  /// existed before the statement: what `lint` reports as the statement's `locks`.
  public var tableLocks: [RelationName: LockMode] {
    strongestLocks { $0.kind.isTableLike }
  }

  /// The strongest lock on each index that existed before the statement.
  public var indexLocks: [RelationName: LockMode] {
    strongestLocks { $0.kind.isIndex }
  }

  /// The strongest mode held on a relation that existed before the statement, by its name
  /// before the statement.
  ///
  /// - Parameter relation: the relation's name.
  /// - Returns: the mode, or `nil` when no lock on it was observed.
  public func lockMode(on relation: RelationName) -> LockMode? {
    locks.filter { !$0.isNewRelation && $0.relation.name == relation }.map(\.mode).max()
  }

  /// Tables and materialized views whose heap was rewritten (``rewrittenRelations`` of
  /// table-like kinds).
  public var rewrittenTables: Set<RelationName> {
    Set(rewrittenRelations.filter { $0.kind.isTableLike }.map(\.name))
  }

  /// Indexes whose storage was replaced (rebuilt or, for `TRUNCATE`, emptied).
  public var rebuiltIndexes: Set<RelationName> {
    Set(rewrittenRelations.filter { $0.kind.isIndex }.map(\.name))
  }

  /// Tables whose existing rows a sequential scan read (``ObservedScan/readRows``).
  public var scannedTables: Set<RelationName> {
    Set(scans.filter(\.readRows).map(\.table))
  }

  /// A multi-line summary for people: execution, locks, rewrites, scans, changes, notes.
  public var description: String {
    func list(_ items: [some CustomStringConvertible]) -> String {
      items.isEmpty ? "none" : items.map(\.description).joined(separator: "; ")
    }
    var lines = ["\(sql.prefix(200))", "  execution: \(execution.rawValue), took \(duration)"]
    lines.append("  locks: " + (locksObserved ? list(locks) : "not observable"))
    lines.append("  rewritten: " + list(rewrittenRelations))
    lines.append("  scans: " + list(scans))
    lines.append("  created: " + list(createdRelations))
    lines.append("  dropped: " + list(droppedRelations))
    lines.append("  altered: " + list(alteredRelations))
    lines += notes.map { "  note: \($0)" }
    return lines.joined(separator: "\n")
  }

  private func strongestLocks(
    where include: (ObservedRelation) -> Bool
  ) -> [RelationName: LockMode] {
    var modes: [RelationName: LockMode] = [:]
    for lock in locks where !lock.isNewRelation && include(lock.relation) {
      modes[lock.relation.name] = max(modes[lock.relation.name] ?? lock.mode, lock.mode)
    }
    return modes
  }
}
