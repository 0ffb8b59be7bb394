public import ShiftCore

/// A relation-level lock that a traced statement's backend held when the statement ended
/// (the strongest mode it held on that relation).
public struct ObservedLock: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The locked relation, with its name before the statement (after it, for a relation the
  /// statement created).
  public var relation: ObservedRelation
  /// The strongest mode held on the relation.
  public var mode: LockMode
  /// Whether the statement created the relation (no other session can see it yet, so the
  /// lock cannot block anyone).
  public var isNewRelation: Bool

  /// Creates an observation.
  public init(relation: ObservedRelation, mode: LockMode, isNewRelation: Bool = false) {
    self.relation = relation
    self.mode = mode
    self.isNewRelation = isNewRelation
  }

  public static func < (lhs: ObservedLock, rhs: ObservedLock) -> Bool {
    lhs.relation < rhs.relation
  }

  public var description: String {
    "\(mode.rawValue) on \(relation)" + (isNewRelation ? " (new)" : "")
  }
}
