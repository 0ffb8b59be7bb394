import ShiftDatabase

/// The user relations of the current database as the session sees them at one moment.
///
/// Holds each relation's name, kind, storage file and a fingerprint of its catalog rows, and
/// the read counters of every user table. Kept in memory, so taking one creates nothing in
/// the database.
struct CatalogSnapshot {
  struct Relation {
    var oid: String
    var name: RelationName
    var kind: RelationKind
    /// `pg_class.relfilenode`; `0` for relations without storage of their own.
    var fileNode: String
    /// The table an index, TOAST table or TOAST index belongs to.
    var ownerOID: String?
    /// Changes when the relation's `pg_class` row or its columns, defaults, constraints,
    /// triggers or index entries change (new row versions carry a new `xmin`).
    var fingerprint: String
  }

  struct Counters: Equatable {
    var sequentialScans = 0
    var rowsRead = 0
    var indexScans = 0
    var rowsFetchedByIndex = 0
  }

  /// User relations by OID (as text).
  var relations: [String: Relation] = [:]
  /// Read counters by table OID (as text).
  var counters: [String: Counters] = [:]

  /// Relations created by users: OIDs from `FirstNormalObjectId` (16384) up, which leaves
  /// out the catalogs, their TOAST tables and everything `initdb` made, and other sessions'
  /// temporary schemas.
  static let relationsSQL = """
    SELECT c.oid::text, n.nspname, c.relname,
      CASE WHEN it.oid IS NULL THEN c.relkind::text ELSE 'toast index' END,
      c.relfilenode::text, coalesce(ito.oid, i.indrelid, o.oid)::text,
      concat_ws(';', c.xmin::text,
        (SELECT string_agg(a.attnum || ':' || a.xmin::text, ',' ORDER BY a.attnum)
          FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid),
        (SELECT string_agg(d.oid || ':' || d.xmin::text, ',' ORDER BY d.oid)
          FROM pg_catalog.pg_attrdef d WHERE d.adrelid = c.oid),
        (SELECT string_agg(k.oid || ':' || k.xmin::text, ',' ORDER BY k.oid)
          FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid),
        (SELECT string_agg(t.oid || ':' || t.xmin::text, ',' ORDER BY t.oid)
          FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid),
        (SELECT string_agg(x.indexrelid || ':' || x.xmin::text, ',' ORDER BY x.indexrelid)
          FROM pg_catalog.pg_index x WHERE x.indrelid = c.oid))
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
    LEFT JOIN pg_catalog.pg_class it ON it.oid = i.indrelid AND it.relkind = 't'
    LEFT JOIN pg_catalog.pg_class ito ON ito.reltoastrelid = it.oid
    LEFT JOIN pg_catalog.pg_class o ON c.relkind = 't' AND o.reltoastrelid = c.oid
    WHERE c.oid >= 16384 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND NOT pg_catalog.pg_is_other_temp_schema(n.oid)
    """

  /// This backend's counters of the current transaction: they include its own scans as
  /// soon as they happen (PostgreSQL 15 keeps them as pending statistics until the session
  /// goes idle), and no other session's.
  static let transactionCountersSQL = """
    SELECT relid::text, seq_scan::text, seq_tup_read::text,
      coalesce(idx_scan, 0)::text, coalesce(idx_tup_fetch, 0)::text
    FROM pg_catalog.pg_stat_xact_user_tables
    """

  /// Flushed (shared) plus still-pending counters: between two transactions a session
  /// flushes its pending counters into the shared ones, so only the sum is comparable
  /// across statements run outside a transaction block.
  static let sessionCountersSQL = """
    SELECT x.relid::text, (x.seq_scan + s.seq_scan)::text,
      (x.seq_tup_read + s.seq_tup_read)::text,
      (coalesce(x.idx_scan, 0) + coalesce(s.idx_scan, 0))::text,
      (coalesce(x.idx_tup_fetch, 0) + coalesce(s.idx_tup_fetch, 0))::text
    FROM pg_catalog.pg_stat_xact_user_tables x
    JOIN pg_catalog.pg_stat_user_tables s ON s.relid = x.relid
    """

  /// Takes a snapshot.
  ///
  /// - Parameters:
  ///   - connection: the session; inside the traced transaction when there is one.
  ///   - inTransaction: whether the counters can be read from the transaction's own view.
  /// - Returns: the snapshot.
  /// - Throws: `DriverError` when a catalog query fails.
  static func take(
    on connection: inout PostgresConnection,
    inTransaction: Bool
  ) throws(DriverError) -> CatalogSnapshot {
    var snapshot = CatalogSnapshot()
    for row in try connection.query(relationsSQL, []) {
      if let relation = Self.relation(row) { snapshot.relations[relation.oid] = relation }
    }
    let countersSQL = inTransaction ? transactionCountersSQL : sessionCountersSQL
    snapshot.readCounters(try connection.query(countersSQL, []))
    return snapshot
  }

  private static func relation(_ row: [String?]) -> Relation? {
    guard row.count == 7, let oid = row[0], let schema = row[1], let name = row[2],
      let relkind = row[3], let kind = RelationKind(relkind: relkind)
    else { return nil }
    return Relation(
      oid: oid,
      name: RelationName(schema: schema, name: name),
      kind: kind,
      fileNode: row[4] ?? "0",
      ownerOID: row[5],
      fingerprint: row[6] ?? ""
    )
  }

  private mutating func readCounters(_ rows: [[String?]]) {
    for row in rows {
      guard row.count == 5, let oid = row[0] else { continue }
      let numbers = row.dropFirst().map { $0.flatMap { Int($0) } ?? 0 }
      counters[oid] = Counters(
        sequentialScans: numbers[0],
        rowsRead: numbers[1],
        indexScans: numbers[2],
        rowsFetchedByIndex: numbers[3]
      )
    }
  }

  /// Which of the OIDs in `$1` still exist.
  static let existingOIDsSQL = """
    SELECT oid::text FROM pg_catalog.pg_class WHERE oid = ANY ($1::oid[])
    """

  /// ``relationsSQL`` limited to the relations the current transaction changed or locked.
  ///
  /// Those are the relations whose `pg_class` row or schema the transaction (xid `$1`)
  /// wrote (`xmin`), and the OIDs in `$2`: the relations it locked. Every statement that
  /// changes a relation's columns, defaults, constraints, triggers or indexes locks it,
  /// also when it only deletes catalog rows (dropping a foreign key leaves no new row
  /// version); renaming a schema and granting are what change a relation without a lock.
  /// The OIDs are found first, so only their rows go through the fingerprint subqueries.
  static let changedRelationsSQL =
    relationsSQL + """

        AND c.oid IN (
          SELECT oid FROM pg_catalog.pg_class WHERE xmin = $1::xid
          UNION SELECT k.oid FROM pg_catalog.pg_class k
            JOIN pg_catalog.pg_namespace s ON s.oid = k.relnamespace WHERE s.xmin = $1::xid
          UNION SELECT pg_catalog.unnest($2::oid[]))
      """

  /// The transaction's counters of the tables in `$1` (a table is read only under a lock,
  /// so the locked tables are the only ones whose counters can have moved).
  static let lockedTransactionCountersSQL =
    transactionCountersSQL + """

        WHERE relid = ANY ($1::oid[])
      """

  /// Brings the snapshot up to date after a later statement of the same transaction,
  /// reading only what can have changed.
  ///
  /// Every relation that the transaction changed or locked is read again
  /// (``changedRelationsSQL``), locked relations that are gone are removed (dropping locks
  /// what it drops), the counters of locked tables are read again (reading a table locks
  /// it), and everything else is as it was (a catalog change writes a new row version
  /// carrying the transaction's xid). The result equals ``take(on:inTransaction:)`` at a
  /// fraction of the cost on large schemas. Updated in place, so the snapshot of thousands
  /// of relations is not copied per statement.
  ///
  /// - Parameters:
  ///   - connection: the session, inside the transaction.
  ///   - transactionID: the transaction's xid, as text.
  ///   - lockedOIDs: the relations the transaction holds locks on.
  /// - Throws: `DriverError` when a catalog query fails (the snapshot is then unchanged).
  /// - Returns: the snapshot as it was, restricted to the relations that may differ, and
  ///   their OIDs: all a comparison of before and after needs.
  mutating func update(
    on connection: inout PostgresConnection,
    transactionID: String,
    lockedOIDs: Set<String>
  ) throws(DriverError) -> (before: CatalogSnapshot, changed: Set<String>) {
    let locked = "{" + lockedOIDs.sorted().joined(separator: ",") + "}"
    // Dropping a relation locks it (and everything dropped with it), so only locked
    // relations can have disappeared.
    let existing = Set(
      try connection.query(Self.existingOIDsSQL, [locked]).compactMap { $0.first ?? nil }
    )
    let changedRows = try connection.query(Self.changedRelationsSQL, [transactionID, locked])
      .compactMap(Self.relation)
    let counterRows = try connection.query(Self.lockedTransactionCountersSQL, [locked])
    let changed = lockedOIDs.union(changedRows.map(\.oid))
    let before = restricted(to: changed)
    for oid in lockedOIDs where !existing.contains(oid) {
      relations[oid] = nil
    }
    for relation in changedRows { relations[relation.oid] = relation }
    readCounters(counterRows)
    return (before, changed)
  }

  /// The snapshot with only the given relations, the relations they belong to (for names),
  /// and their counters.
  ///
  /// - Parameter oids: the relations to keep.
  /// - Returns: the smaller snapshot.
  func restricted(to oids: Set<String>) -> CatalogSnapshot {
    var subset = CatalogSnapshot()
    for oid in oids {
      guard let relation = relations[oid] else { continue }
      subset.relations[oid] = relation
      if let owner = relation.ownerOID, let table = relations[owner] {
        subset.relations[owner] = table
      }
      if let counters = counters[oid] { subset.counters[oid] = counters }
    }
    return subset
  }
}

extension RelationKind {
  /// The kind for a `pg_class.relkind` letter.
  fileprivate init?(relkind: String) {
    switch relkind {
    case "r": self = .table
    case "p": self = .partitionedTable
    case "i": self = .index
    case "I": self = .partitionedIndex
    case "t": self = .toastTable
    case "toast index": self = .toastIndex
    case "m": self = .materializedView
    case "S": self = .sequence
    case "v": self = .view
    case "f": self = .foreignTable
    case "c": self = .compositeType
    default: return nil
    }
  }
}
