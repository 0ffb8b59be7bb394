import ShiftCore
public import ShiftDatabase

/// Runs one statement on a live PostgreSQL session and reports what the server really did:
/// the relation locks its backend held afterwards, which relations got new storage
/// (rewrites), which tables were read, which relations were created, dropped or altered,
/// and how long it took.
///
/// By default the statement runs inside `BEGIN … ROLLBACK`, so the database is unchanged
/// afterwards:
///
/// ```swift
/// var connection = try PostgresConnection(connectingTo: url)
/// let result = try StatementTracer().trace(
///   "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()", on: &connection)
/// result.tableLocks      // [public.users: ACCESS EXCLUSIVE]
/// result.rewrittenTables // [public.users]
/// ```
///
/// How each fact is measured, all inside the traced transaction:
/// - locks: `pg_locks` rows of `pg_backend_pid()` with `locktype = 'relation'`, after the
///   statement, strongest mode per relation. The tracer's own catalog queries lock only
///   catalogs, which are left out, and it keeps its snapshots in memory, so it creates no
///   tables of its own. Locks a statement took and released before returning (PostgreSQL
///   releases some catalog and sequence locks early) are not seen.
/// - rewrites: `pg_class.relfilenode` of every user relation before and after.
/// - scans: `pg_stat_xact_user_tables` before and after; on PostgreSQL 15 the view shows
///   the backend's pending counters, so the statement's own scans are visible at once.
/// - created, dropped, altered: `pg_class` rows, and the `xmin` of a relation's catalog
///   rows (columns, defaults, constraints, triggers, indexes) before and after.
///
/// Statements that cannot run in a transaction block (``cannotRunInTransactionBlock(_:)``)
/// run outside one when ``allowsOutsideTransaction`` is set: their effects persist, and
/// their locks are gone when they return, so the result has ``TraceResult/locksObserved``
/// `false`.
///
/// Values (settings) are bound as parameters; the statement text is sent as is, alone, with
/// the extended query protocol, which rejects text holding several statements.
public struct StatementTracer: Sendable {
  /// How the traced transaction ends.
  public enum Completion: Sendable, Hashable {
    /// `ROLLBACK`: the database is left unchanged.
    case rollback
    /// `COMMIT`: the statement's effects persist.
    case commit
  }

  /// A run-time parameter set for the traced statement only (`TimeZone`, `lock_timeout`,
  /// `search_path`, …), through `set_config` with bound values.
  public struct Setting: Sendable, Hashable {
    /// The parameter's name.
    public var name: String
    /// Its value, as `SET` would take it.
    public var value: String

    /// Creates a setting.
    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  /// How the traced transaction ends; `.rollback` by default.
  public var completion: Completion
  /// Parameters set before the statement: `SET LOCAL` inside the transaction, or for the
  /// session and restored afterwards when the statement runs outside a transaction block.
  public var settings: [Setting]
  /// Whether statements that cannot run in a transaction block may run outside one.
  ///
  /// Their effects then persist. When `false`, tracing one throws SQLSTATE 25001.
  public var allowsOutsideTransaction: Bool

  /// Creates a tracer.
  ///
  /// - Parameters:
  ///   - completion: how the traced transaction ends.
  ///   - settings: parameters for the traced statement.
  ///   - allowsOutsideTransaction: whether statements such as `CREATE INDEX CONCURRENTLY`
  ///     may run (and persist) outside a transaction block.
  public init(
    completion: Completion = .rollback,
    settings: [Setting] = [],
    allowsOutsideTransaction: Bool = true
  ) {
    self.completion = completion
    self.settings = settings
    self.allowsOutsideTransaction = allowsOutsideTransaction
  }

  /// Whether PostgreSQL refuses to run the statement inside a transaction block, judged
  /// from its keywords: `VACUUM`, `CREATE`/`DROP INDEX CONCURRENTLY`, `REINDEX …
  /// CONCURRENTLY` (and of a schema, database or system), `DETACH PARTITION …
  /// CONCURRENTLY`, `CLUSTER` without a table, `CREATE`/`DROP DATABASE`/`TABLESPACE`,
  /// `ALTER SYSTEM`.
  ///
  /// - Parameter sql: one statement.
  /// - Returns: `true` when the statement must run outside a transaction block.
  public static func cannotRunInTransactionBlock(_ sql: String) -> Bool {
    TransactionBlockRule.classify(sql) == .forbidden
  }

  /// Runs `sql` and reports what the server did.
  ///
  /// - Parameters:
  ///   - sql: exactly one statement; transaction control (`BEGIN`, `COMMIT`, `SAVEPOINT`, …)
  ///     is refused.
  ///   - connection: an idle session (not inside a transaction block). It is idle again
  ///     afterwards, also when the statement fails.
  /// - Returns: the observations.
  /// - Throws: `DriverError`: the statement's own error (after rolling back); SQLSTATE
  ///   25001 when the session is inside a transaction block, or when the statement cannot
  ///   run in one and ``allowsOutsideTransaction`` is `false`; SQLSTATE 0A000 for
  ///   transaction control statements.
  public func trace(
    _ sql: String,
    on connection: inout PostgresConnection
  ) throws(DriverError) -> TraceResult {
    guard connection.isIdle else {
      throw DriverError(
        .statementFailed(sqlstate: "25001"),
        message: "the session is inside a transaction block; tracing needs an idle session",
        sql: sql,
        sqlstate: "25001"
      )
    }
    let rule = try TransactionBlockRule.classifyForTracing(
      sql,
      transactionControl: "transaction control statements cannot be traced",
      forbidden: allowsOutsideTransaction
        ? nil
        : "the statement cannot run inside a transaction block, and running it outside one "
          + "(which persists it) was not allowed"
    )
    return rule == .forbidden
      ? try traceOutsideTransaction(sql, on: &connection)
      : try traceInTransaction(sql, on: &connection)
  }

  private func traceInTransaction(
    _ sql: String,
    on connection: inout PostgresConnection
  ) throws(DriverError) -> TraceResult {
    try connection.execute("BEGIN")
    do {
      for setting in settings {
        _ = try connection.query(
          "SELECT pg_catalog.set_config($1, $2, true)",
          [setting.name, setting.value]
        )
      }
      let before = try CatalogSnapshot.take(on: &connection, inTransaction: true)
      let start = ContinuousClock.now
      try connection.executeSingleStatement(sql)
      let duration = start.duration(to: .now)
      let lockRows = try connection.query(Self.locksSQL, [])
      let after = try CatalogSnapshot.take(on: &connection, inTransaction: true)
      try connection.execute(completion == .commit ? "COMMIT" : "ROLLBACK")
      var comparison = SnapshotComparison(before: before, after: after)
      let locks = comparison.locks(lockRows)
      return comparison.result(
        sql: sql,
        serverVersion: connection.serverVersion,
        execution: completion == .commit ? .committed : .rolledBack,
        locks: locks,
        duration: duration
      )
    } catch {
      // Leaves the session idle. After a failed COMMIT there is no transaction left, and
      // ROLLBACK only warns.
      try? connection.execute("ROLLBACK")
      throw error
    }
  }

  private func traceOutsideTransaction(
    _ sql: String,
    on connection: inout PostgresConnection
  ) throws(DriverError) -> TraceResult {
    var previous: [Setting] = []
    for setting in settings {
      let rows = try connection.query("SELECT pg_catalog.current_setting($1)", [setting.name])
      previous.append(Setting(setting.name, rows.first?.first.flatMap { $0 } ?? ""))
    }
    defer {
      for setting in previous.reversed() {
        _ = try? connection.query(
          "SELECT pg_catalog.set_config($1, $2, false)",
          [setting.name, setting.value]
        )
      }
    }
    for setting in settings {
      _ = try connection.query(
        "SELECT pg_catalog.set_config($1, $2, false)",
        [setting.name, setting.value]
      )
    }
    let before = try CatalogSnapshot.take(on: &connection, inTransaction: false)
    let start = ContinuousClock.now
    try connection.executeSingleStatement(sql)
    let duration = start.duration(to: .now)
    let after = try CatalogSnapshot.take(on: &connection, inTransaction: false)
    var comparison = SnapshotComparison(before: before, after: after)
    comparison.notes.append(
      "ran outside a transaction block: its locks were released when it returned and "
        + "could not be observed"
    )
    comparison.notes.append(
      "scan counts outside a transaction block come from shared statistics and may include "
        + "other sessions' scans of the same tables"
    )
    return comparison.result(
      sql: sql,
      serverVersion: connection.serverVersion,
      execution: .outsideTransaction,
      locks: nil,
      duration: duration
    )
  }

  /// The backend's relation locks in the current database, leaving out catalogs (OIDs
  /// below `FirstNormalObjectId`, 16384).
  private static let locksSQL = """
    SELECT relation::text, mode FROM pg_catalog.pg_locks
    WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND granted
      AND relation >= 16384
      AND database = (SELECT oid FROM pg_catalog.pg_database
        WHERE datname = pg_catalog.current_database())
    """
}

/// Turns two snapshots (and the lock rows) into a ``TraceResult``.
struct SnapshotComparison {
  let before: CatalogSnapshot
  let after: CatalogSnapshot
  /// New OIDs that replace a dropped relation of the same name and kind (an index
  /// recreated by `ALTER COLUMN … TYPE`, the TOAST table of a rewritten table), mapped to
  /// the old OID.
  let replacing: [String: String]
  var notes: [String] = []

  init(before: CatalogSnapshot, after: CatalogSnapshot) {
    self.before = before
    self.after = after
    var droppedByName: [String: String] = [:]
    for (oid, relation) in before.relations where after.relations[oid] == nil {
      droppedByName["\(relation.kind.rawValue) \(relation.name)"] = oid
    }
    var replacing: [String: String] = [:]
    for (oid, relation) in after.relations where before.relations[oid] == nil {
      if let old = droppedByName["\(relation.kind.rawValue) \(relation.name)"] {
        replacing[oid] = old
      }
    }
    self.replacing = replacing
  }

  /// The name of a table by OID, as it was before the statement when it existed then.
  func name(of oid: String) -> RelationName? {
    before.relations[oid]?.name ?? after.relations[oid]?.name
  }

  func observed(_ relation: CatalogSnapshot.Relation) -> ObservedRelation {
    ObservedRelation(
      name: relation.name,
      kind: relation.kind,
      table: relation.ownerOID.flatMap { name(of: $0) }
    )
  }

  /// Resolves lock rows to relations: names as before the statement, recreated relations
  /// under their old identity, strongest mode per relation.
  mutating func locks(_ rows: [[String?]]) -> [ObservedLock] {
    var strongest: [ObservedRelation: (mode: LockMode, isNew: Bool)] = [:]
    var unresolved = Set<String>()
    for row in rows {
      guard row.count == 2, let oid = row[0], let name = row[1],
        let mode = LockMode(postgresName: name)
      else { continue }
      let relation: ObservedRelation
      let isNew: Bool
      if let old = before.relations[oid] ?? replacing[oid].flatMap({ before.relations[$0] }) {
        relation = observed(old)
        isNew = false
      } else if let new = after.relations[oid] {
        relation = observed(new)
        isNew = true
      } else {
        unresolved.insert(oid)
        continue
      }
      let current = strongest[relation]?.mode ?? mode
      strongest[relation] = (max(current, mode), isNew)
    }
    if !unresolved.isEmpty {
      notes.append(
        "left out locks on \(unresolved.count) relation(s) that existed neither before nor "
          + "after the statement (transient heaps of rewrites, temporary tables)"
      )
    }
    return strongest.map {
      ObservedLock(relation: $0.key, mode: $0.value.mode, isNewRelation: $0.value.isNew)
    }
    .sorted()
  }

  func result(
    sql: String,
    serverVersion: Int,
    execution: TraceExecution,
    locks: [ObservedLock]?,
    duration: Duration
  ) -> TraceResult {
    var created: [ObservedRelation] = []
    var dropped: [ObservedRelation] = []
    var altered: [ObservedRelation] = []
    var rewritten: [ObservedRelation] = []
    let replaced = Set(replacing.values)
    for (oid, old) in before.relations {
      if let new = after.relations[oid] {
        var relation = observed(old)
        if new.fileNode != old.fileNode { rewritten.append(relation) }
        if new.name != old.name {
          relation.newName = new.name
          altered.append(relation)
        } else if new.fingerprint != old.fingerprint {
          altered.append(relation)
        }
      } else if !replaced.contains(oid) {
        dropped.append(observed(old))
      }
    }
    for (oid, new) in after.relations where before.relations[oid] == nil {
      if let oldOID = replacing[oid], let old = before.relations[oldOID] {
        altered.append(observed(old))
        if new.fileNode != old.fileNode { rewritten.append(observed(old)) }
      } else {
        created.append(observed(new))
      }
    }
    var scans: [ObservedScan] = []
    for (oid, counters) in after.counters {
      let previous = before.counters[oid] ?? CatalogSnapshot.Counters()
      guard counters != previous, let table = name(of: oid) else { continue }
      scans.append(
        ObservedScan(
          table: table,
          sequentialScans: counters.sequentialScans - previous.sequentialScans,
          rowsRead: counters.rowsRead - previous.rowsRead,
          indexScans: counters.indexScans - previous.indexScans,
          rowsFetchedByIndex: counters.rowsFetchedByIndex - previous.rowsFetchedByIndex
        )
      )
    }
    return TraceResult(
      sql: sql,
      serverVersion: serverVersion,
      execution: execution,
      locksObserved: locks != nil,
      locks: locks ?? [],
      rewrittenRelations: rewritten.sorted(),
      scans: scans.sorted(),
      createdRelations: created.sorted(),
      droppedRelations: dropped.sorted(),
      alteredRelations: altered.sorted(),
      duration: duration,
      notes: notes
    )
  }
}
