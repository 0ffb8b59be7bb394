/// What kind of relation a catalog entry is (PostgreSQL's `pg_class.relkind`).
public enum RelationKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// An ordinary table (`r`).
  case table
  /// A partitioned table (`p`); it has no storage of its own.
  case partitionedTable
  /// An index (`i`).
  case index
  /// A partitioned index (`I`); it has no storage of its own.
  case partitionedIndex
  /// The TOAST table holding a table's out-of-line values (`t`).
  case toastTable
  /// The index of a TOAST table (`i` on a `t`).
  case toastIndex
  /// A materialized view (`m`).
  case materializedView
  /// A sequence (`S`).
  case sequence
  /// A view (`v`).
  case view
  /// A foreign table (`f`).
  case foreignTable
  /// A composite type's relation (`c`).
  case compositeType

  /// Whether application queries use it as a table.
  ///
  /// Tables, partitioned tables, materialized views, views and foreign tables: what `lint`
  /// reports locks on.
  public var isTableLike: Bool {
    switch self {
    case .table, .partitionedTable, .materializedView, .view, .foreignTable: true
    case .index, .partitionedIndex, .toastTable, .toastIndex, .sequence, .compositeType: false
    }
  }

  /// Whether it is an index or a partitioned index of a user table (not a TOAST index).
  public var isIndex: Bool { self == .index || self == .partitionedIndex }

  /// Whether it is a TOAST table or a TOAST table's index: storage PostgreSQL manages for
  /// a table, never named in SQL.
  public var isTOAST: Bool { self == .toastTable || self == .toastIndex }
}
