public import ShiftCore
public import ShiftSchema

/// What one statement does to the database when it runs: the locks it takes, whether it
/// rewrites or reads whole tables, whether old code survives it, and where the planner
/// puts it.
///
/// Computed by ``EffectModel`` against the catalog as it is just before the statement;
/// ``EffectAnalyzer`` walks whole files and fills in ``transaction``.
public struct StatementEffect: Sendable, Hashable {
  /// Every table-like relation the statement locks, with the strongest mode.
  ///
  /// Tables, partitions, views and materialized views (referenced tables of foreign keys
  /// included), in the order first locked. SQLite writes lock the database (``RelationLock/Target/database``).
  public var locks: [RelationLock]
  /// Locks on indexes, kept apart from table locks.
  public var indexLocks: [RelationLock]
  /// Tables (or materialized views) whose heap gets new storage.
  public var rewrittenRelations: [ObjectName]
  /// Relations read in full while the statement's lock is held (validation, index build,
  /// rewrite, unbounded UPDATE/DELETE).
  public var scannedRelations: [ObjectName]
  /// Relations the statement creates.
  public var createdRelations: [ObjectName]
  /// Whether old code keeps working.
  public var compatibility: Compatibility
  /// Why the statement is breaking (empty when compatible).
  public var breakingReasons: [String]
  /// Whether the statement adds a constraint that existing rows, or writes by old code,
  /// may violate.
  public var isDataDependent: Bool
  /// Whether rows or columns are deleted (DROP TABLE/COLUMN, TRUNCATE, DELETE).
  public var destroysData: Bool
  /// Where the planner puts the statement.
  public var phase: MigrationPhase
  /// Whether the statement must run outside a transaction block (`CONCURRENTLY`,
  /// `VACUUM`, `ALTER TYPE … ADD VALUE` before PostgreSQL 12).
  public var requiresOutsideTransaction: Bool
  /// The transaction the statement runs in.
  public var transaction: TransactionContext
  /// What the model had to assume.
  public var assumptions: [EffectAssumption]

  /// Creates an effect.
  public init(
    locks: [RelationLock] = [],
    indexLocks: [RelationLock] = [],
    rewrittenRelations: [ObjectName] = [],
    scannedRelations: [ObjectName] = [],
    createdRelations: [ObjectName] = [],
    compatibility: Compatibility = .compatible,
    breakingReasons: [String] = [],
    isDataDependent: Bool = false,
    destroysData: Bool = false,
    phase: MigrationPhase = .expand,
    requiresOutsideTransaction: Bool = false,
    transaction: TransactionContext = .autocommit,
    assumptions: [EffectAssumption] = []
  ) {
    self.locks = locks
    self.indexLocks = indexLocks
    self.rewrittenRelations = rewrittenRelations
    self.scannedRelations = scannedRelations
    self.createdRelations = createdRelations
    self.compatibility = compatibility
    self.breakingReasons = breakingReasons
    self.isDataDependent = isDataDependent
    self.destroysData = destroysData
    self.phase = phase
    self.requiresOutsideTransaction = requiresOutsideTransaction
    self.transaction = transaction
    self.assumptions = assumptions
  }

  /// `rewritesTable` of `lint --format json`.
  public var rewritesTable: Bool { !rewrittenRelations.isEmpty }

  /// `scansTable` of `lint --format json`.
  public var scansTable: Bool { !scannedRelations.isEmpty }

  /// The strongest lock on a relation, if the statement locks it.
  public func lockMode(on relation: ObjectName) -> LockMode? {
    locks.first { $0.relation == relation }?.mode
  }

  /// The strongest table lock the statement takes, if any.
  public var strongestLock: LockMode? { locks.map(\.mode).max() }
}
