public import ShiftSyntax

/// An index on a table or materialized view.
public struct Index: Sendable, Hashable {
  /// One key of the index: a column or an expression.
  public struct Key: Sendable, Hashable {
    /// The column, when the key is a plain column.
    public var column: String?
    /// The expression, when the key is not a plain column.
    public var expression: Expression?
    /// Operator class, `COLLATE`, `ASC`/`DESC`, `NULLS …`, upper-cased as written.
    public var options: [String]

    /// Creates a key on a column.
    public init(column: String, options: [String] = []) {
      self.column = column
      self.expression = nil
      self.options = options
    }

    /// Creates a key on an expression.
    public init(expression: Expression, options: [String] = []) {
      self.column = nil
      self.expression = expression
      self.options = options
    }
  }

  /// The index's name (in the schema of its table).
  public var name: String
  /// The indexed table (or materialized view).
  public var table: ObjectName
  /// `UNIQUE`.
  public var isUnique: Bool
  /// Whether the index is valid (usable by queries and constraints).
  ///
  /// An index built
  /// `CONCURRENTLY` is valid once its statement completed; introspection may report
  /// invalid leftovers of failed builds.
  public var isValid: Bool
  /// The keys in order.
  public var keys: [Key]
  /// `INCLUDE` columns.
  public var include: [String]
  /// A partial index's predicate.
  public var predicate: Expression?
  /// The access method (`btree`, `gin`, …), PostgreSQL's default being `btree`; `nil` for SQLite.
  public var method: String?
  /// The constraint (primary key, unique, exclusion) this index enforces, if any.
  public var constraintName: String?
  /// Where the index was created.
  public var origin: Origin

  /// Creates an index.
  public init(
    name: String,
    table: ObjectName,
    isUnique: Bool = false,
    isValid: Bool = true,
    keys: [Key],
    include: [String] = [],
    predicate: Expression? = nil,
    method: String? = nil,
    constraintName: String? = nil,
    origin: Origin
  ) {
    self.name = name
    self.table = table
    self.isUnique = isUnique
    self.isValid = isValid
    self.keys = keys
    self.include = include
    self.predicate = predicate
    self.method = method
    self.constraintName = constraintName
    self.origin = origin
  }

  /// The schema-qualified name.
  public var qualifiedName: ObjectName { ObjectName(schema: table.schema, name: name) }

  /// The key columns in order; `nil` for expression keys.
  public var columns: [String?] { keys.map(\.column) }
}
