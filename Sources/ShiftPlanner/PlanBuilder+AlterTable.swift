import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

extension PlanBuilder {
  /// Plans `ALTER TABLE` on an existing table, action by action.
  mutating func addAlterTable(_ alter: AlterTable, _ analyzed: AnalyzedStatement) {
    let catalog = analyzed.catalogBefore
    let table = catalog.resolveRelation(alter.table)
    let origin = reference(analyzed)
    let relation = SQLText.q(alter.table)
    for action in alter.actions {
      let actionText = sql.text(action.range, in: analyzed.path) ?? ""
      let written = "ALTER TABLE \(relation) \(actionText)"
      switch action.kind {
      case .addColumn(let column, _):
        addColumn(column, table: table, analyzed: analyzed)
      case .dropColumn(let column, _, let isCascade):
        dropColumn(column.value, table: table, isCascade: isCascade, analyzed: analyzed)
      case .renameColumn(let old, let new):
        renameColumn(old.value, to: new.value, table: table, analyzed: analyzed)
      case .alterColumnType(let column, let type, let using):
        if analyzed.effect.rewritesTable || analyzed.effect.compatibility == .breaking {
          changeType(column.value, to: type, using: using, table: table, analyzed: analyzed)
        } else {
          append(
            ddl(
              .expand,
              "change type of \(table.name).\(column.value) (no rewrite)",
              [written],
              origin: origin
            )
          )
        }
      case .setNotNull(let column):
        guard let existing = catalog.column(column.value, of: alter.table), !existing.isNotNull
        else { continue }
        let key = ColumnKey(table: table, column: column.value)
        if !analyzed.effect.scansTable {
          // A validated CHECK (col IS NOT NULL) already proves it: no scan, only the brief lock.
          append(
            ddl(
              .contract,
              "set \(table.name).\(column.value) NOT NULL (proven by a validated check)",
              [written],
              origin: origin
            ),
            rank: 1
          )
        } else if backfilledColumns.contains(key) || addedColumns.contains(key) {
          pendingNotNull.append(PendingNotNull(table: table, column: column.value, origin: origin))
        } else {
          setNotNull(
            table: table,
            column: column.value,
            origin: origin,
            checkPhase: .expand,
            checkRank: 1
          )
        }
      case .addConstraint(let constraint):
        addConstraint(constraint, table: alter.table, analyzed: analyzed)
      case .validateConstraint(let name):
        var step = scan(.migrate, "validate \(name.value)", [written], origin: origin)
        step.skipIf = constraintExists(name.value, on: table, validated: true)
        append(step, rank: 2)
      case .dropConstraint(let name, _, let isCascade):
        append(
          ddl(
            .contract,
            "drop constraint \(name.value) on \(table.name)",
            [
              "ALTER TABLE \(relation) DROP CONSTRAINT IF EXISTS \(SQLText.q(name.value))"
                + (isCascade ? " CASCADE" : "")
            ],
            origin: origin
          ),
          rank: 2
        )
      case .dropDefault(let column):
        let isNotNull = catalog.column(column.value, of: alter.table)?.isNotNull ?? false
        var step = ddl(
          .contract,
          "drop default of \(table.name).\(column.value)",
          [written],
          origin: origin,
          acknowledging: isNotNull ? ["drop-default-on-not-null"] : []
        )
        if isNotNull {
          step.notes.append(
            PlanNote(
              .action,
              "Runs in contract: the version that omitted \(column.value) in INSERTs must be gone."
            )
          )
        }
        append(step, rank: 2)
      case .renameTable(let new):
        renameTable(table, to: new.value, analyzed: analyzed)
      case .setDefault, .dropNotNull, .setStatistics, .setStorage, .setCompression,
        .setColumnOptions, .enableTrigger, .disableTrigger, .rowLevelSecurity, .rule,
        .replicaIdentity, .ownerTo, .clusterOn, .setWithoutCluster, .setStorageParameters,
        .resetStorageParameters, .renameConstraint, .alterConstraint, .setWithoutOIDs,
        .alterIdentity, .attachPartition, .inherit, .noInherit:
        append(
          ddl(
            .expand,
            "alter table \(table.name): \(Self.firstWords(actionText))",
            [written],
            origin: origin
          )
        )
      case .detachPartition:
        append(
          ddl(.contract, "detach partition from \(table.name)", [written], origin: origin),
          rank: 2
        )
      case .setLogged, .setUnlogged, .setTablespace, .setAccessMethod:
        leaveOut(
          analyzed,
          reason: """
            \(Self.firstWords(actionText)) rewrites \(table.name) under ACCESS EXCLUSIVE; \
            there is no online form (pg_repack or logical replication into a new table)
            """
        )
      case .setSchema:
        leaveOut(
          analyzed,
          reason: """
            moving \(table.name) to another schema breaks every query of the running version \
            that names it; create the table in the new schema and migrate, or keep a view
            """
        )
      case .addIdentity, .dropExpression:
        // Metadata only (the column is NOT NULL already, or the stored values stay).
        append(
          ddl(
            .expand,
            "alter table \(table.name): \(Self.firstWords(actionText))",
            [written],
            origin: origin
          )
        )
      case .other(let words):
        leaveOut(analyzed, reason: "ALTER TABLE … \(words) is not modelled")
      }
    }
  }

  static func firstWords(_ text: String) -> String {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    return words.prefix(4).joined(separator: " ")
  }

  // MARK: - Columns

  mutating func addColumn(
    _ column: ColumnDefinition,
    table: ObjectName,
    analyzed: AnalyzedStatement
  ) {
    let catalog = analyzed.catalogBefore
    let origin = reference(analyzed)
    let relation = sql.relation(table)
    let name = column.name.value
    let typeName = column.type?.name ?? ""
    if column.identity != nil || column.generatedExpression != nil
      || ["serial", "bigserial", "smallserial", "serial2", "serial4", "serial8"].contains(typeName)
    {
      leaveOut(
        analyzed,
        reason: """
          an identity, serial or stored generated column gets a value in every existing row, \
          which rewrites \(table.name) under ACCESS EXCLUSIVE; add a nullable column, a \
          sequence default for new rows and a backfill instead
          """
      )
      return
    }
    let typeText = column.type.map { sql.text($0.range, in: analyzed.path) ?? $0.description } ?? ""
    var definition =
      "ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(SQLText.q(name)) \(typeText)"
    for constraint in column.constraints {
      if case .collate(let collation) = constraint.kind {
        definition += " COLLATE " + SQLText.q(collation)
      }
    }
    var statements: [String] = []
    var notes: [PlanNote] = []
    let key = ColumnKey(table: table, column: name)
    addedColumns.insert(key)
    var fillsExistingRows = true
    if let value = column.defaultValue {
      let valueText = sql.text(value.range, in: analyzed.path) ?? ""
      let volatility = catalog.volatility(of: value, in: table)
      // A function of unknown volatility is taken as volatile, as the effect model does.
      if volatility.isVolatile || !volatility.unknownNames.isEmpty {
        statements = [
          definition,
          "ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(name)) SET DEFAULT \(valueText)",
        ]
        notes.append(
          PlanNote(
            .info,
            """
            The volatile default \(valueText) would rewrite \(table.name): the column is added \
            without it, new rows get it from SET DEFAULT, existing rows from the backfill.
            """
          )
        )
        backfillCount += 1
        let spec = BackfillSpec(
          name: backfillName(table: table, column: name),
          schema: table.schema,
          table: table.name,
          keyColumns: keyColumns(
            of: catalog.table(named: table) ?? Table(name: table, origin: .introspected)
          ),
          operation: .update,
          assignments: [BackfillSpec.Assignment(column: name, expression: valueText)],
          rowFilter: "\(SQLText.q(name)) IS NULL"
        )
        append(backfillStep(spec, origin: origin), rank: 0)
        fillsExistingRows = true
      } else {
        definition += " DEFAULT " + valueText
        if column.isNotNull { definition += " NOT NULL" }
        statements = [definition]
        fillsExistingRows = false
      }
    } else {
      statements = [definition]
      fillsExistingRows = false
      if column.isNotNull, !backfilledColumns.contains(key) {
        notes.append(
          PlanNote(
            .unsafe,
            """
            \(name) is NOT NULL without a default, so existing rows have no value for it and \
            the running version's INSERTs omit it: it is added nullable and left nullable. Give \
            it a DEFAULT, or add an UPDATE that fills it (it becomes a backfill), and plan again.
            """
          )
        )
      }
    }
    if column.isNotNull, column.defaultValue == nil || fillsExistingRows {
      if column.defaultValue != nil || backfilledColumns.contains(key) {
        pendingNotNull.append(PendingNotNull(table: table, column: name, origin: origin))
      }
    }
    append(
      ddl(.expand, "add column \(table.name).\(name)", statements, origin: origin, notes: notes)
    )
    // Inline constraints become table constraints with their own safe recipes.
    for constraint in column.constraints {
      let tableName = QualifiedName([Identifier(table.schema), Identifier(table.name)])
      let kind: TableConstraint.Kind
      switch constraint.kind {
      case .check(let expression): kind = .check(expression)
      case .unique: kind = .unique(columns: [column.name], usingIndex: nil)
      case .primaryKey: kind = .primaryKey(columns: [column.name], usingIndex: nil)
      case .references(let reference):
        kind = .foreignKey(columns: [column.name], reference: reference)
      default: continue
      }
      addConstraint(
        TableConstraint(name: constraint.name, kind: kind, range: constraint.range),
        table: tableName,
        analyzed: analyzed
      )
    }
  }

  func backfillName(table: ObjectName, column: String) -> String {
    let number = backfillCount < 10 ? "0\(backfillCount)" : "\(backfillCount)"
    let raw = "\(number)-\(table.name)-\(column)"
    return String(
      raw.unicodeScalars.map { scalar in
        let isSafe =
          (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
          || (scalar >= "0" && scalar <= "9") || scalar == "-" || scalar == "_"
        return isSafe ? Character(scalar) : "_"
      }
    )
  }

  /// A migrate step that runs a backfill.
  func backfillStep(
    _ spec: BackfillSpec,
    origin: SourceReference?,
    notes: [PlanNote] = [],
    skipIf: String? = nil
  ) -> PlanStep {
    var summary = "backfill \(spec.table)"
    if !spec.assignments.isEmpty {
      summary += ": " + spec.assignments.map(\.column).joined(separator: ", ")
    } else if spec.operation == .delete {
      summary = "delete from \(spec.table) in batches"
    }
    var allNotes = notes
    if spec.keyColumns.isEmpty {
      allNotes.append(
        PlanNote(
          .unsafe,
          "\(spec.table) has no primary key or unique NOT NULL key: the engine falls back to ctid ranges (PostgreSQL 14+)."
        )
      )
    }
    return PlanStep(
      phase: .migrate,
      summary: summary,
      isInTransaction: true,
      lockTimeout: spec.batch.lockTimeout,
      statementTimeout: spec.batch.statementTimeout,
      retry: RetryPolicy(
        maxAttempts: 20,
        initialDelayMilliseconds: 200,
        maxDelayMilliseconds: 10_000,
        retryOn: [.lockTimeout, .deadlock, .serializationFailure]
      ),
      skipIf: skipIf,
      backfill: spec,
      origins: origin.map { [$0] } ?? [],
      notes: allNotes
    )
  }
}
