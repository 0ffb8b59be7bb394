/// What a traced statement read from one table, from PostgreSQL's table statistics
/// (`pg_stat_xact_user_tables`: `seq_scan`, `seq_tup_read`, `idx_scan`, `idx_tup_fetch`),
/// as the difference between before and after the statement.
public struct ObservedScan: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The table, with its name before the statement.
  public var table: RelationName
  /// Sequential scans started.
  ///
  /// Index builds, constraint validation and table rewrites each start one.
  public var sequentialScans: Int
  /// Live rows returned by those sequential scans.
  public var rowsRead: Int
  /// Index scans started on the table's indexes.
  public var indexScans: Int
  /// Live rows fetched through those index scans.
  public var rowsFetchedByIndex: Int

  /// Creates an observation.
  public init(
    table: RelationName,
    sequentialScans: Int,
    rowsRead: Int,
    indexScans: Int,
    rowsFetchedByIndex: Int
  ) {
    self.table = table
    self.sequentialScans = sequentialScans
    self.rowsRead = rowsRead
    self.indexScans = indexScans
    self.rowsFetchedByIndex = rowsFetchedByIndex
  }

  /// Whether the table's existing rows were read by a sequential scan: at least one scan
  /// returned at least one row.
  ///
  /// A scan of an empty heap (the index rebuild `TRUNCATE` does on the new, empty storage)
  /// does not count, and neither does any scan of an empty table.
  public var readRows: Bool { sequentialScans > 0 && rowsRead > 0 }

  public static func < (lhs: ObservedScan, rhs: ObservedScan) -> Bool { lhs.table < rhs.table }

  public var description: String {
    "\(table): \(sequentialScans) seq scans (\(rowsRead) rows), "
      + "\(indexScans) index scans (\(rowsFetchedByIndex) rows)"
  }
}
