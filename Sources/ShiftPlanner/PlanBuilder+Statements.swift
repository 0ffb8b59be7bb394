import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

extension PlanBuilder {
  /// Plans one statement.
  mutating func add(_ analyzed: AnalyzedStatement) {
    let statement = analyzed.statement
    if statement.syntaxError != nil {
      leaveOut(analyzed, reason: "the statement does not parse")
      return
    }
    if dialect == .sqlite {
      addSQLite(analyzed)
      return
    }
    let catalog = analyzed.catalogBefore
    switch statement.kind {
    case .transaction:
      if !hasNotedTransactions {
        hasNotedTransactions = true
        notes.append(
          PlanNote(
            .info,
            """
            The migration's own BEGIN/COMMIT are not kept: each step runs in its own short \
            transaction (or none, for CONCURRENTLY), so no lock is held longer than one step.
            """
          )
        )
      }
    case .set(let parameter):
      addSet(parameter, analyzed)
    case .select:
      break
    case .createIndex(let index):
      addCreateIndex(index, analyzed)
    case .alterTable(let alter):
      if Self.isExisting(alter.table, in: catalog) {
        addAlterTable(alter, analyzed)
      } else {
        addAsWritten(analyzed, isNew: true)
        indexForeignKeys(of: alter, analyzed)
      }
    case .dataChange(let change):
      addDataChange(change, analyzed)
    case .drop(let drop):
      addDrop(drop, analyzed)
    case .alterType(let alter):
      if case .addValue = alter.action {
        var step = ddl(
          .expand,
          "add enum value to \(alter.name)",
          [text(analyzed)],
          origin: reference(analyzed)
        )
        step.isInTransaction = settings.pgVersion >= 12
        step.notes.append(
          PlanNote(
            .action,
            """
            An enum value cannot be removed again, and the old version may not handle it: \
            ship code that tolerates the value before any code writes it.
            """
          )
        )
        append(step)
      } else if analyzed.effect.compatibility == .breaking {
        leaveOut(
          analyzed,
          reason: """
            renaming an enum value or type breaks the running version's queries at once, \
            and there is no compatibility shim for it; add a new value and migrate rows instead
            """
        )
      } else {
        addAsWritten(analyzed)
      }
    case .truncate:
      leaveOut(
        analyzed,
        reason: """
          TRUNCATE takes ACCESS EXCLUSIVE and deletes every row at once; delete in batches \
          (DELETE … becomes a backfill) or drop the table in contract
          """
      )
    case .cluster:
      leaveOut(
        analyzed,
        reason: "it rewrites the table under ACCESS EXCLUSIVE; use pg_repack outside the migration"
      )
    case .vacuum(let vacuum) where vacuum.isFull:
      leaveOut(
        analyzed,
        reason: "it rewrites the table under ACCESS EXCLUSIVE; use pg_repack outside the migration"
      )
    case .lockTable:
      leaveOut(
        analyzed,
        reason: "the plan takes its own brief locks; an explicit LOCK TABLE would block traffic"
      )
    case .psqlMeta:
      leaveOut(analyzed, reason: "psql meta-commands are not SQL the plan can run")
    default:
      if analyzed.effect.compatibility == .breaking {
        leaveOut(
          analyzed,
          reason:
            "it breaks the running version (\(analyzed.effect.breakingReasons.joined(separator: "; "))) and the planner has no safe rewrite for it"
        )
      } else {
        addAsWritten(analyzed)
      }
    }
  }

  /// `SET lock_timeout`/`statement_timeout` become the steps' timeouts; other settings are
  /// session state the steps do not carry.
  mutating func addSet(_ parameter: SetParameter, _ analyzed: AnalyzedStatement) {
    switch parameter.name {
    case "lock_timeout":
      lockTimeout =
        parameter.isReset ? settings.lockTimeout : (parameter.value ?? settings.lockTimeout)
    case "statement_timeout":
      statementTimeout =
        parameter.isReset
        ? settings.statementTimeout : (parameter.value ?? settings.statementTimeout)
    default:
      notes.append(
        PlanNote(
          .info,
          "SET \(parameter.name) is session state; the plan's steps run in their own sessions without it.",
          source: reference(analyzed)
        )
      )
    }
  }

  /// Keeps a statement as written, in the phase its effect gives, in a transaction unless
  /// it cannot run in one.
  ///
  /// Statements on relations the plan itself creates (`isNew`) stay in expand, next to the
  /// CREATE: nobody uses those relations yet.
  mutating func addAsWritten(_ analyzed: AnalyzedStatement, isNew: Bool = false) {
    let effect = analyzed.effect
    var phase = effect.phase
    if isNew || (!effect.locks.isEmpty && effect.locks.allSatisfy(\.isNewRelation)) {
      phase = .expand
    }
    var step = ddl(
      phase,
      Self.summary(of: analyzed.statement),
      [text(analyzed)],
      origin: reference(analyzed)
    )
    if effect.requiresOutsideTransaction {
      step.isInTransaction = false
      step.statementTimeout = "0"
    }
    if effect.scansTable { step.statementTimeout = "0" }
    for assumption in effect.assumptions where assumption.kind == .notModelled {
      step.notes.append(PlanNote(.info, "not modelled by the analyzer: \(assumption.message)"))
    }
    append(step, rank: phase == .migrate ? 0 : 2)
  }

  /// A plain index on the referencing columns of foreign keys a new table gets, when none
  /// covers them (every delete of a referenced row would scan the table).
  mutating func indexForeignKeys(of alter: AlterTable, _ analyzed: AnalyzedStatement) {
    let catalog = analyzed.catalogBefore
    let table = catalog.resolveRelation(alter.table)
    for action in alter.actions {
      var columns: [String] = []
      switch action.kind {
      case .addConstraint(let constraint):
        if case .foreignKey(let written, _) = constraint.kind { columns = written.map(\.value) }
      case .addColumn(let column, _):
        if column.reference != nil { columns = [column.name.value] }
      default: break
      }
      guard !columns.isEmpty, !catalog.hasIndexCovering(columns: columns, on: alter.table) else {
        continue
      }
      let name = chooseIndexName(table: table, columns: columns, label: "idx", catalog: catalog)
      append(
        ddl(
          .expand,
          "index \(table.name)(\(columns.joined(separator: ", "))) for its foreign key",
          [
            "CREATE INDEX \(SQLText.q(name)) ON \(sql.relation(table)) ("
              + columns.map(SQLText.q).joined(separator: ", ") + ")"
          ],
          origin: reference(analyzed),
          notes: [
            PlanNote(
              .info,
              "Added by the planner: without it every delete of a referenced row scans \(table.name)."
            )
          ]
        ),
        rank: 2
      )
    }
  }

  static func summary(of statement: Statement) -> String {
    switch statement.kind {
    case .createTable(let create): "create table \(create.name)"
    case .createIndex(let index): "create index \(index.name?.description ?? "") on \(index.table)"
    case .createView(let view): "create view \(view.name)"
    case .createFunction(let function): "create function \(function.name)"
    case .createTrigger(let trigger): "create trigger \(trigger.name) on \(trigger.table)"
    case .createType(let type): "create type \(type.name)"
    case .alterTable(let alter): "alter table \(alter.table)"
    case .drop(let drop):
      "drop \(drop.objectType.sqlName.lowercased()) \(drop.names.map(\.description).joined(separator: ", "))"
    case .dataChange(let change): "\(change.operation.rawValue) \(change.table)"
    case .comment: "comment"
    case .privilege: "grant/revoke"
    default: statement.kind.summaryWord
    }
  }
}

extension StatementKind {
  /// A short word for summaries of statements the planner keeps as written.
  fileprivate var summaryWord: String {
    switch self {
    case .objectDefinition(let object):
      "\(object.objectType.sqlName.lowercased()) \(object.names.map(\.description).joined(separator: ", "))"
    case .alterType(let alter): "alter type \(alter.name)"
    case .alterIndex(let alter): "alter index \(alter.name)"
    case .reindex: "reindex"
    case .vacuum: "vacuum"
    case .refreshMaterializedView: "refresh materialized view"
    case .alterView(let view): "alter view \(view.names.map(\.description).joined(separator: ", "))"
    case .doBlock: "DO block"
    case .call(let name): "call \(name)"
    default: "statement"
    }
  }
}
