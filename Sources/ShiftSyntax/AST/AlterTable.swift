public import ShiftCore

/// `ALTER TABLE [IF EXISTS] [ONLY] name action [, action …]`.
public struct AlterTable: Sendable, Hashable {
  /// The altered table.
  public var table: QualifiedName
  /// `IF EXISTS` was written.
  public var ifExists: Bool
  /// `ONLY` was written (descendant tables are not altered).
  public var isOnly: Bool
  /// The actions in the order written.
  public var actions: [AlterTableAction]

  /// Creates the statement.
  public init(table: QualifiedName, ifExists: Bool, isOnly: Bool, actions: [AlterTableAction]) {
    self.table = table
    self.ifExists = ifExists
    self.isOnly = isOnly
    self.actions = actions
  }
}

/// One action of `ALTER TABLE`.
public struct AlterTableAction: Sendable, Hashable {
  /// Which action, with its details.
  public enum Kind: Sendable, Hashable {
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    case dropColumn(Identifier, ifExists: Bool, isCascade: Bool)
    /// `ALTER COLUMN c [SET DATA] TYPE t [COLLATE c] [USING expr]`.
    case alterColumnType(Identifier, TypeName, using: Expression?)
    case setDefault(Identifier, Expression)
    case dropDefault(Identifier)
    case setNotNull(Identifier)
    case dropNotNull(Identifier)
    /// `ALTER COLUMN c ADD GENERATED … AS IDENTITY`.
    case addIdentity(Identifier, isAlways: Bool)
    /// `ALTER COLUMN c DROP IDENTITY`, `SET GENERATED …`, sequence options.
    case alterIdentity(Identifier)
    /// `ALTER COLUMN c DROP EXPRESSION`.
    case dropExpression(Identifier)
    case setStatistics(Identifier, String)
    case setStorage(Identifier, String)
    case setCompression(Identifier, String)
    /// `ALTER COLUMN c SET (…)` / `RESET (…)`.
    case setColumnOptions(Identifier)
    case addConstraint(TableConstraint)
    case dropConstraint(Identifier, ifExists: Bool, isCascade: Bool)
    case validateConstraint(Identifier)
    case renameConstraint(Identifier, to: Identifier)
    /// `ALTER CONSTRAINT name [NOT] DEFERRABLE …`.
    case alterConstraint(Identifier)
    case renameTable(to: Identifier)
    case renameColumn(Identifier, to: Identifier)
    case setSchema(Identifier)
    case setLogged
    case setUnlogged
    case setTablespace(Identifier)
    case setAccessMethod(Identifier)
    /// `SET (storage_parameter = …)`, with the parameter names.
    case setStorageParameters([String])
    case resetStorageParameters([String])
    case attachPartition(QualifiedName)
    case detachPartition(QualifiedName, isConcurrent: Bool, isFinalize: Bool)
    /// `ENABLE [REPLICA|ALWAYS] TRIGGER name|ALL|USER`; the target is `all`/`user` or a name.
    case enableTrigger(String)
    case disableTrigger(String)
    /// `ENABLE|DISABLE|FORCE|NO FORCE ROW LEVEL SECURITY`, as upper-case words.
    case rowLevelSecurity(String)
    /// `ENABLE|DISABLE [REPLICA|ALWAYS] RULE name`.
    case rule(String)
    case replicaIdentity(String)
    case ownerTo(String)
    case inherit(QualifiedName)
    case noInherit(QualifiedName)
    case clusterOn(Identifier)
    case setWithoutCluster
    case setWithoutOIDs
    /// An action the parser does not model, with its leading words.
    case other(String)
  }

  /// The action.
  public var kind: Kind
  /// Where it was written.
  public var range: SourceRange

  /// Creates an action.
  public init(kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}
