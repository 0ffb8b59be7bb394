public import ShiftCore

/// The referenced side of a foreign key.
public struct ForeignKeyReference: Sendable, Hashable {
  /// The referenced table.
  public var table: QualifiedName
  /// The referenced columns (empty: the referenced table's primary key).
  public var columns: [Identifier]
  /// `ON DELETE` action, upper-cased (`CASCADE`, `SET NULL`, …), if written.
  public var onDelete: String?
  /// `ON UPDATE` action, if written.
  public var onUpdate: String?

  /// Creates a reference.
  public init(
    table: QualifiedName,
    columns: [Identifier],
    onDelete: String? = nil,
    onUpdate: String? = nil
  ) {
    self.table = table
    self.columns = columns
    self.onDelete = onDelete
    self.onUpdate = onUpdate
  }
}

/// A constraint written inside a column definition.
public struct ColumnConstraint: Sendable, Hashable {
  /// The constraint's form.
  public enum Kind: Sendable, Hashable {
    case notNull
    case null
    case defaultValue(Expression)
    case check(Expression)
    case unique
    case primaryKey
    case references(ForeignKeyReference)
    /// `GENERATED ALWAYS|BY DEFAULT AS IDENTITY`; `isAlways` for ALWAYS.
    case identity(isAlways: Bool)
    /// `GENERATED ALWAYS AS (expr) STORED` (or `VIRTUAL`); SQLite's `AS (expr)` too.
    case generated(Expression, isStored: Bool)
    case collate(String)
    /// SQLite `AUTOINCREMENT` (follows PRIMARY KEY).
    case autoincrement
  }

  /// `CONSTRAINT name`, if written.
  public var name: Identifier?
  /// The constraint's form.
  public var kind: Kind
  /// Whether `NOT VALID` was written (only meaningful for table-level forms).
  public var isNotValid: Bool
  /// Where it was written.
  public var range: SourceRange

  /// Creates a column constraint.
  public init(name: Identifier?, kind: Kind, isNotValid: Bool = false, range: SourceRange) {
    self.name = name
    self.kind = kind
    self.isNotValid = isNotValid
    self.range = range
  }
}

/// A column definition in `CREATE TABLE` or `ALTER TABLE … ADD COLUMN`.
public struct ColumnDefinition: Sendable, Hashable {
  /// The column's name.
  public var name: Identifier
  /// Its type (SQLite allows none).
  public var type: TypeName?
  /// Inline constraints in the order written.
  public var constraints: [ColumnConstraint]
  /// Where it was written.
  public var range: SourceRange

  /// Creates a column definition.
  public init(
    name: Identifier,
    type: TypeName?,
    constraints: [ColumnConstraint],
    range: SourceRange
  ) {
    self.name = name
    self.type = type
    self.constraints = constraints
    self.range = range
  }

  /// The `DEFAULT` expression, if any.
  public var defaultValue: Expression? {
    for constraint in constraints {
      if case .defaultValue(let expression) = constraint.kind { return expression }
    }
    return nil
  }

  /// Whether `NOT NULL` or `PRIMARY KEY` makes the column non-nullable.
  public var isNotNull: Bool {
    constraints.contains {
      switch $0.kind {
      case .notNull, .primaryKey: true
      default: false
      }
    }
  }

  /// The identity clause's `isAlways` flag, if the column is an identity column.
  public var identity: Bool? {
    for constraint in constraints {
      if case .identity(let isAlways) = constraint.kind { return isAlways }
    }
    return nil
  }

  /// The generation expression of a generated column, if any.
  public var generatedExpression: Expression? {
    for constraint in constraints {
      if case .generated(let expression, _) = constraint.kind { return expression }
    }
    return nil
  }

  /// The foreign key written inline (`REFERENCES t (c)`), if any.
  public var reference: ForeignKeyReference? {
    for constraint in constraints {
      if case .references(let reference) = constraint.kind { return reference }
    }
    return nil
  }
}

/// A table-level constraint.
public struct TableConstraint: Sendable, Hashable {
  /// The constraint's form.
  public enum Kind: Sendable, Hashable {
    case check(Expression)
    /// `UNIQUE (cols)` or `UNIQUE USING INDEX name`.
    case unique(columns: [Identifier], usingIndex: Identifier?)
    /// `PRIMARY KEY (cols)` or `PRIMARY KEY USING INDEX name`.
    case primaryKey(columns: [Identifier], usingIndex: Identifier?)
    case foreignKey(columns: [Identifier], reference: ForeignKeyReference)
    /// `EXCLUDE USING method (…)`; the element list is not modelled.
    case exclude(method: String?)
  }

  /// `CONSTRAINT name`, if written.
  public var name: Identifier?
  /// The constraint's form.
  public var kind: Kind
  /// `NOT VALID` (foreign keys and checks only).
  public var isNotValid: Bool
  /// `DEFERRABLE` was written.
  public var isDeferrable: Bool
  /// Where it was written.
  public var range: SourceRange

  /// Creates a table constraint.
  public init(
    name: Identifier?,
    kind: Kind,
    isNotValid: Bool = false,
    isDeferrable: Bool = false,
    range: SourceRange
  ) {
    self.name = name
    self.kind = kind
    self.isNotValid = isNotValid
    self.isDeferrable = isDeferrable
    self.range = range
  }
}
