import ShiftCore
public import ShiftDatabase

/// Traces statements one after another inside one open transaction, the way a migration
/// runner that wraps a file in a transaction runs them: locks accumulate, later statements
/// see what earlier ones did, and each statement's own locks, rewrites, scans and catalog
/// changes are reported.
///
/// ```swift
/// var tracer = TransactionTracer()
/// try tracer.begin(on: &connection)
/// let first = try tracer.trace("ALTER TABLE users ADD COLUMN a int", on: &connection)
/// let second = try tracer.trace("CREATE INDEX ON users (a)", on: &connection)
/// try tracer.end(.rollback, on: &connection)
/// ```
///
/// Measured as ``StatementTracer`` measures one statement (`pg_locks`, `relfilenode`,
/// `pg_stat_xact_user_tables`, catalog `xmin`s), comparing the state after each statement
/// with the state after the previous one. The whole catalog is read once, at `begin`;
/// after each statement only the relations whose catalog rows the transaction wrote (rows
/// whose `xmin` is its xid) or that it locked are read again, so a statement costs little
/// more on a schema of thousands of tables than on a small one. Lock
/// modes are compared per relation *and* mode, so ``TracedStatement/result`` lists the
/// modes the statement added. Statements that cannot run in a transaction block are
/// refused (SQLSTATE 25001): end the transaction and use ``StatementTracer`` for them.
public struct TransactionTracer {
  private var previous: CatalogSnapshot?
  private var previousLocks: Set<LockRow> = []
  /// The transaction's xid (assigned at `begin`), to find the catalog rows it wrote.
  private var transactionID = ""

  /// Parameters set with `SET LOCAL` right after `BEGIN` (bound through `set_config`), such
  /// as a `lock_timeout` when tracing on a database others use.
  public var settings: [StatementTracer.Setting]

  /// Whether to read the whole catalog after every statement instead of only what the
  /// transaction changed (slower on large schemas; the results are the same, which a test
  /// checks).
  public var rereadsWholeCatalog = false

  /// Whether a transaction is open.
  public var isOpen: Bool { previous != nil }

  /// Creates a tracer with no open transaction.
  ///
  /// - Parameter settings: parameters for the transaction (`SET LOCAL`).
  public init(settings: [StatementTracer.Setting] = []) {
    self.settings = settings
  }

  /// Opens the transaction and takes the first snapshot.
  ///
  /// - Parameter connection: an idle session.
  /// - Throws: `DriverError` (SQLSTATE 25001 when the session is already in a transaction).
  public mutating func begin(on connection: inout PostgresConnection) throws(DriverError) {
    guard connection.isIdle else {
      throw DriverError(
        .statementFailed(sqlstate: "25001"),
        message: "the session is inside a transaction block; tracing needs an idle session",
        sqlstate: "25001"
      )
    }
    try connection.execute("BEGIN")
    do {
      for setting in settings {
        _ = try connection.query(
          "SELECT pg_catalog.set_config($1, $2, true)",
          [setting.name, setting.value]
        )
      }
      // txid_current() assigns the transaction an xid now; its low 32 bits are the `xid`
      // that catalog rows written by the transaction carry as `xmin`.
      let xid = try connection.query("SELECT (pg_catalog.txid_current() % 4294967296)::text", [])
      transactionID = xid.first?.first.flatMap { $0 } ?? ""
      previous = try CatalogSnapshot.take(on: &connection, inTransaction: true)
      previousLocks = try Self.lockRows(on: &connection)
    } catch {
      try? connection.execute("ROLLBACK")
      throw error
    }
  }

  /// Runs one statement in the open transaction and reports what it did.
  ///
  /// - Parameters:
  ///   - sql: exactly one statement (sent alone through the extended protocol); neither
  ///     transaction control nor a statement that cannot run in a transaction block.
  ///   - connection: the session ``begin(on:)`` opened the transaction on.
  /// - Returns: the observations and the transaction's locks around the statement.
  /// - Throws: `DriverError`: the statement's own error, after which the transaction is
  ///   rolled back and closed; SQLSTATE 25001 / 0A000 for statements that cannot be traced
  ///   here; SQLSTATE 25000 when no transaction is open.
  public mutating func trace(
    _ sql: String,
    on connection: inout PostgresConnection
  ) throws(DriverError) -> TracedStatement {
    guard var snapshot = previous else {
      throw DriverError(
        .statementFailed(sqlstate: "25000"),
        message: "no traced transaction is open; call begin(on:) first",
        sql: sql,
        sqlstate: "25000"
      )
    }
    _ = try TransactionBlockRule.classifyForTracing(
      sql,
      transactionControl:
        "transaction control statements cannot be traced inside the traced transaction",
      forbidden: "the statement cannot run inside a transaction block"
    )
    do {
      let start = ContinuousClock.now
      try connection.executeSingleStatement(sql)
      let duration = start.duration(to: .now)
      let lockRows = try Self.lockRows(on: &connection)
      var comparison: SnapshotComparison
      if rereadsWholeCatalog {
        let after = try CatalogSnapshot.take(on: &connection, inTransaction: true)
        comparison = SnapshotComparison(before: snapshot, after: after)
        snapshot = after
      } else {
        previous = nil  // `snapshot` is then the only reference: updated without a copy
        let update = try snapshot.update(
          on: &connection,
          transactionID: transactionID,
          lockedOIDs: Set(lockRows.map(\.oid))
        )
        // Relations outside `changed` are the same before and after: nothing to compare.
        comparison = SnapshotComparison(
          before: update.before,
          after: snapshot.restricted(to: update.changed)
        )
      }
      let added = lockRows.subtracting(previousLocks)
      let locks = comparison.locks(added.map { [$0.oid, $0.mode.postgresName] })
      let result = comparison.result(
        sql: sql,
        serverVersion: connection.serverVersion,
        execution: .rolledBack,
        locks: locks,
        duration: duration
      )
      let traced = TracedStatement(
        result: result,
        locksHeldBefore: Self.resolve(
          previousLocks,
          before: comparison.before,
          after: comparison.after
        ),
        locksHeldAfter: Self.resolve(lockRows, before: comparison.before, after: comparison.after)
      )
      previous = snapshot
      previousLocks = lockRows
      return traced
    } catch {
      previous = nil
      previousLocks = []
      try? connection.execute("ROLLBACK")
      throw error
    }
  }

  /// Ends the transaction.
  ///
  /// - Parameters:
  ///   - completion: `ROLLBACK` (nothing persists) or `COMMIT`.
  ///   - connection: the session.
  /// - Throws: `DriverError` when `COMMIT` fails (the transaction is then gone).
  public mutating func end(
    _ completion: StatementTracer.Completion,
    on connection: inout PostgresConnection
  ) throws(DriverError) {
    guard previous != nil else { return }
    previous = nil
    previousLocks = []
    do {
      try connection.execute(completion == .commit ? "COMMIT" : "ROLLBACK")
    } catch {
      try? connection.execute("ROLLBACK")
      throw error
    }
  }

  /// One `pg_locks` row: a relation (OID as text) and a mode.
  private struct LockRow: Hashable {
    var oid: String
    var mode: LockMode
  }

  /// The backend's granted relation locks in the current database, user relations only
  /// (OIDs from `FirstNormalObjectId`, 16384), one row per relation and mode.
  private static let locksSQL = """
    SELECT relation::text, mode FROM pg_catalog.pg_locks
    WHERE pid = pg_catalog.pg_backend_pid() AND locktype = 'relation' AND granted
      AND relation >= 16384
      AND database = (SELECT oid FROM pg_catalog.pg_database
        WHERE datname = pg_catalog.current_database())
    """

  private static func lockRows(
    on connection: inout PostgresConnection
  ) throws(DriverError) -> Set<LockRow> {
    var rows: Set<LockRow> = []
    for row in try connection.query(locksSQL, []) {
      guard row.count == 2, let oid = row[0], let name = row[1],
        let mode = LockMode(postgresName: name)
      else { continue }
      rows.insert(LockRow(oid: oid, mode: mode))
    }
    return rows
  }

  /// Names lock rows from the snapshots (relations that exist in neither are left out),
  /// keeping every mode.
  private static func resolve(
    _ rows: Set<LockRow>,
    before: CatalogSnapshot,
    after: CatalogSnapshot
  ) -> [ObservedLock] {
    var locks: [ObservedLock] = []
    func name(_ oid: String) -> RelationName? {
      before.relations[oid]?.name ?? after.relations[oid]?.name
    }
    for row in rows {
      guard let relation = before.relations[row.oid] ?? after.relations[row.oid] else {
        continue
      }
      let observed = ObservedRelation(
        name: relation.name,
        kind: relation.kind,
        table: relation.ownerOID.flatMap(name)
      )
      locks.append(ObservedLock(relation: observed, mode: row.mode))
    }
    return locks.sorted { ($0.relation, $0.mode) < ($1.relation, $1.mode) }
  }
}

@available(*, unavailable)
extension TransactionTracer: Sendable {}
