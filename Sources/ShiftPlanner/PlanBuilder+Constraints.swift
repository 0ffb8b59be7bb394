import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

extension PlanBuilder {
  /// `to_regclass('"schema"."name"')`, for skip conditions.
  func regclass(_ name: ObjectName) -> String {
    "to_regclass(" + SQLText.literal(SQLText.q(name.schema) + "." + SQLText.q(name.name)) + ")"
  }

  /// Skip condition: the constraint exists.
  func constraintExists(_ name: String, on table: ObjectName, validated: Bool = false) -> String {
    "SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = \(regclass(table)) AND conname = "
      + SQLText.literal(name) + (validated ? " AND convalidated" : "")
  }

  /// Skip condition: a valid index of that name exists.
  func validIndexExists(_ name: ObjectName) -> String {
    "SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = \(regclass(name)) AND indisvalid"
  }

  /// A `CREATE INDEX CONCURRENTLY` step, outside any transaction, dropping an INVALID
  /// leftover of an earlier failed attempt first.
  func concurrentIndexStep(
    _ phase: MigrationPhase,
    summary: String,
    index: ObjectName,
    create: String,
    origin: SourceReference?
  ) -> PlanStep {
    var step = PlanStep(
      phase: phase,
      summary: summary,
      statements: [create],
      isInTransaction: false,
      lockTimeout: lockTimeout,
      statementTimeout: "0",
      retry: .ddl,
      cleanup: ["DROP INDEX CONCURRENTLY IF EXISTS \(sql.relation(index))"],
      skipIf: validIndexExists(index),
      origins: origin.map { [$0] } ?? []
    )
    step.notes.append(
      PlanNote(
        .info,
        """
        CONCURRENTLY builds the index without blocking writes (SHARE UPDATE EXCLUSIVE) and \
        cannot run in a transaction; a failed build leaves an INVALID index, dropped before \
        the next attempt.
        """
      )
    )
    return step
  }

  /// An index name not taken in the catalog (PostgreSQL's default naming).
  func chooseIndexName(
    table: ObjectName,
    columns: [String],
    label: String,
    catalog: Catalog
  ) -> String {
    PostgresNaming.choose(table.name, PostgresNaming.nameAddition(columns), label: label) {
      catalog.index(named: QualifiedName([Identifier($0.description)])) != nil
        || catalog.table(named: ObjectName(schema: table.schema, name: $0)) != nil
    }
  }

  mutating func addCreateIndex(_ index: CreateIndex, _ analyzed: AnalyzedStatement) {
    let catalog = analyzed.catalogBefore
    guard Self.isExisting(index.table, in: catalog) else {
      addAsWritten(analyzed, isNew: true)
      return
    }
    let table = catalog.resolveRelation(index.table)
    let name =
      index.name?.name.value
      ?? chooseIndexName(
        table: table,
        columns: PostgresNaming.indexColumnNames(
          index.elements.map { element in
            element.column.map { Index.Key(column: $0.value) }
              ?? Index.Key(expression: element.expression)
          }
        ),
        label: index.isUnique ? "key" : "idx",
        catalog: catalog
      )
    var create = "CREATE " + (index.isUnique ? "UNIQUE " : "") + "INDEX CONCURRENTLY "
    create += SQLText.q(name) + " ON " + (index.isOnly ? "ONLY " : "") + SQLText.q(index.table)
    if let method = index.method { create += " USING " + method }
    let elements = index.elements.map {
      sql.text($0.range, in: analyzed.path) ?? ""
    }
    create += " (" + elements.joined(separator: ", ") + ")"
    if !index.include.isEmpty {
      create +=
        " INCLUDE (" + index.include.map { SQLText.q($0.value) }.joined(separator: ", ") + ")"
    }
    if let predicate = index.predicate, let text = sql.text(predicate.range, in: analyzed.path) {
      create += " WHERE " + text
    }
    var step = concurrentIndexStep(
      .expand,
      summary: "create index \(name) on \(table.name) concurrently",
      index: ObjectName(schema: table.schema, name: name),
      create: create,
      origin: reference(analyzed)
    )
    if index.isUnique {
      step.notes.append(
        PlanNote(
          .action,
          "Duplicates already in the table make the build fail; old code writing duplicates fails once the index is valid."
        )
      )
    }
    if index.isOnly {
      step.notes.append(
        PlanNote(
          .unsafe,
          "CONCURRENTLY is not supported for ON ONLY (partitioned tables): build each partition's index instead."
        )
      )
    }
    append(step)
  }

  // MARK: - Constraints

  /// A constraint's name: as written, else PostgreSQL's default.
  func constraintName(
    _ written: Identifier?,
    table: ObjectName,
    columns: [String],
    label: String,
    catalog: Catalog
  ) -> String {
    if let written { return written.value }
    let taken = Set(
      catalog.constraints(on: QualifiedName([Identifier(table.name)])).compactMap(\.name)
    )
    return PostgresNaming.choose(table.name, columns.first, label: label) {
      taken.contains($0) || catalog.index(named: QualifiedName([Identifier($0)])) != nil
    }
  }

  /// Plans `ADD CONSTRAINT` on an existing table.
  mutating func addConstraint(
    _ constraint: TableConstraint,
    table: QualifiedName,
    analyzed: AnalyzedStatement
  ) {
    let catalog = analyzed.catalogBefore
    let resolved = catalog.resolveRelation(table)
    let origin = reference(analyzed)
    let relation = SQLText.q(table)
    switch constraint.kind {
    case .check(let expression):
      let columns = expression.columnReferences.map(\.name.value)
      let name = constraintName(
        constraint.name,
        table: resolved,
        columns: columns,
        label: "check",
        catalog: catalog
      )
      let text = sql.text(expression.range, in: analyzed.path) ?? ""
      addValidatedLater(
        table: resolved,
        relation: relation,
        name: name,
        definition: "CHECK (\(text))",
        isNotValid: constraint.isNotValid,
        summary: "check \(name) on \(resolved.name)",
        origin: origin
      )
    case .foreignKey(let columns, let reference):
      let names = columns.map(\.value)
      let name = constraintName(
        constraint.name,
        table: resolved,
        columns: names,
        label: "fkey",
        catalog: catalog
      )
      if !catalog.hasIndexCovering(columns: names, on: table) {
        let indexName = chooseIndexName(
          table: resolved,
          columns: names,
          label: "idx",
          catalog: catalog
        )
        var step = concurrentIndexStep(
          .expand,
          summary:
            "index \(resolved.name)(\(names.joined(separator: ", "))) for foreign key \(name)",
          index: ObjectName(schema: resolved.schema, name: indexName),
          create: "CREATE INDEX CONCURRENTLY \(SQLText.q(indexName)) ON \(relation) ("
            + names.map(SQLText.q).joined(separator: ", ") + ")",
          origin: origin
        )
        step.notes.append(
          PlanNote(
            .info,
            "Added by the planner: without it every delete of a referenced row scans \(resolved.name)."
          )
        )
        append(step)
      }
      var definition =
        "FOREIGN KEY (" + names.map(SQLText.q).joined(separator: ", ") + ") REFERENCES "
        + SQLText.q(reference.table)
      if !reference.columns.isEmpty {
        definition +=
          " (" + reference.columns.map { SQLText.q($0.value) }.joined(separator: ", ") + ")"
      }
      if let action = reference.onDelete { definition += " ON DELETE " + action }
      if let action = reference.onUpdate { definition += " ON UPDATE " + action }
      if constraint.isDeferrable { definition += " DEFERRABLE" }
      addValidatedLater(
        table: resolved,
        relation: relation,
        name: name,
        definition: definition,
        isNotValid: constraint.isNotValid,
        summary: "foreign key \(name) on \(resolved.name)",
        origin: origin
      )
    case .unique(let columns, nil), .primaryKey(let columns, nil):
      let isPrimary: Bool
      if case .primaryKey = constraint.kind { isPrimary = true } else { isPrimary = false }
      let names = columns.map(\.value)
      let name = constraintName(
        constraint.name,
        table: resolved,
        columns: isPrimary ? [] : names,
        label: isPrimary ? "pkey" : "key",
        catalog: catalog
      )
      let indexName = ObjectName(schema: resolved.schema, name: name)
      append(
        concurrentIndexStep(
          .expand,
          summary: "unique index \(name) on \(resolved.name) concurrently",
          index: indexName,
          create: "CREATE UNIQUE INDEX CONCURRENTLY \(SQLText.q(name)) ON \(relation) ("
            + names.map(SQLText.q).joined(separator: ", ") + ")",
          origin: origin
        )
      )
      let nullable = names.filter { !(catalog.column($0, of: table)?.isNotNull ?? true) }
      var attach = ddl(
        nullable.isEmpty ? .migrate : .contract,
        "\(isPrimary ? "primary key" : "unique constraint") \(name) using its index",
        [
          "ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(name)) "
            + (isPrimary ? "PRIMARY KEY" : "UNIQUE") + " USING INDEX \(SQLText.q(name))"
        ],
        origin: origin
      )
      attach.skipIf = constraintExists(name, on: resolved)
      if isPrimary {
        for column in nullable {
          pendingNotNull.append(PendingNotNull(table: resolved, column: column, origin: origin))
        }
      }
      append(attach, rank: 3)
    case .unique, .primaryKey:
      addAsWritten(analyzed)
    case .exclude:
      leaveOut(
        analyzed,
        reason: """
          an EXCLUDE constraint builds its index under ACCESS EXCLUSIVE and has no NOT VALID \
          or USING INDEX form; add it while the table is small or in a maintenance window
          """
      )
    }
  }

  /// A CHECK or foreign key: `NOT VALID` in expand, `VALIDATE` in its own transaction in
  /// migrate.
  mutating func addValidatedLater(
    table: ObjectName,
    relation: String,
    name: String,
    definition: String,
    isNotValid: Bool,
    summary: String,
    origin: SourceReference
  ) {
    var add = ddl(
      .expand,
      "add \(summary) NOT VALID",
      ["ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(name)) \(definition) NOT VALID"],
      origin: origin,
      notes: [
        PlanNote(
          .info,
          "NOT VALID checks new writes only, without scanning existing rows under the lock."
        )
      ]
    )
    add.skipIf = constraintExists(name, on: table)
    append(add)
    guard !isNotValid else { return }
    var validate = scan(
      .migrate,
      "validate \(name)",
      ["ALTER TABLE \(relation) VALIDATE CONSTRAINT \(SQLText.q(name))"],
      origin: origin
    )
    validate.skipIf = constraintExists(name, on: table, validated: true)
    validate.notes.append(
      PlanNote(
        .info,
        "VALIDATE scans under SHARE UPDATE EXCLUSIVE: reads and writes continue. Existing rows that violate it make it fail; fix them and run the step again."
      )
    )
    append(validate, rank: 2)
  }

  // MARK: - NOT NULL

  /// Makes an existing column NOT NULL: CHECK NOT VALID (expand), VALIDATE (migrate),
  /// SET NOT NULL proven by the check and the check dropped (contract).
  mutating func setNotNull(
    table: ObjectName,
    column: String,
    origin: SourceReference,
    checkPhase: MigrationPhase,
    checkRank: Int
  ) {
    let relation = sql.relation(table)
    let check = notNullCheckName(table: table, column: column)
    var add = ddl(
      checkPhase,
      "check \(column) IS NOT NULL on \(table.name) NOT VALID",
      [
        "ALTER TABLE \(relation) ADD CONSTRAINT \(SQLText.q(check)) CHECK (\(SQLText.q(column)) IS NOT NULL) NOT VALID"
      ],
      origin: origin
    )
    add.skipIf =
      "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = "
      + SQLText.literal(column) + " AND attnotnull UNION ALL "
      + constraintExists(check, on: table)
    append(add, rank: checkRank)
    var validate = scan(
      .migrate,
      "validate \(check)",
      ["ALTER TABLE \(relation) VALIDATE CONSTRAINT \(SQLText.q(check))"],
      origin: origin
    )
    validate.skipIf =
      "SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = \(regclass(table)) AND attname = "
      + SQLText.literal(column) + " AND attnotnull"
    validate.notes.append(
      PlanNote(
        .action,
        "Fails while rows with \(column) IS NULL remain: fill them, then run the step again."
      )
    )
    append(validate, rank: 2)
    var enforce = ddl(
      .contract,
      "set \(table.name).\(column) NOT NULL",
      [
        "ALTER TABLE \(relation) ALTER COLUMN \(SQLText.q(column)) SET NOT NULL",
        "ALTER TABLE \(relation) DROP CONSTRAINT IF EXISTS \(SQLText.q(check))",
      ],
      origin: origin
    )
    enforce.notes.append(
      PlanNote(
        .info,
        settings.pgVersion >= 12
          ? "SET NOT NULL uses the validated check instead of scanning (PostgreSQL 12+)."
          : "Before PostgreSQL 12, SET NOT NULL scans the table under ACCESS EXCLUSIVE even with the check."
      )
    )
    append(enforce, rank: 1)
  }

  /// The name of the planner's `CHECK (col IS NOT NULL)`, not taken by another constraint.
  mutating func notNullCheckName(table: ObjectName, column: String) -> String {
    let name = PostgresNaming.choose(table.name, column, label: "not_null") {
      usedConstraintNames.contains(ColumnKey(table: table, column: $0))
    }
    usedConstraintNames.insert(ColumnKey(table: table, column: name))
    return name
  }

  /// NOT NULL for a column this plan fills: the check after the backfills.
  mutating func enforceNotNullAfterBackfill(_ pending: PendingNotNull) {
    setNotNull(
      table: pending.table,
      column: pending.column,
      origin: pending.origin,
      checkPhase: .migrate,
      checkRank: 1
    )
  }
}
