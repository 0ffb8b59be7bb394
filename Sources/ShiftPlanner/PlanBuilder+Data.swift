import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

extension PlanBuilder {
  /// INSERT stays as written; UPDATE and DELETE of existing tables become backfills.
  mutating func addDataChange(_ change: DataChange, _ analyzed: AnalyzedStatement) {
    let catalog = analyzed.catalogBefore
    guard change.operation != .insert, Self.isExisting(change.table, in: catalog) else {
      addAsWritten(analyzed, isNew: !Self.isExisting(change.table, in: catalog))
      return
    }
    let origin = reference(analyzed)
    if change.hasQuery || change.hasWith || change.hasConflictClause {
      if change.hasWhere {
        var step = ddl(
          .migrate,
          Self.summary(of: analyzed.statement),
          [text(analyzed)],
          origin: origin
        )
        step.statementTimeout = "0"
        step.notes.append(
          PlanNote(
            .unsafe,
            "\(change.operation.rawValue.uppercased()) with FROM/USING, WITH or a subquery cannot be turned into a keyset backfill: it runs as written, in one transaction."
          )
        )
        append(step, rank: 0)
      } else {
        leaveOut(
          analyzed,
          reason: """
            an unbounded \(change.operation.rawValue.uppercased()) with FROM/USING or WITH \
            touches every row in one transaction and cannot be turned into a keyset backfill; \
            write it as UPDATE … SET col = expr [WHERE …] over the table's own columns
            """
        )
      }
      return
    }
    let table = catalog.resolveRelation(change.table)
    guard let tableInfo = catalog.table(named: table) else {
      leaveOut(
        analyzed,
        reason: "\(change.table) is not in the schema; pass it with --schema or --database-url"
      )
      return
    }
    let filter = change.predicate.flatMap { sql.text($0.range, in: analyzed.path) }
    let keys = keyColumns(of: tableInfo)
    var stepNotes: [PlanNote] = []
    if change.operation == .delete {
      backfillCount += 1
      let spec = BackfillSpec(
        name: backfillName(table: table, column: "delete"),
        schema: table.schema,
        table: table.name,
        keyColumns: keys,
        operation: .delete,
        rowFilter: filter
      )
      stepNotes.append(PlanNote(.info, "The deleted rows are dumped before the backfill starts."))
      var step = backfillStep(spec, origin: origin, notes: stepNotes)
      step.backup = BackupSpec(
        schema: table.schema,
        table: table.name,
        columns: [],
        keyColumns: keys
      )
      append(step, rank: 0)
      return
    }
    var assignments: [BackfillSpec.Assignment] = []
    for assignment in change.assignments {
      guard let value = assignment.value, let valueText = sql.text(value.range, in: analyzed.path)
      else {
        leaveOut(analyzed, reason: "the SET list could not be read")
        return
      }
      assignments.append(
        BackfillSpec.Assignment(column: assignment.column.value, expression: valueText)
      )
    }
    // A new column filled from other columns of the same row: a trigger keeps it filled for
    // rows the running version writes after the backfill passed them.
    if dialect == .postgres, assignments.count == 1, !change.hasWhere,
      let assignment = change.assignments.first,
      let value = assignment.value
    {
      let target = assignment.column.value
      let key = ColumnKey(table: table, column: target)
      if addedColumns.contains(key) {
        let references = value.columnReferences
        let isRowLocal =
          !value.containsSubquery
          && references.allSatisfy { $0.parts.count == 1 }
          && !catalog.volatility(of: value, in: table).isVolatile
        if isRowLocal, triggers[key] == nil {
          let sourceColumns = references.map(\.name.value).filter { $0 != target }
          var unique: [String] = []
          for column in sourceColumns where !unique.contains(column) { unique.append(column) }
          let expression =
            sql.text(
              of: value,
              origin: .migration(StatementSite(path: analyzed.path, statementIndex: analyzed.index))
            ) {
              SyncTrigger.new($0)
            } ?? ""
          let trigger = SyncTrigger(
            table: table,
            column: target,
            form: .derived(target: target, expression: expression, sourceColumns: unique),
            pgVersion: settings.pgVersion
          )
          triggers[key] = trigger
          var install = ddl(
            .expand,
            "trigger \(trigger.name): fill \(table.name).\(target) when the running version writes \(unique.joined(separator: ", "))",
            trigger.installStatements(sql),
            origin: origin,
            notes: [
              PlanNote(
                .info,
                """
                Rows the old version inserts or updates get \(target) computed, so the \
                backfill never misses a row written while it runs. The trigger does not \
                write back: the new version must keep writing \(unique.joined(separator: ", ")) \
                as long as the old version runs, or they must be nullable.
                """
              )
            ]
          )
          install.skipIf = anyColumnMissing(unique + [target], on: table)
          append(install)
          removeTriggerInContract(trigger, origin: origin)
        } else if !isRowLocal {
          stepNotes.append(
            PlanNote(
              .unsafe,
              "\(target) is computed with a subquery or a volatile function, so no trigger keeps it filled: rows the running version writes after the backfill passed them stay NULL. Have the new version write \(target) before the backfill starts."
            )
          )
        }
      }
    }
    if dialect == .sqlite, !change.hasWhere,
      change.assignments.contains(where: {
        addedColumns.contains(ColumnKey(table: table, column: $0.column.value))
      })
    {
      stepNotes.append(
        PlanNote(
          .action,
          """
          SQLite plans install no sync trigger: rows the old version writes after the backfill \
          passed them are not filled. Run the backfill again once the old version is gone, \
          before contract (it only touches rows that still differ).
          """
        )
      )
    }
    // Rows that already hold the value are skipped: a rerun, or rows the trigger filled,
    // cost no writes.
    var rowFilter = filter
    if change.assignments.allSatisfy({
      $0.value.map { !catalog.volatility(of: $0, in: table).isVolatile } ?? false
    }) {
      let changed = assignments.map {
        // SQLite spells the null-safe comparison IS NOT (IS DISTINCT FROM needs 3.39).
        "\(SQLText.q($0.column)) \(dialect == .sqlite ? "IS NOT" : "IS DISTINCT FROM") (\($0.expression))"
      }
      let condition =
        changed.count == 1 ? changed[0] : "(" + changed.joined(separator: " OR ") + ")"
      rowFilter = filter.map { "(\($0)) AND \(condition)" } ?? condition
    }
    backfillCount += 1
    let spec = BackfillSpec(
      name: backfillName(table: table, column: assignments.first?.column ?? "update"),
      schema: table.schema,
      table: table.name,
      keyColumns: keys,
      operation: .update,
      assignments: assignments,
      rowFilter: rowFilter
    )
    var used = assignments.map(\.column)
    for value in change.assignments.compactMap(\.value) + (change.predicate.map { [$0] } ?? []) {
      used += value.columnReferences.filter { $0.parts.count == 1 }.map(\.name.value)
    }
    let known = used.filter {
      tableInfo.column(named: $0) != nil
        || addedColumns.contains(ColumnKey(table: table, column: $0))
    }
    append(
      backfillStep(
        spec,
        origin: origin,
        notes: stepNotes,
        skipIf: dialect == .postgres && !known.isEmpty ? anyColumnMissing(known, on: table) : nil
      ),
      rank: 0
    )
  }

  /// DROP of existing objects goes to contract; indexes are dropped CONCURRENTLY.
  mutating func addDrop(_ drop: DropObject, _ analyzed: AnalyzedStatement) {
    let catalog = analyzed.catalogBefore
    let origin = reference(analyzed)
    switch drop.objectType {
    case .table:
      let existing = drop.names.filter {
        Self.isExisting($0, in: catalog) && catalog.table(named: $0) != nil
      }
      guard !existing.isEmpty else {
        addAsWritten(analyzed, isNew: true)
        return
      }
      for name in drop.names {
        let table = catalog.resolveRelation(name)
        let keys = catalog.table(named: table).map(keyColumns(of:)) ?? []
        var step = ddl(
          .contract,
          "drop table \(table.name)",
          ["DROP TABLE IF EXISTS \(sql.relation(table))" + (drop.isCascade ? " CASCADE" : "")],
          origin: origin,
          notes: [
            PlanNote(
              .info,
              "The table is dumped right before this step; restoring it is the only undo."
            )
          ],
          acknowledging: ["ban-drop-table"]
        )
        step.backup = BackupSpec(
          schema: table.schema,
          table: table.name,
          columns: [],
          keyColumns: keys
        )
        if drop.isCascade {
          step.notes.append(
            PlanNote(
              .unsafe,
              "CASCADE also drops the views and foreign keys that depend on \(table.name)."
            )
          )
        }
        append(step, rank: 2)
        notes.append(
          PlanNote(
            .action,
            "Deploy a version that no longer uses \(table.name) before contract.",
            source: origin
          )
        )
      }
    case .index:
      for name in drop.names {
        if skippedDrops.contains(name.name.value) { continue }
        let index = catalog.index(named: name)
        if let index, index.origin.isMigration {
          addAsWritten(analyzed, isNew: true)
          return
        }
        var step = PlanStep(
          phase: .contract,
          summary: "drop index \(name.name.value) concurrently",
          statements: ["DROP INDEX CONCURRENTLY IF EXISTS \(SQLText.q(name))"],
          isInTransaction: false,
          lockTimeout: lockTimeout,
          statementTimeout: statementTimeout,
          retry: .ddl,
          origins: [origin]
        )
        if let constraint = index?.constraintName {
          step.notes.append(
            PlanNote(
              .unsafe,
              "\(name.name.value) backs constraint \(constraint): drop the constraint instead."
            )
          )
        }
        append(step, rank: 2)
      }
    case .schema, .database:
      leaveOut(
        analyzed,
        reason:
          "dropping a schema or database destroys everything in it; do it by hand after a backup"
      )
    default:
      let isNew =
        analyzed.effect.locks.allSatisfy(\.isNewRelation) && !analyzed.effect.locks.isEmpty
      if isNew {
        addAsWritten(analyzed)
      } else {
        append(
          ddl(.contract, Self.summary(of: analyzed.statement), [text(analyzed)], origin: origin),
          rank: 2
        )
      }
    }
  }

  /// Plans a SQLite statement.
  ///
  /// UPDATE and DELETE of existing tables become backfills; an explicit
  /// transaction block stays one step (the table-rebuild procedure must stay atomic), with
  /// `PRAGMA foreign_keys = OFF`/`ON` around it when the migration switches them off
  /// before it; the rest stays as written, in its phase. What SQLite cannot do while the old
  /// version runs goes to contract, said plainly.
  mutating func addSQLite(_ analyzed: AnalyzedStatement) {
    let statement = analyzed.statement
    if statement.transactionBlock != nil {
      switch statement.kind {
      case .transaction(.begin), .transaction(.commit):
        if case .transaction(.commit) = statement.kind { flushSQLiteBlock() }
        return
      case .select:
        return
      default:
        var block = sqliteBlock ?? SQLiteBlock()
        block.statements.append(text(analyzed))
        block.origins.append(reference(analyzed))
        block.phase = max(block.phase, Self.sqlitePhase(analyzed))
        block.breakingReasons += analyzed.effect.breakingReasons
        sqliteBlock = block
        return
      }
    }
    flushSQLiteBlock()
    switch statement.kind {
    case .transaction, .select:
      return
    case .pragma(let name, let value) where name.name.value.lowercased() == "foreign_keys":
      // Wrapped around the next block instead.
      foreignKeysOff = value.map { ["off", "0", "false", "no"].contains($0.lowercased()) } ?? false
      return
    case .dataChange(let change)
    where change.operation != .insert && Self.isExisting(change.table, in: analyzed.catalogBefore):
      addDataChange(change, analyzed)
    default:
      let effect = analyzed.effect
      let phase = Self.sqlitePhase(analyzed)
      let isOnNewTable = phase == .expand && effect.phase != .expand
      var step = ddl(
        phase,
        Self.summary(of: statement),
        [text(analyzed)],
        origin: reference(analyzed)
      )
      if effect.compatibility == .breaking, !isOnNewTable {
        step.phase = .contract
        step.notes.append(Self.sqliteContractNote(analyzed.effect.breakingReasons))
        step.acknowledgedRules = Self.sqliteContractRules
      }
      append(step, rank: 2)
    }
  }

  /// The phase of a SQLite statement: its effect's, except that work on tables the plan
  /// creates stays in expand.
  static func sqlitePhase(_ analyzed: AnalyzedStatement) -> MigrationPhase {
    let effect = analyzed.effect
    if case .dataChange(let change) = analyzed.statement.kind {
      return isExisting(change.table, in: analyzed.catalogBefore) ? effect.phase : .expand
    }
    if !effect.locks.isEmpty, effect.locks.allSatisfy(\.isNewRelation) { return .expand }
    return effect.phase
  }

  static let sqliteContractRules = [
    "ban-drop-column", "renaming-column", "ban-drop-table", "renaming-table",
  ]

  static func sqliteContractNote(_ reasons: [String]) -> PlanNote {
    PlanNote(
      .unsafe,
      """
      SQLite cannot keep the old version working through this change \
      (\(reasons.joined(separator: "; "))): it runs in contract, once the old version is \
      gone, holding the database write lock for its duration.
      """
    )
  }

  mutating func flushSQLiteBlock() {
    guard let block = sqliteBlock else { return }
    sqliteBlock = nil
    let isBreaking = !block.breakingReasons.isEmpty
    var step = ddl(
      isBreaking ? .contract : block.phase,
      "transaction of \(block.statements.count) statements"
        + (foreignKeysOff ? " (foreign keys off)" : ""),
      block.statements,
      origin: block.origins.first
    )
    step.origins = block.origins
    if isBreaking {
      step.notes.append(Self.sqliteContractNote(block.breakingReasons))
      step.acknowledgedRules = Self.sqliteContractRules
    }
    if foreignKeysOff {
      // PRAGMA foreign_keys is a no-op inside a transaction: it goes around the block.
      step.isInTransaction = false
      let check =
        block.statements.contains { $0.lowercased().hasPrefix("pragma foreign_key_check") }
        ? [] : ["PRAGMA foreign_key_check"]
      step.statements =
        ["PRAGMA foreign_keys = OFF", "BEGIN IMMEDIATE"] + block.statements + check + [
          "COMMIT", "PRAGMA foreign_keys = ON",
        ]
      step.notes.append(
        PlanNote(
          .info,
          "Table rebuild: foreign keys are off around the transaction and checked (PRAGMA foreign_key_check) before COMMIT."
        )
      )
      foreignKeysOff = false
    }
    append(step, rank: 2)
  }
}

/// Statements of an explicit SQLite transaction block, kept together.
struct SQLiteBlock {
  var statements: [String] = []
  var origins: [SourceReference] = []
  var phase: MigrationPhase = .expand
  var breakingReasons: [String] = []
}
