import ShiftCore
import ShiftSyntax

/// A constraint as written in `CREATE TABLE` or `ALTER TABLE`, before the catalog names
/// it and adds it: column constraints and table constraints in one form.
struct PendingConstraint {
  enum Kind {
    case check(Expression)
    case primaryKey
    case unique
    case foreignKey(ForeignKeyReference)
    case exclusion(method: String?)
  }

  var name: String?
  var kind: Kind
  /// The constrained columns (normalized).
  var columns: [String]
  /// `USING INDEX name` of a primary key or unique constraint.
  var usingIndex: String?
  var isNotValid: Bool
  var isDeferrable: Bool
  /// Where it was written, for ordering and for reading unmodelled details.
  var range: SourceRange

  var isCheck: Bool {
    if case .check = kind { return true }
    return false
  }

  var isForeignKey: Bool {
    if case .foreignKey = kind { return true }
    return false
  }

  var isExclusion: Bool {
    if case .exclusion = kind { return true }
    return false
  }

  var isIndexBacked: Bool { !isCheck && !isForeignKey }
}
