/// A sequence, including those behind `serial` and identity columns.
public struct SequenceDefinition: Sendable, Hashable {
  /// The column that owns a sequence (`OWNED BY`, serial and identity columns).
  public struct Owner: Sendable, Hashable {
    /// The owning table.
    public var table: ObjectName
    /// The owning column.
    public var column: String

    /// Creates an owner.
    public init(table: ObjectName, column: String) {
      self.table = table
      self.column = column
    }
  }

  /// The sequence's name.
  public var name: ObjectName
  /// The owning column, if any: dropping it (or its table) drops the sequence.
  public var ownedBy: Owner?
  /// Whether the sequence belongs to an identity column (not droppable on its own).
  public var isIdentity: Bool
  /// Where the sequence was created.
  public var origin: Origin

  /// Creates a sequence.
  public init(name: ObjectName, ownedBy: Owner? = nil, isIdentity: Bool = false, origin: Origin) {
    self.name = name
    self.ownedBy = ownedBy
    self.isIdentity = isIdentity
    self.origin = origin
  }
}
