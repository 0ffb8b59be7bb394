import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A column of a table, as a dictionary key.
struct ColumnKey: Hashable {
  var table: ObjectName
  var column: String
}

/// A column that must become NOT NULL once its data is in place: a CHECK NOT VALID and its
/// VALIDATE at the end of migrate (after the backfills), SET NOT NULL in contract.
struct PendingNotNull {
  var table: ObjectName
  var column: String
  var origin: SourceReference
}

/// The state of one planning run.
struct PlanBuilder {
  let settings: PlannerSettings
  let dialect: Dialect
  var sql: SQLText

  /// Steps by phase with their rank inside the phase (stable-sorted at the end).
  var steps: [(rank: Int, order: Int, step: PlanStep)] = []
  var notes: [PlanNote] = []
  var lockTimeout: String
  var statementTimeout: String
  /// Columns some UPDATE of the migration sets (their NOT NULL waits for the backfill).
  var backfilledColumns: Set<ColumnKey> = []
  /// Columns this plan adds to existing tables.
  var addedColumns: Set<ColumnKey> = []
  /// Triggers installed in expand, by column.
  var triggers: [ColumnKey: SyncTrigger] = [:]
  var pendingNotNull: [PendingNotNull] = []
  /// Constraint names of the tables the migration touches (as table/name keys), so the
  /// planner's own never collide.
  var usedConstraintNames: Set<ColumnKey> = []
  var backfillCount = 0
  /// SQLite: the explicit transaction block being collected.
  var sqliteBlock: SQLiteBlock?
  /// SQLite: `PRAGMA foreign_keys = OFF` seen before the next block.
  var foreignKeysOff = false
  var hasNotedTransactions = false
  /// Index names `DROP INDEX CONCURRENTLY IF EXISTS` of the migration cleans up right before
  /// a `CREATE INDEX CONCURRENTLY` of the same name (the plan adds its own cleanup).
  var skippedDrops: Set<String> = []

  init(
    settings: PlannerSettings,
    dialect: Dialect,
    sources: [String: SourceFile],
    searchPath: [String]
  ) {
    self.settings = settings
    self.dialect = dialect
    self.sql = SQLText(sources: sources, searchPath: searchPath)
    self.lockTimeout = settings.lockTimeout
    self.statementTimeout = settings.statementTimeout
  }

  // MARK: - Building

  /// Looks ahead: which columns get backfilled.
  mutating func prepare(_ statements: [AnalyzedStatement]) {
    for (position, analyzed) in statements.enumerated() {
      for table in analyzed.catalogBefore.tables.values {
        for name in table.constraints.compactMap(\.name) {
          usedConstraintNames.insert(ColumnKey(table: table.name, column: name))
        }
      }
      if case .drop(let drop) = analyzed.statement.kind, drop.objectType == .index {
        let next = statements[(position + 1)...].first {
          if case .set = $0.statement.kind { return false }
          return true
        }
        if case .createIndex(let index)? = next?.statement.kind, let name = index.name,
          drop.names.contains(where: { $0.name == name.name })
        {
          skippedDrops.insert(name.name.value)
        }
      }
      guard case .dataChange(let change) = analyzed.statement.kind, change.operation == .update
      else { continue }
      let table = analyzed.catalogBefore.resolveRelation(change.table)
      for assignment in change.assignments {
        backfilledColumns.insert(ColumnKey(table: table, column: assignment.column.value))
      }
    }
  }

  mutating func append(_ step: PlanStep, rank: Int = 1) {
    steps.append((rank, steps.count, step))
  }

  /// A reference to a statement of the migration.
  func reference(_ analyzed: AnalyzedStatement) -> SourceReference {
    let source = sql.sources[analyzed.path]
    let location = source?.location(at: analyzed.statement.range.start)
    let text = source?.text(analyzed.statement.range) ?? ""
    var excerpt = String(
      text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).first ?? ""
    )
    if excerpt.count > 120 { excerpt = String(excerpt.prefix(117)) + "..." }
    return SourceReference(
      path: analyzed.path,
      line: location?.line ?? 1,
      column: location?.column ?? 1,
      excerpt: excerpt
    )
  }

  /// The statement's text as written.
  func text(_ analyzed: AnalyzedStatement) -> String {
    sql.text(analyzed.statement.range, in: analyzed.path) ?? ""
  }

  /// A brief DDL step in a transaction with the current timeouts.
  func ddl(
    _ phase: MigrationPhase,
    _ summary: String,
    _ statements: [String],
    origin: SourceReference?,
    notes: [PlanNote] = [],
    acknowledging rules: [String] = []
  ) -> PlanStep {
    PlanStep(
      phase: phase,
      summary: summary,
      statements: statements,
      isInTransaction: true,
      lockTimeout: lockTimeout,
      statementTimeout: statementTimeout,
      retry: .ddl,
      origins: origin.map { [$0] } ?? [],
      notes: notes,
      acknowledgedRules: rules
    )
  }

  /// A step that scans under a lock that does not block writes (VALIDATE): no statement
  /// timeout.
  func scan(
    _ phase: MigrationPhase,
    _ summary: String,
    _ statements: [String],
    origin: SourceReference?
  ) -> PlanStep {
    PlanStep(
      phase: phase,
      summary: summary,
      statements: statements,
      isInTransaction: true,
      lockTimeout: lockTimeout,
      statementTimeout: "0",
      retry: .ddl,
      origins: origin.map { [$0] } ?? []
    )
  }

  /// Records a statement the plan leaves out, with the reason.
  mutating func leaveOut(_ analyzed: AnalyzedStatement, reason: String) {
    notes.append(
      PlanNote(
        .unsafe,
        "not planned: \(reason)",
        source: reference(analyzed),
        statement: text(analyzed)
      )
    )
  }

  /// Whether a relation existed before the migration (the plan must keep it online).
  static func isExisting(_ name: QualifiedName, in catalog: Catalog) -> Bool {
    if let table = catalog.table(named: name) { return !table.origin.isMigration }
    if let view = catalog.view(named: name) { return !view.origin.isMigration }
    return true
  }

  /// The keyset columns of a table: its primary key, else a unique key of NOT NULL columns.
  func keyColumns(of table: Table) -> [String] {
    if let key = table.primaryKey, !key.columns.isEmpty { return key.columns }
    if dialect == .sqlite, !table.isWithoutRowID { return ["rowid"] }
    for constraint in table.constraints where constraint.kind == .unique {
      if constraint.columns.allSatisfy({ table.column(named: $0)?.isNotNull ?? false }) {
        return constraint.columns
      }
    }
    for index in table.indexes where index.isUnique && index.predicate == nil {
      let columns = index.columns.compactMap { $0 }
      if columns.count == index.keys.count,
        columns.allSatisfy({ table.column(named: $0)?.isNotNull ?? false })
      {
        return columns
      }
    }
    return []
  }

  // MARK: - Finishing

  mutating func finish(paths: [String]) -> Plan {
    flushSQLiteBlock()
    for pending in pendingNotNull { enforceNotNullAfterBackfill(pending) }
    let ordered = steps.sorted { lhs, rhs in
      if lhs.step.phase != rhs.step.phase { return lhs.step.phase < rhs.step.phase }
      // Expand keeps the migration's order; migrate runs backfills, then checks that need
      // their data, then validations, then USING INDEX; contract removes sync triggers first.
      if lhs.step.phase != .expand, lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
      return lhs.order < rhs.order
    }
    var counters: [MigrationPhase: Int] = [:]
    var result: [PlanStep] = []
    for entry in ordered {
      var step = entry.step
      let number = (counters[step.phase] ?? 0) + 1
      counters[step.phase] = number
      step.id = step.phase.rawValue + "-" + (number < 10 ? "0" : "") + String(number)
      result.append(step)
    }
    return Plan(
      dialect: dialect,
      pgVersion: settings.pgVersion,
      sources: paths,
      steps: result,
      notes: notes
    )
  }
}
