/// A table as the catalog knows it.
public struct Table: Sendable, Hashable {
  /// The table's name.
  public var name: ObjectName
  /// The columns in table order.
  public var columns: [Column]
  /// The constraints in creation order.
  public var constraints: [Constraint]
  /// The indexes in creation order (those enforcing constraints included).
  public var indexes: [Index]
  /// The triggers in creation order.
  public var triggers: [Trigger]
  /// `UNLOGGED` (PostgreSQL).
  public var isUnlogged: Bool
  /// `TEMPORARY`.
  public var isTemporary: Bool
  /// `PARTITION BY` strategy (`RANGE`, `LIST`, `HASH`) of a partitioned table.
  public var partitionStrategy: String?
  /// The partitioned table this table is a partition of.
  public var partitionParent: ObjectName?
  /// `INHERITS (…)` parents.
  public var inherits: [ObjectName]
  /// SQLite `WITHOUT ROWID`.
  public var isWithoutRowID: Bool
  /// SQLite `STRICT`.
  public var isStrict: Bool
  /// The estimated number of rows (filled by introspection; `nil` when unknown).
  public var estimatedRows: Int?
  /// The size of the table's main data in bytes (filled by introspection; `nil` when unknown).
  public var sizeBytes: Int?
  /// Whether the columns are all known.
  ///
  /// False for placeholders the catalog assumed and
  /// for tables whose columns came from a query (`CREATE TABLE … AS`) or an unknown
  /// `LIKE`/parent table; lookups of unknown columns in such tables are assumptions.
  public var isComplete: Bool
  /// Where the table was created.
  public var origin: Origin

  /// Creates a table.
  public init(
    name: ObjectName,
    columns: [Column] = [],
    constraints: [Constraint] = [],
    indexes: [Index] = [],
    triggers: [Trigger] = [],
    isUnlogged: Bool = false,
    isTemporary: Bool = false,
    partitionStrategy: String? = nil,
    partitionParent: ObjectName? = nil,
    inherits: [ObjectName] = [],
    isWithoutRowID: Bool = false,
    isStrict: Bool = false,
    estimatedRows: Int? = nil,
    sizeBytes: Int? = nil,
    isComplete: Bool = true,
    origin: Origin
  ) {
    self.name = name
    self.columns = columns
    self.constraints = constraints
    self.indexes = indexes
    self.triggers = triggers
    self.isUnlogged = isUnlogged
    self.isTemporary = isTemporary
    self.partitionStrategy = partitionStrategy
    self.partitionParent = partitionParent
    self.inherits = inherits
    self.isWithoutRowID = isWithoutRowID
    self.isStrict = isStrict
    self.estimatedRows = estimatedRows
    self.sizeBytes = sizeBytes
    self.isComplete = isComplete
    self.origin = origin
  }

  /// Whether the table is partitioned (`PARTITION BY`).
  public var isPartitioned: Bool { partitionStrategy != nil }

  /// The column named `name` (already normalized), if any.
  public func column(named name: String) -> Column? {
    columns.first { $0.name == name }
  }

  /// The constraint named `name`, if any.
  public func constraint(named name: String) -> Constraint? {
    constraints.first { $0.name == name }
  }

  /// The index named `name`, if any.
  public func index(named name: String) -> Index? {
    indexes.first { $0.name == name }
  }

  /// The primary key, if any.
  public var primaryKey: Constraint? { constraints.first { $0.kind == .primaryKey } }

  /// Points the table's foreign keys, partition parent and inheritance at a renamed table.
  public mutating func rename(parent from: ObjectName, to: ObjectName) {
    for position in constraints.indices where constraints[position].reference?.table == from {
      constraints[position].reference?.table = to
    }
    if partitionParent == from { partitionParent = to }
    if inherits.contains(from) { inherits = inherits.map { $0 == from ? to : $0 } }
  }

  /// The column names in order.
  public var columnNames: [String] { columns.map(\.name) }
}
