import ShiftCore
public import ShiftDatabase

/// Traces statements on a SQLite database one after another inside one transaction, and
/// reports what SQLite shows of each: changes to `sqlite_schema` (objects created, dropped,
/// altered, renamed), tables whose root page changed (rebuilt into new storage), full-scan
/// steps, whether the connection holds the database's write lock afterwards, and the time.
///
/// Use it on a copy of the database: statements that cannot run in a transaction
/// (`VACUUM`) are run outside one and persist.
///
/// SQLite has no per-table locks: the write lock covers the whole database (reported as
/// relation `*`, mode `EXCLUSIVE`, as the effect model spells it). The full-scan counter is
/// kept per statement, not per table, so it is attributed to the tables the caller names,
/// as one scan of (steps + 1) rows: a full scan of n rows steps forward n − 1 times.
/// Rewrites that keep a table's root page (`ALTER TABLE … DROP COLUMN` rewrites rows in
/// place) are not visible.
public struct SQLiteTracer {
  private var schema: [String: Entry] = [:]
  private var writeLockHeld = false
  private var isOpen = false

  /// One row of `sqlite_schema`.
  struct Entry: Hashable {
    var type: String
    var name: String
    var table: String
    var rootPage: String
    var sql: String
  }

  /// The relation SQLite's database lock is reported on.
  public static let databaseLock = ObservedRelation(
    name: RelationName(schema: "main", name: "*"),
    kind: .table
  )

  /// Creates a tracer with no open transaction.
  public init() {}

  /// Whether a transaction is open.
  public var isInTransaction: Bool { isOpen }

  /// Opens a transaction (`BEGIN`) and reads the schema.
  ///
  /// - Parameter connection: a session outside any transaction.
  /// - Throws: `DriverError`.
  public mutating func begin(on connection: inout SQLiteConnection) throws(DriverError) {
    try connection.execute("BEGIN")
    isOpen = true
    writeLockHeld = connection.isInWriteTransaction
    schema = try Self.readSchema(&connection)
  }

  /// Ends the transaction.
  ///
  /// - Parameters:
  ///   - commit: `true` for `COMMIT`, `false` for `ROLLBACK`.
  ///   - connection: the session.
  /// - Throws: `DriverError` when `COMMIT` fails.
  public mutating func end(commit: Bool, on connection: inout SQLiteConnection) throws(DriverError)
  {
    guard isOpen else { return }
    isOpen = false
    writeLockHeld = false
    try connection.execute(commit ? "COMMIT" : "ROLLBACK")
  }

  /// Runs one statement and reports what it did.
  ///
  /// - Parameters:
  ///   - sql: one statement.
  ///   - tables: the tables to which the statement's full-scan steps are attributed; pass
  ///     none for DDL, whose steps include its own scans of `sqlite_schema`.
  ///   - connection: the session; inside the transaction when ``begin(on:)`` opened one,
  ///     otherwise the statement runs on its own (autocommit).
  /// - Returns: the observations.
  /// - Throws: `DriverError` with SQLite's result code; the transaction is then rolled back.
  public mutating func trace(
    _ sql: String,
    tables: [String],
    on connection: inout SQLiteConnection
  ) throws(DriverError) -> TracedStatement {
    let before = isOpen ? schema : try Self.readSchema(&connection)
    let heldBefore = writeLockHeld
    let counters: (fullScanSteps: Int, virtualMachineSteps: Int)
    let duration: Duration
    do {
      let start = ContinuousClock.now
      counters = try connection.executeMeasured(sql)
      duration = start.duration(to: .now)
    } catch {
      if isOpen {
        isOpen = false
        writeLockHeld = false
        try? connection.execute("ROLLBACK")
      }
      throw error
    }
    let holdsWriteLock = isOpen && connection.isInWriteTransaction
    let after = try Self.readSchema(&connection)
    var created: [ObservedRelation] = []
    var dropped: [ObservedRelation] = []
    var altered: [ObservedRelation] = []
    var rewritten: [ObservedRelation] = []
    var notes: [String] = []
    let renamedFrom = Dictionary(
      before.values.compactMap { old -> (String, Entry)? in
        guard after[old.name] == nil,
          let new = after.values.first(where: {
            $0.type == old.type && $0.rootPage == old.rootPage && before[$0.name] == nil
              && old.rootPage != "0"
          })
        else { return nil }
        return (new.name, old)
      },
      uniquingKeysWith: { first, _ in first }
    )
    for (name, old) in before {
      guard let kind = Self.kind(old.type) else { continue }
      if let new = after[name], new.type == old.type {
        if new.rootPage != old.rootPage, old.type == "table" {
          rewritten.append(Self.relation(old, kind: kind))
        }
        if new.sql != old.sql { altered.append(Self.relation(old, kind: kind)) }
      } else if let renamed = renamedFrom.first(where: { $0.value.name == name }) {
        var relation = Self.relation(old, kind: kind)
        relation.newName = RelationName(schema: "main", name: renamed.key)
        altered.append(relation)
      } else {
        dropped.append(Self.relation(old, kind: kind))
      }
    }
    for (name, new) in after where before[name] == nil && renamedFrom[name] == nil {
      guard let kind = Self.kind(new.type) else {
        notes.append("created \(new.type) \(name)")
        continue
      }
      created.append(Self.relation(new, kind: kind))
    }
    for (name, old) in before where after[name] == nil && Self.kind(old.type) == nil {
      notes.append("dropped \(old.type) \(name)")
    }
    var scans: [ObservedScan] = []
    if counters.fullScanSteps > 0 {
      for table in tables {
        scans.append(
          ObservedScan(
            table: RelationName(schema: "main", name: table),
            sequentialScans: 1,
            // A full scan of n rows steps forward n − 1 times after its first row.
            rowsRead: counters.fullScanSteps + 1,
            indexScans: 0,
            rowsFetchedByIndex: 0
          )
        )
      }
      notes.append(
        tables.isEmpty
          ? "\(counters.fullScanSteps) full-scan steps, not attributed to a table (DDL also "
            + "scans sqlite_schema)"
          : "\(counters.fullScanSteps) full-scan steps (SQLite counts them per statement, "
            + "attributed to the tables it names)"
      )
    }
    let lock = ObservedLock(relation: Self.databaseLock, mode: .exclusive)
    let result = TraceResult(
      sql: sql,
      serverVersion: Int(SQLiteConnection.libraryVersionNumber),
      execution: isOpen ? .rolledBack : .outsideTransaction,
      locksObserved: isOpen,
      locks: holdsWriteLock && !heldBefore ? [lock] : [],
      rewrittenRelations: rewritten.sorted(),
      scans: scans.sorted(),
      createdRelations: created.sorted(),
      droppedRelations: dropped.sorted(),
      alteredRelations: altered.sorted(),
      duration: duration,
      notes: notes
    )
    schema = after
    writeLockHeld = holdsWriteLock
    return TracedStatement(
      result: result,
      locksHeldBefore: heldBefore ? [lock] : [],
      locksHeldAfter: holdsWriteLock ? [lock] : []
    )
  }

  private static func relation(_ entry: Entry, kind: RelationKind) -> ObservedRelation {
    ObservedRelation(
      name: RelationName(schema: "main", name: entry.name),
      kind: kind,
      table: entry.type == "index" ? RelationName(schema: "main", name: entry.table) : nil
    )
  }

  private static func kind(_ type: String) -> RelationKind? {
    switch type {
    case "table": .table
    case "index": .index
    case "view": .view
    default: nil
    }
  }

  private static func readSchema(
    _ connection: inout SQLiteConnection
  ) throws(DriverError) -> [String: Entry] {
    var entries: [String: Entry] = [:]
    let rows = try connection.query(
      "SELECT type, name, tbl_name, rootpage, coalesce(sql, '') FROM sqlite_schema",
      []
    )
    for row in rows {
      guard row.count == 5, let type = row[0], let name = row[1] else { continue }
      entries[name] = Entry(
        type: type,
        name: name,
        table: row[2] ?? name,
        rootPage: row[3] ?? "0",
        sql: row[4] ?? ""
      )
    }
    return entries
  }
}
