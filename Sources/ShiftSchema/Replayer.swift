import ShiftCore
import ShiftSyntax

/// Applies one statement to a catalog, collecting what it had to assume.
struct Replayer {
  var catalog: Catalog
  let origin: Origin
  let source: SourceFile?
  var notes: [Assumption] = []

  init(catalog: Catalog, origin: Origin, source: SourceFile?) {
    self.catalog = catalog
    self.origin = origin
    self.source = source
  }

  var dialect: Dialect { catalog.dialect }
  var isPostgres: Bool { catalog.dialect == .postgres }

  /// The origin of placeholders for objects this statement refers to but the catalog lacks.
  var assumedOrigin: Origin { .assumed(origin.site) }

  mutating func note(_ kind: Assumption.Kind, _ message: String, object: String? = nil) {
    let note = Assumption(kind, message, object: object)
    if !notes.contains(note) { notes.append(note) }
  }

  mutating func noteAssumed(_ what: String, _ name: String) {
    note(.assumedExisting, "\(what) \(name) not in catalog; assumed existing", object: name)
  }

  func normalize(_ identifier: Identifier) -> String { catalog.normalize(identifier) }

  // MARK: - Dispatch

  mutating func apply(_ statement: Statement) {
    if statement.syntaxError != nil {
      if isSchemaChange(statement.kind) {
        note(.notModelled, "statement has a syntax error; its effect on the schema is not replayed")
      }
      return
    }
    switch statement.kind {
    case .createTable(let create): createTable(create)
    case .alterTable(let alter): alterTable(alter)
    case .createIndex(let create): createIndex(create)
    case .alterIndex(let alter): alterIndex(alter)
    case .createType(let create): createType(create)
    case .alterType(let alter): alterType(alter)
    case .createView(let create): createView(create)
    case .alterView(let alter): alterView(alter, range: statement.range)
    case .refreshMaterializedView(let refresh): refreshMaterializedView(refresh)
    case .createFunction(let create): createFunction(create)
    case .createTrigger(let create): createTrigger(create)
    case .drop(let drop): self.drop(drop)
    case .objectDefinition(let object): objectDefinition(object, range: statement.range)
    case .set(let parameter): set(parameter)
    case .doBlock:
      note(.notModelled, "DO block not replayed; schema changes inside it are not in the catalog")
    case .psqlMeta(let text):
      if text.hasPrefix("\\i") || text.hasPrefix("\\ir") || text.hasPrefix("\\include") {
        note(.notModelled, "included file not replayed: \(text)")
      }
    case .other(let keywords):
      if keywords.hasPrefix("CREATE") || keywords.hasPrefix("ALTER") || keywords.hasPrefix("DROP") {
        note(.notModelled, "\(keywords) not modelled by the catalog")
      }
    case .reindex, .cluster, .vacuum, .truncate, .comment, .privilege, .transaction,
      .lockTable, .dataChange, .select, .call, .copy, .pragma:
      break
    }
  }

  private func isSchemaChange(_ kind: StatementKind) -> Bool {
    switch kind {
    case .createTable, .alterTable, .createIndex, .alterIndex, .createType, .alterType,
      .createView, .alterView, .createFunction, .createTrigger, .drop, .objectDefinition:
      true
    case .other(let keywords):
      keywords.hasPrefix("CREATE") || keywords.hasPrefix("ALTER") || keywords.hasPrefix("DROP")
    default: false
    }
  }

  // MARK: - Tables

  /// The key of an existing table (or a placeholder the catalog now assumes).
  ///
  /// A missing table becomes an incomplete placeholder so later statements can refer to
  /// what this one added; every statement relying on a placeholder notes the assumption.
  mutating func tableKey(_ name: QualifiedName) -> ObjectName {
    if let key = catalog.resolve(name, where: { catalog[table: $0] != nil }) {
      if let table = catalog[table: key], table.origin.isAssumed {
        noteAssumed("table", key.description)
      }
      return key
    }
    let key = catalog.nameForCreating(name)
    noteAssumed("table", key.description)
    catalog[table: key] = Table(name: key, isComplete: false, origin: assumedOrigin)
    return key
  }

  /// The position of `column` in the table, adding a placeholder column (and noting the
  /// assumption) when the table does not have it.
  mutating func columnPosition(_ column: String, in key: ObjectName) -> Int? {
    guard let table = catalog[table: key] else { return nil }
    if let position = table.columns.firstIndex(where: { $0.name == column }) {
      if table.columns[position].origin.isAssumed {
        noteAssumed("column", "\(key).\(column)")
      }
      return position
    }
    noteAssumed("column", "\(key).\(column)")
    let placeholder = Column(name: column, type: nil, origin: assumedOrigin)
    catalog[table: key]?.columns.append(placeholder)
    return (catalog[table: key]?.columns.count ?? 1) - 1
  }

  /// Notes the columns of `columns` that the table lacks (without adding them).
  mutating func checkColumnsExist(_ columns: [String], in key: ObjectName) {
    guard let table = catalog[table: key] else { return }
    for column in columns where table.column(named: column) == nil {
      noteAssumed("column", "\(key).\(column)")
    }
  }

  // MARK: - SET

  mutating func set(_ parameter: SetParameter) {
    guard parameter.name == "search_path" else { return }
    guard !parameter.isReset, let value = parameter.value else {
      catalog.searchPath = catalog.defaultSearchPath
      return
    }
    var path: [String] = []
    for part in value.split(separator: ",") {
      var item = part.trimmingSpaces()
      if item.count >= 2, item.hasPrefix("\""), item.hasSuffix("\"") {
        item = String(item.dropFirst().dropLast())
      }
      if !item.isEmpty { path.append(item) }
    }
    catalog.searchPath = path
  }
}

extension Substring {
  /// The text without leading and trailing spaces.
  func trimmingSpaces() -> String {
    var slice = self[...]
    while let first = slice.first, first == " " { slice = slice.dropFirst() }
    while let last = slice.last, last == " " { slice = slice.dropLast() }
    return String(slice)
  }
}
