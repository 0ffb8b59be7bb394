import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

extension PlanBuilder {
  /// Skip condition: the column exists (not dropped).
  func columnExists(_ column: String, on table: ObjectName) -> String {
    "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = "
      + SQLText.literal(column) + " AND NOT attisdropped"
  }

  /// Skip condition: one of the columns no longer exists (a later phase removed it, so the
  /// step's work is over).
  func anyColumnMissing(_ columns: [String], on table: ObjectName) -> String {
    var unique: [String] = []
    for column in columns where !unique.contains(column) { unique.append(column) }
    return "SELECT 1 WHERE "
      + unique.map { "NOT EXISTS (\(columnExists($0, on: table)))" }.joined(separator: " OR ")
  }

  /// A note when views read `table`: dropping a column they use fails until they are
  /// recreated without it.
  static func viewNote(_ table: ObjectName, column: String, catalog: Catalog) -> PlanNote? {
    let views = catalog.views.values.filter { $0.referencedRelations.contains(table) }
      .map(\.name.name).sorted()
    guard !views.isEmpty else { return nil }
    return PlanNote(
      .action,
      "View(s) \(views.joined(separator: ", ")) read \(table.name): if they use \(column), recreate them without it before contract (the drop fails while a view depends on the column)."
    )
  }

  /// Two skip conditions, either of which skips.
  static func either(_ first: String?, _ second: String) -> String {
    first.map { "\($0) UNION ALL \(second)" } ?? second
  }

  /// The index's columns with `column` replaced by `replacement`, or `nil` when a key is
  /// an expression or the index is partial (the catalog does not hold them as SQL text, so
  /// the index cannot be rebuilt from it).
  static func plainColumns(
    of index: Index,
    replacing column: String,
    with replacement: String
  ) -> [String]? {
    guard index.keys.allSatisfy({ $0.column != nil }), index.predicate == nil else { return nil }
    return index.columns.compactMap { $0 }.map { $0 == column ? replacement : $0 }
  }

  /// `CREATE [UNIQUE] INDEX CONCURRENTLY` for a copy of `index` named `name` on
  /// `columns` (from ``plainColumns(of:replacing:with:)``), keeping its method and each
  /// key's options.
  static func concurrentIndexCopy(
    of index: Index,
    named name: String,
    columns: [String],
    on relation: String
  ) -> String {
    var create =
      "CREATE " + (index.isUnique ? "UNIQUE " : "")
      + "INDEX CONCURRENTLY \(SQLText.q(name)) ON \(relation)"
    if let method = index.method, method != "btree" { create += " USING " + method }
    create +=
      " ("
      + zip(columns, index.keys).map {
        SQLText.q($0) + ($1.options.isEmpty ? "" : " " + $1.options.joined(separator: " "))
      }.joined(separator: ", ") + ")"
    return create
  }

  /// Drops a column: relaxed in expand so the new version can stop writing it, dropped in
  /// contract after a backup.
  mutating func dropColumn(
    _ name: String,
    table: ObjectName,
    isCascade: Bool,
    analyzed: AnalyzedStatement
  ) {
    let catalog = analyzed.catalogBefore
    let origin = reference(analyzed)
    let relation = sql.relation(table)
    let column = catalog.table(named: table)?.column(named: name)
    let stopUsing = PlanNote(
      .action,
      "Deploy a version that no longer reads or writes \(table.name).\(name) before contract."
    )
    if let column, column.isNotNull, column.defaultValue == nil, column.identity == nil {
      var relax = ddl(
        .expand,
        "relax \(table.name).\(name) (DROP NOT NULL) so the new version can stop writing it",
        ["ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(name)) DROP NOT NULL"],
        origin: origin,
        notes: [stopUsing]
      )
      relax.skipIf =
        "SELECT 1 WHERE NOT EXISTS (\(columnExists(name, on: table)) AND attnotnull)"
      append(relax)
    } else {
      notes.append(
        PlanNote(
          .action,
          "Deploy a version that no longer reads or writes \(table.name).\(name) before contract (it is nullable or has a default, so new INSERTs can omit it).",
          source: origin
        )
      )
    }
    var step = backedUpColumnDrop(
      name,
      table: table,
      key: keyColumns(
        of: catalog.table(named: table) ?? Table(name: table, origin: .introspected)
      ),
      summary: "drop column \(table.name).\(name)",
      statements: [
        "ALTER TABLE \(relation) DROP COLUMN IF EXISTS \(SQLText.q(name))"
          + (isCascade ? " CASCADE" : "")
      ],
      origin: origin
    )
    if let note = Self.viewNote(table, column: name, catalog: catalog) { step.notes.append(note) }
    append(step, rank: 2)
  }

  /// Renames a column the expand/contract way: a new column kept equal to the old one by a
  /// two-way trigger, backfilled, and the old one dropped in contract.
  mutating func renameColumn(
    _ old: String,
    to new: String,
    table: ObjectName,
    analyzed: AnalyzedStatement
  ) {
    let catalog = analyzed.catalogBefore
    let origin = reference(analyzed)
    let relation = sql.relation(table)
    guard let tableInfo = catalog.table(named: table), let column = tableInfo.column(named: old),
      let type = column.type
    else {
      leaveOut(
        analyzed,
        reason:
          "the column's type is not known, so the new column cannot be declared; pass the schema (--schema or --database-url)"
      )
      return
    }
    if column.generated != nil || column.identity != nil {
      leaveOut(
        analyzed,
        reason: "\(old) is an identity or generated column; it cannot be mirrored by a trigger"
      )
      return
    }
    let trigger = SyncTrigger(
      table: table,
      column: new,
      form: .mirror(old: old, new: new),
      pgVersion: settings.pgVersion
    )
    triggers[ColumnKey(table: table, column: new)] = trigger
    var add =
      "ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(SQLText.q(new)) \(sql.text(of: type, origin: column.origin))"
    if let collation = column.collation { add += " COLLATE " + SQLText.q(collation) }
    var install = ddl(
      .expand,
      "add column \(table.name).\(new) kept equal to \(old) by trigger \(trigger.name)",
      [add] + trigger.installStatements(sql),
      origin: origin,
      notes: [
        PlanNote(
          .action,
          """
          The new version reads and writes \(new) (never \(old)); the trigger copies whichever \
          column a version writes into the other until contract.
          """
        )
      ]
    )
    install.skipIf = anyColumnMissing([old], on: table)
    append(install)
    backfillCount += 1
    append(
      backfillStep(
        BackfillSpec(
          name: backfillName(table: table, column: new),
          schema: table.schema,
          table: table.name,
          keyColumns: keyColumns(of: tableInfo),
          operation: .update,
          assignments: [BackfillSpec.Assignment(column: new, expression: SQLText.q(old))],
          rowFilter: "\(SQLText.q(new)) IS DISTINCT FROM \(SQLText.q(old))"
        ),
        origin: origin,
        skipIf: anyColumnMissing([old, new], on: table)
      ),
      rank: 0
    )
    // Plain indexes on the old column are rebuilt on the new one.
    for index in tableInfo.indexes where index.constraintName == nil && index.columns.contains(old)
    {
      guard let columns = Self.plainColumns(of: index, replacing: old, with: new) else {
        notes.append(
          PlanNote(
            .unsafe,
            "index \(index.name) uses \(old) in an expression or predicate; recreate it on \(new) by hand",
            source: origin
          )
        )
        continue
      }
      let name = chooseIndexName(
        table: table,
        columns: columns,
        label: index.isUnique ? "key" : "idx",
        catalog: catalog
      )
      let create = Self.concurrentIndexCopy(
        of: index,
        named: name,
        columns: columns,
        on: relation
      )
      append(
        concurrentIndexStep(
          .migrate,
          summary: "index \(name) on \(table.name)(\(new)), replacing \(index.name)",
          index: ObjectName(schema: table.schema, name: name),
          create: create,
          origin: origin
        ),
        rank: 1
      )
    }
    // Constraints on the old column are built on the new one under a temporary name
    // (migrate, after the backfill: NOT VALID + VALIDATE, or a unique index CONCURRENTLY)
    // and take the old name in contract, once the old column and its constraints are gone.
    var afterDrop: [String] = []
    for constraint in tableInfo.constraints where constraint.columns.contains(old) {
      guard let constraintName = constraint.name, constraint.kind != .primaryKey,
        constraint.kind != .exclusion
      else {
        notes.append(
          PlanNote(
            .unsafe,
            "\(constraint.kind.rawValue) constraint \(constraint.name ?? "") on \(old) is not carried over to \(new); add it on \(new) before contract",
            source: origin
          )
        )
        continue
      }
      let temporary = PostgresNaming.makeObjectName(constraintName, nil, label: "new")
      let gone = anyColumnMissing([old], on: table)
      if constraint.kind == .unique {
        var build = concurrentIndexStep(
          .migrate,
          summary:
            "unique index \(temporary) on \(table.name)(\(new)), for constraint \(constraintName)",
          index: ObjectName(schema: table.schema, name: temporary),
          create: "CREATE UNIQUE INDEX CONCURRENTLY \(SQLText.q(temporary)) ON \(relation) ("
            + constraint.columns.map { SQLText.q($0 == old ? new : $0) }.joined(separator: ", ")
            + ")",
          origin: origin
        )
        build.skipIf = Self.either(build.skipIf, gone)
        append(build, rank: 1)
        afterDrop.append(
          "ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(constraintName)) UNIQUE USING INDEX \(SQLText.q(temporary))"
        )
        continue
      }
      var renamed = constraint
      renamed.columns = constraint.columns.map { $0 == old ? new : $0 }
      if constraint.kind == .foreignKey,
        !catalog.hasIndexCovering(
          columns: constraint.columns,
          on: QualifiedName([Identifier(table.schema), Identifier(table.name)])
        )
      {
        let indexName = chooseIndexName(
          table: table,
          columns: renamed.columns,
          label: "idx",
          catalog: catalog
        )
        var build = concurrentIndexStep(
          .migrate,
          summary:
            "index \(table.name)(\(renamed.columns.joined(separator: ", "))) for foreign key \(temporary)",
          index: ObjectName(schema: table.schema, name: indexName),
          create: "CREATE INDEX CONCURRENTLY \(SQLText.q(indexName)) ON \(relation) ("
            + renamed.columns.map(SQLText.q).joined(separator: ", ") + ")",
          origin: origin
        )
        build.skipIf = Self.either(build.skipIf, gone)
        append(build, rank: 1)
      }
      let definition: String?
      if constraint.kind == .check, let check = constraint.check {
        definition = sql.text(of: check, origin: constraint.origin) {
          $0 == old ? SQLText.q(new) : nil
        }
        .map { "CHECK (\($0))" }
      } else {
        definition = constraintDefinition(renamed)
      }
      guard let definition else {
        notes.append(
          PlanNote(
            .unsafe,
            "constraint \(constraintName) on \(old) could not be re-created on \(new); add it by hand",
            source: origin
          )
        )
        continue
      }
      var add = ddl(
        .migrate,
        "\(constraint.kind.rawValue) \(temporary) on \(table.name).\(new) NOT VALID, for \(constraintName)",
        ["ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(temporary)) \(definition) NOT VALID"],
        origin: origin
      )
      add.skipIf = Self.either(constraintExists(temporary, on: table), gone)
      append(add, rank: 1)
      var validate = scan(
        .migrate,
        "validate \(temporary)",
        ["ALTER TABLE \(relation) VALIDATE CONSTRAINT \(SQLText.q(temporary))"],
        origin: origin
      )
      validate.skipIf = Self.either(constraintExists(temporary, on: table, validated: true), gone)
      append(validate, rank: 2)
      afterDrop.append(
        "ALTER TABLE \(relation) RENAME CONSTRAINT \(SQLText.q(temporary)) TO \(SQLText.q(constraintName))"
      )
    }
    if column.isNotNull {
      pendingNotNull.append(PendingNotNull(table: table, column: new, origin: origin))
    }
    if let value = column.defaultValue, let text = sql.text(of: value, origin: column.origin) {
      append(
        ddl(
          .contract,
          "carry the default of \(old) over to \(new)",
          ["ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(new)) SET DEFAULT \(text)"],
          origin: origin
        ),
        rank: 1
      )
    }
    // The trigger goes in the same transaction as the old column: until then it fills the
    // old column for the new version's INSERTs (which no longer name it).
    dropColumnInContract(
      old,
      table: table,
      tableInfo: tableInfo,
      origin: origin,
      before: trigger.removeStatements(sql),
      after: afterDrop
    )
    if let note = Self.viewNote(table, column: old, catalog: catalog) { notes.append(note) }
  }

  mutating func removeTriggerInContract(_ trigger: SyncTrigger, origin: SourceReference) {
    append(
      ddl(
        .contract,
        "remove sync trigger \(trigger.name)",
        trigger.removeStatements(sql),
        origin: origin
      ),
      rank: 0
    )
  }

  mutating func dropColumnInContract(
    _ name: String,
    table: ObjectName,
    tableInfo: Table,
    origin: SourceReference,
    before: [String] = [],
    after: [String] = []
  ) {
    var step = backedUpColumnDrop(
      name,
      table: table,
      key: keyColumns(of: tableInfo),
      summary: "drop column \(table.name).\(name)"
        + (before.isEmpty ? "" : " and its sync trigger"),
      statements: before
        + ["ALTER TABLE \(sql.relation(table)) DROP COLUMN IF EXISTS \(SQLText.q(name))"] + after,
      origin: origin
    )
    step.skipIf = anyColumnMissing([name], on: table)
    append(step, rank: 2)
  }

  /// The contract step that runs `statements` to drop `table`'s column `name`, with the
  /// column dumped (with the `key` columns) right before it.
  func backedUpColumnDrop(
    _ name: String,
    table: ObjectName,
    key: [String],
    summary: String,
    statements: [String],
    origin: SourceReference
  ) -> PlanStep {
    var step = ddl(
      .contract,
      summary,
      statements,
      origin: origin,
      notes: [
        PlanNote(
          .info,
          "The column's data is dumped (key columns and the column) right before this step."
        )
      ],
      acknowledging: ["ban-drop-column"]
    )
    step.backup = BackupSpec(
      schema: table.schema,
      table: table.name,
      columns: [name],
      keyColumns: key
    )
    return step
  }

  /// Renames a table with a view under the old name for the running version.
  mutating func renameTable(_ table: ObjectName, to new: String, analyzed: AnalyzedStatement) {
    let origin = reference(analyzed)
    let newName = ObjectName(schema: table.schema, name: new)
    var step = ddl(
      .expand,
      "rename table \(table.name) to \(new), keeping \(table.name) as a view",
      [
        "ALTER TABLE \(sql.relation(table)) RENAME TO \(SQLText.q(new))",
        "CREATE VIEW \(sql.relation(table)) AS SELECT * FROM \(sql.relation(newName))",
      ],
      origin: origin,
      notes: [
        PlanNote(
          .info,
          """
          The view is automatically updatable: the running version's SELECT, INSERT, UPDATE and \
          DELETE on \(table.name) keep working. It lists the columns as of now (columns added \
          later are not visible through it) and ON CONFLICT on the view needs PostgreSQL 15+.
          """
        )
      ],
      acknowledging: ["renaming-table"]
    )
    step.skipIf = "SELECT 1 WHERE \(regclass(newName)) IS NOT NULL"
    append(step)
    append(
      ddl(
        .contract,
        "drop compatibility view \(table.name)",
        ["DROP VIEW IF EXISTS \(sql.relation(table))"],
        origin: origin
      ),
      rank: 2
    )
  }

  /// Changes a column's type through a new column, a sync trigger and a backfill; contract
  /// swaps the columns in one short transaction, keeping the name, default, sequence
  /// ownership, NOT NULL, indexes and primary key/unique constraints.
  mutating func changeType(
    _ name: String,
    to type: TypeName,
    using: Expression?,
    table: ObjectName,
    analyzed: AnalyzedStatement
  ) {
    let catalog = analyzed.catalogBefore
    let origin = reference(analyzed)
    let relation = sql.relation(table)
    guard let tableInfo = catalog.table(named: table), let column = tableInfo.column(named: name)
    else {
      leaveOut(
        analyzed,
        reason: "the column is not known; pass the schema (--schema or --database-url)"
      )
      return
    }
    if column.generated != nil {
      leaveOut(
        analyzed,
        reason:
          "\(name) is a generated column: its expression cannot be moved to a new column online"
      )
      return
    }
    let referencing = catalog.tablesReferencing(table).filter { other in
      catalog.table(named: other)?.constraints.contains {
        $0.reference?.table == table
          && ($0.reference?.columns.contains(name) ?? false
            || ($0.reference?.columns.isEmpty ?? false
              && (tableInfo.primaryKey?.columns.contains(name) ?? false)))
      } ?? false
    }
    if !referencing.isEmpty {
      leaveOut(
        analyzed,
        reason:
          "foreign keys of \(referencing.map(\.name).joined(separator: ", ")) reference \(name); they would have to be rebuilt against the new column"
      )
      return
    }
    // Clipped to PostgreSQL's 63 bytes, as PostgreSQL would clip it.
    let temporary = PostgresNaming.choose(name, nil, label: "new") {
      tableInfo.column(named: $0) != nil
    }
    let typeText = sql.text(type.range, in: analyzed.path) ?? type.description
    let forward: String
    let backfill: String
    if let using {
      forward =
        sql.text(
          of: using,
          origin: .migration(StatementSite(path: analyzed.path, statementIndex: analyzed.index))
        ) { SyncTrigger.new($0) } ?? ""
      backfill = sql.text(using.range, in: analyzed.path) ?? ""
    } else {
      forward = "\(SyncTrigger.new(name))::\(typeText)"
      backfill = "\(SQLText.q(name))::\(typeText)"
    }
    let trigger = SyncTrigger(
      table: table,
      column: temporary,
      form: .converted(source: name, target: temporary, expression: forward),
      pgVersion: settings.pgVersion
    )
    let swapped =
      "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = "
      + SQLText.literal(name) + " AND atttypid = to_regtype(" + SQLText.literal(typeText) + ")"
    var install = ddl(
      .expand,
      "add column \(table.name).\(temporary) (\(typeText)) kept in sync with \(name) by trigger \(trigger.name)",
      ["ALTER TABLE \(relation) ADD COLUMN IF NOT EXISTS \(SQLText.q(temporary)) \(typeText)"]
        + trigger.installStatements(sql),
      origin: origin,
      notes: [
        PlanNote(
          .info,
          "Both versions keep using \(name); the trigger converts every write into \(temporary). If a value does not convert, that write fails: check the data first."
        )
      ]
    )
    install.skipIf = swapped
    append(install)
    let temporaryGone = anyColumnMissing([temporary], on: table)
    backfillCount += 1
    append(
      backfillStep(
        BackfillSpec(
          name: backfillName(table: table, column: temporary),
          schema: table.schema,
          table: table.name,
          keyColumns: keyColumns(of: tableInfo),
          operation: .update,
          assignments: [BackfillSpec.Assignment(column: temporary, expression: backfill)],
          rowFilter: "\(SQLText.q(temporary)) IS NULL AND \(SQLText.q(name)) IS NOT NULL"
        ),
        origin: origin,
        skipIf: temporaryGone
      ),
      rank: 0
    )
    var swap: [String] = trigger.removeStatements(sql)
    var after: [String] = []
    if column.isNotNull {
      let check = notNullCheckName(table: table, column: temporary)
      var add = ddl(
        .migrate,
        "check \(temporary) IS NOT NULL NOT VALID",
        [
          "ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(check)) CHECK (\(SQLText.q(temporary)) IS NOT NULL) NOT VALID"
        ],
        origin: origin
      )
      add.skipIf = Self.either(constraintExists(check, on: table), temporaryGone)
      append(add, rank: 1)
      var validate = scan(
        .migrate,
        "validate \(check)",
        ["ALTER TABLE \(relation) VALIDATE CONSTRAINT \(SQLText.q(check))"],
        origin: origin
      )
      validate.skipIf = Self.either(
        constraintExists(check, on: table, validated: true),
        temporaryGone
      )
      append(validate, rank: 2)
      swap += [
        "ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(temporary)) SET NOT NULL",
        "ALTER TABLE \(relation) DROP CONSTRAINT IF EXISTS \(SQLText.q(check))",
      ]
    }
    // Indexes (and the constraints they back) are rebuilt on the new column.
    for index in tableInfo.indexes where index.columns.contains(name) {
      guard let columns = Self.plainColumns(of: index, replacing: name, with: temporary) else {
        notes.append(
          PlanNote(
            .unsafe,
            "index \(index.name) uses \(name) in an expression or predicate; recreate it by hand",
            source: origin
          )
        )
        continue
      }
      let newIndex = PostgresNaming.makeObjectName(index.name, nil, label: "new")
      let create = Self.concurrentIndexCopy(
        of: index,
        named: newIndex,
        columns: columns,
        on: relation
      )
      var build = concurrentIndexStep(
        .migrate,
        summary: "index \(newIndex) on \(table.name)(\(temporary)), to replace \(index.name)",
        index: ObjectName(schema: table.schema, name: newIndex),
        create: create,
        origin: origin
      )
      build.skipIf = Self.either(build.skipIf, temporaryGone)
      append(build, rank: 1)
      if let constraintName = index.constraintName,
        let constraint = tableInfo.constraint(named: constraintName)
      {
        swap.append(
          "ALTER TABLE \(relation) DROP CONSTRAINT IF EXISTS \(SQLText.q(constraintName))"
        )
        after.append(
          "ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(constraintName)) "
            + (constraint.kind == .primaryKey ? "PRIMARY KEY" : "UNIQUE")
            + " USING INDEX \(SQLText.q(newIndex))"
        )
      } else {
        after.append(
          "ALTER INDEX \(sql.sibling(of: table, named: newIndex)) RENAME TO \(SQLText.q(index.name))"
        )
      }
    }
    // CHECK and FOREIGN KEY constraints on the column go with the old column; they are
    // added again NOT VALID in the swap and validated right after it.
    var revalidate: [String] = []
    for constraint in tableInfo.constraints
    where constraint.columns.contains(name)
      && (constraint.kind == .check || constraint.kind == .foreignKey)
    {
      guard let constraintName = constraint.name,
        let definition = constraintDefinition(constraint)
      else {
        notes.append(
          PlanNote(
            .unsafe,
            "\(constraint.kind.rawValue) constraint \(constraint.name ?? "") on \(name) is dropped with the old column and could not be re-created automatically; add it again on the new column (NOT VALID + VALIDATE)",
            source: origin
          )
        )
        continue
      }
      after.append(
        "ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(constraintName)) \(definition) NOT VALID"
      )
      revalidate.append(constraintName)
    }
    swap.append("ALTER TABLE \(relation) DROP COLUMN \(SQLText.q(name))")
    swap.append(
      "ALTER TABLE \(relation) RENAME COLUMN \(SQLText.q(temporary)) TO \(SQLText.q(name))"
    )
    if let value = column.defaultValue, let text = sql.text(of: value, origin: column.origin) {
      swap.append("ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(name)) SET DEFAULT \(text)")
      for call in value.functionCalls where call.name.name.value == "nextval" {
        var argument = call.arguments.first
        if case .cast(let inner, _, _)? = argument { argument = inner }
        if case .literal(.string(let sequence), _)? = argument {
          // The sequence must belong to the new column before the old one is dropped.
          swap.insert(
            "ALTER SEQUENCE \(sequence.split(separator: ".").map { SQLText.q(String($0)) }.joined(separator: ".")) OWNED BY \(relation).\(SQLText.q(temporary))",
            at: swap.count - 3
          )
        }
      }
    }
    if let identity = column.identity {
      // The old column's identity sequence goes with it: the new column gets its own,
      // continuing after the largest value.
      swap.append(
        "ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(name)) ADD GENERATED "
          + (identity == .always ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY"
      )
      after.append(
        "SELECT setval(pg_get_serial_sequence(\(SQLText.literal(relation)), \(SQLText.literal(name))), "
          + "coalesce(max(\(SQLText.q(name))), 0) + 1, false) FROM \(relation)"
      )
    }
    var step = ddl(
      .contract,
      "swap \(table.name).\(name) to \(typeText)",
      swap + after,
      origin: origin,
      notes: [
        PlanNote(
          .info,
          "One short transaction under ACCESS EXCLUSIVE: no scan, no rewrite. The old column's data is dumped first."
        ),
        PlanNote(
          .action,
          "Clients that cache the column's type (prepared statements, ORMs) see \(typeText) after this step."
        ),
        PlanNote(
          .action,
          "\(name) moves to the end of the column list: INSERT without a column list and SELECT * see a new column order."
        ),
      ],
      acknowledging: ["ban-drop-column", "renaming-column"]
    )
    step.skipIf = "SELECT 1 WHERE NOT EXISTS (\(columnExists(temporary, on: table)))"
    step.backup = BackupSpec(
      schema: table.schema,
      table: table.name,
      columns: [name],
      keyColumns: keyColumns(of: tableInfo)
    )
    if let note = Self.viewNote(table, column: name, catalog: catalog) { step.notes.append(note) }
    append(step, rank: 2)
    for constraintName in revalidate {
      var validate = scan(
        .contract,
        "validate \(constraintName) again after the swap",
        ["ALTER TABLE \(relation) VALIDATE CONSTRAINT \(SQLText.q(constraintName))"],
        origin: origin
      )
      validate.skipIf = constraintExists(constraintName, on: table, validated: true)
      append(validate, rank: 2)
    }
  }

  /// The SQL of a CHECK or FOREIGN KEY constraint from the catalog, without its name.
  func constraintDefinition(_ constraint: Constraint) -> String? {
    switch constraint.kind {
    case .check:
      guard let check = constraint.check, let text = sql.text(of: check, origin: constraint.origin)
      else { return nil }
      return "CHECK (\(text))"
    case .foreignKey:
      guard let reference = constraint.reference else { return nil }
      var text =
        "FOREIGN KEY (" + constraint.columns.map(SQLText.q).joined(separator: ", ")
        + ") REFERENCES "
        + sql.relation(reference.table)
      if !reference.columns.isEmpty {
        text += " (" + reference.columns.map(SQLText.q).joined(separator: ", ") + ")"
      }
      if let action = reference.onDelete { text += " ON DELETE " + action }
      if let action = reference.onUpdate { text += " ON UPDATE " + action }
      return text
    default:
      return nil
    }
  }
}
