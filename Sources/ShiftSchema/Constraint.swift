public import ShiftSyntax

/// A table constraint: primary key, unique, foreign key, check or exclusion.
public struct Constraint: Sendable, Hashable {
  /// The constraint's kind.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case primaryKey = "primary key"
    case unique
    case foreignKey = "foreign key"
    case check
    case exclusion
  }

  /// The referenced side of a foreign key.
  public struct Reference: Sendable, Hashable {
    /// The referenced table.
    public var table: ObjectName
    /// The referenced columns; empty when the statement named none (the referenced
    /// table's primary key) and the catalog could not resolve it.
    public var columns: [String]
    /// `ON DELETE` action, upper-cased, if written.
    public var onDelete: String?
    /// `ON UPDATE` action, upper-cased, if written.
    public var onUpdate: String?

    /// Creates a reference.
    public init(
      table: ObjectName,
      columns: [String],
      onDelete: String? = nil,
      onUpdate: String? = nil
    ) {
      self.table = table
      self.columns = columns
      self.onDelete = onDelete
      self.onUpdate = onUpdate
    }
  }

  /// The constraint's name, as written or as PostgreSQL generates it.
  ///
  /// PostgreSQL's default names look like `orders_user_id_fkey`. SQLite does not name
  /// unnamed constraints: `nil` there.
  public var name: String?
  /// The constraint's kind.
  public var kind: Kind
  /// The constrained columns, in order (empty for checks and for exclusion constraints
  /// whose elements are not plain columns).
  public var columns: [String]
  /// The referenced table and columns of a foreign key.
  public var reference: Reference?
  /// Whether existing rows are known to satisfy it (false after `NOT VALID` until
  /// `VALIDATE CONSTRAINT`).
  public var isValidated: Bool
  /// `DEFERRABLE` was written.
  public var isDeferrable: Bool
  /// A check constraint's condition.
  public var check: Expression?
  /// The index that enforces a primary key, unique or exclusion constraint.
  public var indexName: String?
  /// Where the constraint was created.
  public var origin: Origin

  /// Creates a constraint.
  public init(
    name: String?,
    kind: Kind,
    columns: [String] = [],
    reference: Reference? = nil,
    isValidated: Bool = true,
    isDeferrable: Bool = false,
    check: Expression? = nil,
    indexName: String? = nil,
    origin: Origin
  ) {
    self.name = name
    self.kind = kind
    self.columns = columns
    self.reference = reference
    self.isValidated = isValidated
    self.isDeferrable = isDeferrable
    self.check = check
    self.indexName = indexName
    self.origin = origin
  }
}
