public import ShiftCore
public import ShiftSchema
public import ShiftSyntax

/// Computes the ``StatementEffect`` of one statement against the catalog as it is just
/// before the statement runs.
///
/// Pure: no I/O. The rules per statement form are described in `docs/effect-model.md`; the
/// lock modes, rewrites and scans follow what PostgreSQL 15 was measured to do
/// (`docs/postgres-lock-facts.md`), adjusted for the version in ``EffectSettings``.
///
/// ```swift
/// let model = EffectModel(catalog: catalogBefore, settings: EffectSettings(pgVersion: 16))
/// let effect = model.effect(of: statement)
/// effect.locks          // [public.users: ACCESS EXCLUSIVE]
/// effect.rewritesTable  // false
/// ```
public struct EffectModel: Sendable {
  /// The catalog just before the statement.
  public var catalog: Catalog
  /// Version and session settings.
  public var settings: EffectSettings
  /// Where the statement was written.
  ///
  /// It decides which relations are new (created earlier in the same file or transaction). `nil`: no relation counts as new.
  public var origin: Origin?
  /// Source files by path, to read details the syntax tree does not keep (whether a
  /// `CHECK` says `IS NOT NULL` or `IS NULL`).
  public var sources: [String: SourceFile]
  /// Whether the session's TimeZone is UTC at this statement (the setting, or a
  /// `SET TimeZone` earlier in the file).
  public var timeZoneIsUTC: Bool

  /// Creates a model.
  /// - Parameters:
  ///   - catalog: the catalog just before the statement.
  ///   - settings: version and session settings.
  ///   - origin: where the statement was written, if known.
  ///   - sources: source files by path (for details the syntax tree does not keep).
  ///   - timeZoneIsUTC: the session's TimeZone at this statement; `nil` takes
  ///     `settings.sessionTimeZoneIsUTC`.
  public init(
    catalog: Catalog,
    settings: EffectSettings = EffectSettings(),
    origin: Origin? = nil,
    sources: [String: SourceFile] = [:],
    timeZoneIsUTC: Bool? = nil
  ) {
    self.catalog = catalog
    self.settings = settings
    self.origin = origin
    self.sources = sources
    self.timeZoneIsUTC = timeZoneIsUTC ?? settings.sessionTimeZoneIsUTC
  }

  /// The effect of `statement`.
  /// - Parameters:
  ///   - statement: the statement, parsed in the catalog's dialect.
  ///   - transaction: the transaction it runs in (from ``EffectAnalyzer``).
  /// - Returns: the effect; ``StatementEffect/transaction`` is `transaction` with
  ///   ``TransactionContext/isIllegalInTransaction`` filled in.
  public func effect(
    of statement: Statement,
    transaction: TransactionContext = .autocommit
  ) -> StatementEffect {
    var builder = EffectBuilder()
    if statement.syntaxError != nil {
      builder.assume(.notModelled, "statement has a syntax error; its effect is unknown")
    } else if catalog.dialect == .sqlite {
      sqliteEffect(statement.kind, &builder)
    } else {
      postgresEffect(statement.kind, &builder)
    }
    return finish(builder, transaction: transaction)
  }

  // MARK: - Dispatch

  private func postgresEffect(_ kind: StatementKind, _ builder: inout EffectBuilder) {
    switch kind {
    case .createTable(let table): createTable(table, &builder)
    case .alterTable(let alter): alterTable(alter, &builder)
    case .createIndex(let index): createIndex(index, &builder)
    case .alterIndex(let alter): alterIndex(alter, &builder)
    case .reindex(let reindex): self.reindex(reindex, &builder)
    case .cluster(let cluster): self.cluster(cluster, &builder)
    case .vacuum(let vacuum): self.vacuum(vacuum, &builder)
    case .truncate(let truncate): self.truncate(truncate, &builder)
    case .createType: break
    case .alterType(let alter): alterType(alter, &builder)
    case .createView(let view): createView(view, &builder)
    case .alterView(let alter): alterView(alter, &builder)
    case .refreshMaterializedView(let refresh): refreshMaterializedView(refresh, &builder)
    case .createFunction: break
    case .createTrigger(let trigger):
      let (key, _) = relation(trigger.table, &builder)
      builder.lock(key, .shareRowExclusive)
    case .drop(let drop): self.drop(drop, &builder)
    case .objectDefinition(let object): objectDefinition(object, &builder)
    case .comment(let comment): self.comment(comment, &builder)
    case .privilege, .set, .transaction, .select, .psqlMeta, .pragma: break
    case .lockTable(let lock): lockTable(lock, &builder)
    case .dataChange(let change): dataChange(change, &builder)
    case .doBlock:
      builder.assume(.notModelled, "DO block: procedural code is not analyzed")
    case .call(let name):
      builder.assume(.notModelled, "CALL \(name): procedure bodies are not analyzed")
    case .copy(let table, let isFromStdin):
      guard let table else { break }
      let (key, _) = relation(table, &builder)
      builder.isDataChange = true
      builder.phase(.migrate)
      if isFromStdin {
        builder.lock(key, .rowExclusive)
      } else {
        builder.lock(key, .accessShare)
      }
    case .other(let keywords):
      builder.assume(.notModelled, "\(keywords) is not modelled; no locks assumed")
    }
  }

  // MARK: - Finishing

  private func finish(_ builder: EffectBuilder, transaction: TransactionContext)
    -> StatementEffect
  {
    var builder = builder
    let locks = builder.tableLocks.map { target, mode in
      let created = target.relationName.map { builder.created.contains($0) } ?? false
      return RelationLock(
        target: target,
        mode: mode,
        isNewRelation: created || target.relationName.map(isNew) ?? false,
        isCreatedByStatement: created
      )
    }
    let indexLocks = builder.indexLocks.map { name, mode in
      let created = builder.created.contains(name)
      return RelationLock(
        target: .relation(name),
        mode: mode,
        isNewRelation: created || isNewIndex(name),
        isCreatedByStatement: created
      )
    }
    if !builder.breakingReasons.isEmpty {
      builder.phase(.contract)
    } else if builder.phase == .migrate, !builder.isDataChange, !locks.isEmpty,
      locks.allSatisfy(\.isNewRelation)
    {
      // Validating or building on a relation nobody uses yet is part of creating it.
      builder.phase = .expand
    }
    var context = transaction
    context.isIllegalInTransaction =
      builder.requiresOutsideTransaction && transaction.isInTransaction
    return StatementEffect(
      locks: locks,
      indexLocks: indexLocks,
      rewrittenRelations: builder.rewritten,
      scannedRelations: builder.scanned,
      createdRelations: builder.created,
      compatibility: builder.breakingReasons.isEmpty ? .compatible : .breaking,
      breakingReasons: builder.breakingReasons,
      isDataDependent: builder.isDataDependent,
      destroysData: builder.destroysData,
      phase: builder.phase,
      requiresOutsideTransaction: builder.requiresOutsideTransaction,
      transaction: context,
      assumptions: builder.assumptions
    )
  }

  // MARK: - Lookups shared by the statement forms

  /// Whether an object with this origin was created earlier in the statement's file or
  /// transaction.
  func isNew(origin objectOrigin: Origin) -> Bool {
    guard let origin else { return false }
    return objectOrigin.isSameFile(as: origin)
      || objectOrigin.isSameTransaction(
        as: origin,
        wholeFileTransaction: settings.assumeInTransaction
      )
  }

  /// Whether the table or view `name` was created earlier in the file or transaction.
  func isNew(_ name: ObjectName) -> Bool {
    if let table = catalog.table(named: name) { return isNew(origin: table.origin) }
    if let view = catalog.views[name] { return isNew(origin: view.origin) }
    return false
  }

  private func isNewIndex(_ name: ObjectName) -> Bool {
    let qualified = QualifiedName([Identifier(name.schema), Identifier(name.name)])
    guard let index = catalog.index(named: qualified) else { return false }
    return isNew(origin: index.origin)
  }

  /// The key and table of a relation the statement names; an unknown one is assumed to
  /// exist (and the assumption recorded).
  func relation(_ name: QualifiedName, _ builder: inout EffectBuilder) -> (ObjectName, Table?) {
    if let table = catalog.table(named: name) { return (table.name, table) }
    if let view = catalog.view(named: name) { return (view.name, nil) }
    let key = catalog.resolveRelation(name)
    builder.assume(
      .unknownObject,
      "relation \(key) is not in the catalog; assumed an existing table",
      object: key.description
    )
    return (key, nil)
  }

  /// The partitions of a partitioned table, recursively (sub-partitions included).
  func partitions(of key: ObjectName) -> [ObjectName] {
    var result: [ObjectName] = []
    var queue = [key]
    while let parent = queue.popLast() {
      let children = catalog.childTables(of: parent).filter {
        catalog.table(named: $0)?.partitionParent == parent
      }
      for child in children where !result.contains(child) {
        result.append(child)
        queue.append(child)
      }
    }
    return result
  }

  /// The relations that hold a table's rows: the table, or the leaf partitions of a
  /// partitioned table.
  func storage(of key: ObjectName) -> [ObjectName] {
    guard let table = catalog.table(named: key), table.isPartitioned else { return [key] }
    return partitions(of: key).filter { catalog.table(named: $0)?.isPartitioned != true }
  }

  /// Tables whose foreign keys reference `key`, with the referencing constraints.
  func referencingTables(_ key: ObjectName) -> [(table: ObjectName, constraint: Constraint)] {
    // Filter first, sort only the matches: this runs for every UPDATE and DELETE, and
    // sorting every table each time made long files quadratic.
    // The catalog indexes which tables reference which, so a DELETE looks only at those.
    var result: [(table: ObjectName, constraint: Constraint)] = []
    for name in catalog.tablesReferencing(key) {
      guard let table = catalog.tables[name] else { continue }
      for constraint in table.constraints
      where constraint.kind == .foreignKey && constraint.reference?.table == key {
        result.append((table.name, constraint))
      }
    }
    return result.sorted { $0.table < $1.table }
  }

  /// The object name of a qualified name in the creation schema (for new objects).
  func objectName(_ name: QualifiedName, in schema: String) -> ObjectName {
    ObjectName(
      schema: name.qualifier.map(catalog.normalize) ?? schema,
      name: catalog.normalize(name.name)
    )
  }

  /// The text of `range` in the file where `origin` was written, when that file is known.
  func sourceText(_ range: SourceRange, of objectOrigin: Origin) -> String? {
    guard let path = objectOrigin.site?.path, let source = sources[path],
      range.end <= source.bytes.count, range.start >= 0, range.start <= range.end
    else { return nil }
    return source.text(range)
  }
}

extension RelationLock.Target {
  /// The relation's name, when the target is a relation.
  var relationName: ObjectName? {
    if case .relation(let name) = self { return name }
    return nil
  }
}
