public import ShiftCore
public import ShiftSchema

/// A lock a statement takes on one relation (or, for SQLite, on the whole database).
public struct RelationLock: Sendable, Hashable, CustomStringConvertible {
  /// What is locked.
  public enum Target: Sendable, Hashable, CustomStringConvertible {
    /// A table, partition, view, materialized view or index.
    case relation(ObjectName)
    /// The whole database (SQLite's write lock), reported as `*`.
    case database

    public var description: String {
      switch self {
      case .relation(let name): name.description
      case .database: "*"
      }
    }
  }

  /// What is locked.
  public var target: Target
  /// The strongest mode the statement takes on it.
  public var mode: LockMode
  /// Whether the relation was created earlier in the same file or transaction, or by this
  /// very statement: nobody else uses it yet, so the lock carries no risk.
  public var isNewRelation: Bool
  /// Whether this statement creates the relation.
  public var isCreatedByStatement: Bool

  /// Creates a lock.
  public init(
    target: Target,
    mode: LockMode,
    isNewRelation: Bool = false,
    isCreatedByStatement: Bool = false
  ) {
    self.target = target
    self.mode = mode
    self.isNewRelation = isNewRelation
    self.isCreatedByStatement = isCreatedByStatement
  }

  /// The relation's name, when the target is a relation.
  public var relation: ObjectName? {
    if case .relation(let name) = target { return name }
    return nil
  }

  /// The name as reported: `schema.name`, or `*` for the database.
  public var name: String { target.description }

  public var description: String { "\(target): \(mode)" }
}
