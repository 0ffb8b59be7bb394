public import ShiftCore

/// `CREATE TABLE`.
public struct CreateTable: Sendable, Hashable {
  public var name: QualifiedName
  public var ifNotExists: Bool
  public var isTemporary: Bool
  public var isUnlogged: Bool
  public var columns: [ColumnDefinition]
  public var constraints: [TableConstraint]
  /// `LIKE source` elements.
  public var likeTables: [QualifiedName]
  /// `INHERITS (…)`.
  public var inherits: [QualifiedName]
  /// `PARTITION OF parent`.
  public var partitionOf: QualifiedName?
  /// `PARTITION BY RANGE|LIST|HASH`, upper-cased strategy.
  public var partitionStrategy: String?
  /// `CREATE TABLE … AS query` (or `SELECT … INTO`).
  public var isAsQuery: Bool
  /// SQLite `WITHOUT ROWID`.
  public var isWithoutRowID: Bool
  /// SQLite `STRICT`.
  public var isStrict: Bool

  public init(name: QualifiedName) {
    self.name = name
    self.ifNotExists = false
    self.isTemporary = false
    self.isUnlogged = false
    self.columns = []
    self.constraints = []
    self.likeTables = []
    self.inherits = []
    self.partitionOf = nil
    self.partitionStrategy = nil
    self.isAsQuery = false
    self.isWithoutRowID = false
    self.isStrict = false
  }
}

/// One element of an index: a column or an expression, with its options.
public struct IndexElement: Sendable, Hashable {
  /// A column reference for plain columns, otherwise the expression.
  public var expression: Expression
  /// Operator class, `COLLATE`, `ASC/DESC`, `NULLS …` as written (upper-cased words).
  public var options: [String]
  public var range: SourceRange

  public init(expression: Expression, options: [String], range: SourceRange) {
    self.expression = expression
    self.options = options
    self.range = range
  }

  /// The column when the element is a plain column.
  public var column: Identifier? {
    if case .column(let name) = expression, name.parts.count == 1 { return name.name }
    return nil
  }
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table …`.
public struct CreateIndex: Sendable, Hashable {
  public var name: QualifiedName?
  public var table: QualifiedName
  public var isUnique: Bool
  public var isConcurrent: Bool
  public var ifNotExists: Bool
  public var isOnly: Bool
  /// `USING method`, lower-cased.
  public var method: String?
  public var elements: [IndexElement]
  public var include: [Identifier]
  /// The partial-index predicate.
  public var predicate: Expression?

  public init(table: QualifiedName) {
    self.name = nil
    self.table = table
    self.isUnique = false
    self.isConcurrent = false
    self.ifNotExists = false
    self.isOnly = false
    self.method = nil
    self.elements = []
    self.include = []
    self.predicate = nil
  }
}

/// The kinds of object that `DROP`, `COMMENT ON` and friends name.
public enum ObjectType: Sendable, Hashable {
  case table, index, view, materializedView, sequence, type, domain, function, procedure
  case routine, aggregate, trigger, schema, `extension`, policy, rule, database, column
  case constraint, role, tablespace, publication, subscription, collation, statistics
  case other(String)

  /// The SQL spelling, such as `MATERIALIZED VIEW`.
  public var sqlName: String {
    switch self {
    case .table: "TABLE"
    case .index: "INDEX"
    case .view: "VIEW"
    case .materializedView: "MATERIALIZED VIEW"
    case .sequence: "SEQUENCE"
    case .type: "TYPE"
    case .domain: "DOMAIN"
    case .function: "FUNCTION"
    case .procedure: "PROCEDURE"
    case .routine: "ROUTINE"
    case .aggregate: "AGGREGATE"
    case .trigger: "TRIGGER"
    case .schema: "SCHEMA"
    case .extension: "EXTENSION"
    case .policy: "POLICY"
    case .rule: "RULE"
    case .database: "DATABASE"
    case .column: "COLUMN"
    case .constraint: "CONSTRAINT"
    case .role: "ROLE"
    case .tablespace: "TABLESPACE"
    case .publication: "PUBLICATION"
    case .subscription: "SUBSCRIPTION"
    case .collation: "COLLATION"
    case .statistics: "STATISTICS"
    case .other(let text): text
    }
  }
}

/// `DROP object-type [CONCURRENTLY] [IF EXISTS] name [, …] [ON table] [CASCADE|RESTRICT]`.
public struct DropObject: Sendable, Hashable {
  public var objectType: ObjectType
  public var names: [QualifiedName]
  public var ifExists: Bool
  public var isCascade: Bool
  public var isConcurrent: Bool
  /// The table of a trigger, policy or rule.
  public var table: QualifiedName?

  public init(objectType: ObjectType, names: [QualifiedName]) {
    self.objectType = objectType
    self.names = names
    self.ifExists = false
    self.isCascade = false
    self.isConcurrent = false
    self.table = nil
  }
}

/// `ALTER INDEX`.
public struct AlterIndex: Sendable, Hashable {
  public enum Action: Sendable, Hashable {
    case rename(to: Identifier)
    case setTablespace(Identifier)
    case attachPartition(QualifiedName)
    case setOptions
    case other(String)
  }
  public var name: QualifiedName
  public var ifExists: Bool
  public var action: Action

  public init(name: QualifiedName, ifExists: Bool, action: Action) {
    self.name = name
    self.ifExists = ifExists
    self.action = action
  }
}

/// `REINDEX [(options)] INDEX|TABLE|SCHEMA|DATABASE|SYSTEM [CONCURRENTLY] name`.
public struct Reindex: Sendable, Hashable {
  public var target: ObjectType
  public var name: QualifiedName?
  public var isConcurrent: Bool

  public init(target: ObjectType, name: QualifiedName?, isConcurrent: Bool) {
    self.target = target
    self.name = name
    self.isConcurrent = isConcurrent
  }
}

/// `VACUUM` (and `ANALYZE` with ``isAnalyzeOnly``).
public struct Vacuum: Sendable, Hashable {
  public var isFull: Bool
  public var isAnalyzeOnly: Bool
  /// Options written in parentheses or as words, upper-cased.
  public var options: [String]
  public var tables: [QualifiedName]

  public init(isFull: Bool, isAnalyzeOnly: Bool, options: [String], tables: [QualifiedName]) {
    self.isFull = isFull
    self.isAnalyzeOnly = isAnalyzeOnly
    self.options = options
    self.tables = tables
  }
}

/// `CREATE TYPE`.
public struct CreateType: Sendable, Hashable {
  public enum Form: Sendable, Hashable {
    case enumeration([String])
    case composite([ColumnDefinition])
    case range
    case base
    case shell
  }
  public var name: QualifiedName
  public var form: Form

  public init(name: QualifiedName, form: Form) {
    self.name = name
    self.form = form
  }
}

/// `ALTER TYPE`.
public struct AlterType: Sendable, Hashable {
  public enum Action: Sendable, Hashable {
    /// `ADD VALUE [IF NOT EXISTS] 'v' [BEFORE|AFTER 'w']`; `position` is `BEFORE`/`AFTER`.
    case addValue(String, ifNotExists: Bool, position: String?, neighbor: String?)
    case renameValue(String, to: String)
    case rename(to: Identifier)
    case setSchema(Identifier)
    case ownerTo(String)
    /// `ADD/DROP/ALTER ATTRIBUTE` and other forms, with the leading words.
    case other(String)
  }
  public var name: QualifiedName
  public var action: Action

  public init(name: QualifiedName, action: Action) {
    self.name = name
    self.action = action
  }
}

/// `CREATE [OR REPLACE] [TEMP] [MATERIALIZED|RECURSIVE] VIEW`.
public struct CreateView: Sendable, Hashable {
  public var name: QualifiedName
  public var isOrReplace: Bool
  public var isMaterialized: Bool
  public var isTemporary: Bool
  public var ifNotExists: Bool
  public var columns: [Identifier]
  /// `WITH [NO] DATA` for materialized views; `nil` when not written.
  public var withData: Bool?
  /// The defining query.
  public var query: SourceRange?
  /// Tables and views named after `FROM`/`JOIN` in the defining query.
  public var referencedRelations: [QualifiedName]

  public init(name: QualifiedName) {
    self.name = name
    self.isOrReplace = false
    self.isMaterialized = false
    self.isTemporary = false
    self.ifNotExists = false
    self.columns = []
    self.withData = nil
    self.query = nil
    self.referencedRelations = []
  }
}

/// Volatility of a function.
public enum Volatility: String, Sendable, Hashable, Codable {
  case immutable, stable, volatile
}

/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
public struct CreateFunction: Sendable, Hashable {
  public var name: QualifiedName
  public var isProcedure: Bool
  public var isOrReplace: Bool
  /// The argument list as written, without parentheses.
  public var arguments: String
  /// The return type as written (`trigger`, `TABLE (…)`, `SETOF text`), if any.
  public var returns: String?
  /// The language, lower-cased (`sql`, `plpgsql`).
  public var language: String?
  /// The written volatility; PostgreSQL's default when absent is VOLATILE.
  public var volatility: Volatility?
  /// The body: the string or dollar quote after AS, or the `BEGIN ATOMIC … END` block.
  public var body: SourceRange?
  /// Whether the body is an SQL-standard `BEGIN ATOMIC … END` block or `RETURN expr`.
  public var isStandardBody: Bool

  public init(name: QualifiedName, isProcedure: Bool) {
    self.name = name
    self.isProcedure = isProcedure
    self.isOrReplace = false
    self.arguments = ""
    self.returns = nil
    self.language = nil
    self.volatility = nil
    self.body = nil
    self.isStandardBody = false
  }

  /// The volatility PostgreSQL will record.
  public var effectiveVolatility: Volatility { volatility ?? .volatile }
}

/// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER` (both dialects).
public struct CreateTrigger: Sendable, Hashable {
  public var name: QualifiedName
  public var table: QualifiedName
  public var isOrReplace: Bool
  public var isConstraint: Bool
  public var ifNotExists: Bool
  /// `BEFORE`, `AFTER` or `INSTEAD OF`.
  public var timing: String
  /// `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`.
  public var events: [String]
  /// Columns of `UPDATE OF col, …`.
  public var updateColumns: [Identifier]
  public var isForEachRow: Bool
  public var condition: Expression?
  /// PostgreSQL: the function executed.
  public var function: QualifiedName?
  /// SQLite: the `BEGIN … END` body.
  public var body: SourceRange?

  public init(name: QualifiedName, table: QualifiedName) {
    self.name = name
    self.table = table
    self.isOrReplace = false
    self.isConstraint = false
    self.ifNotExists = false
    self.timing = ""
    self.events = []
    self.updateColumns = []
    self.isForEachRow = false
    self.condition = nil
    self.function = nil
    self.body = nil
  }
}

/// `SET [SESSION|LOCAL] name {TO|=} value` and `RESET name|ALL`.
public struct SetParameter: Sendable, Hashable {
  /// The parameter, lower-cased (`lock_timeout`).
  public var name: String
  /// The value as written (strings unquoted); `nil` for RESET and `SET … TO DEFAULT`.
  public var value: String?
  public var isLocal: Bool
  public var isReset: Bool

  public init(name: String, value: String?, isLocal: Bool, isReset: Bool) {
    self.name = name
    self.value = value
    self.isLocal = isLocal
    self.isReset = isReset
  }
}

/// Transaction control.
public enum TransactionControl: Sendable, Hashable {
  case begin
  case commit
  case rollback
  case savepoint(String)
  case release(String)
  case rollbackToSavepoint(String)
  case prepareTransaction
  case commitPrepared
  case rollbackPrepared
  /// `SET TRANSACTION …` / `SET SESSION CHARACTERISTICS`.
  case setTransaction
}

/// `LOCK [TABLE] [ONLY] name [, …] [IN mode MODE] [NOWAIT]`.
public struct LockTable: Sendable, Hashable {
  public var tables: [QualifiedName]
  /// The lock mode as spelled in the PostgreSQL docs; `ACCESS EXCLUSIVE` when omitted.
  public var mode: String
  public var isNoWait: Bool

  public init(tables: [QualifiedName], mode: String, isNoWait: Bool) {
    self.tables = tables
    self.mode = mode
    self.isNoWait = isNoWait
  }
}

/// `INSERT`, `UPDATE`, `DELETE` (and SQLite `REPLACE`).
public struct DataChange: Sendable, Hashable {
  public enum Operation: String, Sendable, Hashable {
    case insert, update, delete
  }
  public var operation: Operation
  public var table: QualifiedName
  /// INSERT's column list, or UPDATE's SET targets.
  public var columns: [Identifier]
  /// UPDATE's `SET column = expr` pairs (tuple assignments keep the expression once per column).
  public var assignments: [Assignment]
  /// Whether a `WHERE` clause exists (for UPDATE/DELETE).
  public var hasWhere: Bool
  public var predicate: Expression?
  /// INSERT … SELECT, or UPDATE … FROM / DELETE … USING.
  public var hasQuery: Bool
  /// Whether the statement has a `WITH` prefix.
  public var hasWith: Bool
  /// Whether `ON CONFLICT` / `OR REPLACE|IGNORE` is present.
  public var hasConflictClause: Bool

  public init(operation: Operation, table: QualifiedName) {
    self.operation = operation
    self.table = table
    self.columns = []
    self.assignments = []
    self.hasWhere = false
    self.predicate = nil
    self.hasQuery = false
    self.hasWith = false
    self.hasConflictClause = false
  }
}

/// `column = expression` in UPDATE.
public struct Assignment: Sendable, Hashable {
  public var column: Identifier
  public var value: Expression?

  public init(column: Identifier, value: Expression?) {
    self.column = column
    self.value = value
  }
}

/// A statement the parser models only by its object and name: `CREATE SEQUENCE`,
/// `ALTER SEQUENCE`, `CREATE SCHEMA`, `CREATE EXTENSION`, `CREATE DOMAIN`, `CREATE POLICY`,
/// `COMMENT ON`, `GRANT`, `CLUSTER`, `TRUNCATE`, `REFRESH MATERIALIZED VIEW` and so on.
public struct ObjectStatement: Sendable, Hashable {
  /// The kind of object acted on.
  public var objectType: ObjectType
  /// The objects named (empty for a bare `CLUSTER;`).
  public var names: [QualifiedName]
  /// The table the object belongs to (policies, rules, triggers, index of CLUSTER).
  public var table: QualifiedName?
  /// Upper-cased option words that later rules look at (`CONCURRENTLY`, `CASCADE`,
  /// `IF NOT EXISTS`, `WITH NO DATA`, `RESTART IDENTITY`, `RENAME`, …).
  public var flags: [String]

  public init(
    objectType: ObjectType,
    names: [QualifiedName],
    table: QualifiedName? = nil,
    flags: [String] = []
  ) {
    self.objectType = objectType
    self.names = names
    self.table = table
    self.flags = flags
  }

  /// Whether `flag` was written.
  public func has(_ flag: String) -> Bool { flags.contains(flag) }
}
