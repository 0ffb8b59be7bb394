public import ShiftSyntax

/// The database schema as of one point in a migration set.
///
/// Built by replaying DDL (earlier migration files, `--schema` files; see ``CatalogBuilder``
/// and ``apply(_:origin:source:)``) or, later, by introspecting a live database. A value:
/// copying a catalog is cheap and the copy is independent, so "the catalog before this
/// statement" is just a saved copy.
///
/// Names are normalized as the database sees them: PostgreSQL identifiers as the parser
/// folded them, SQLite identifiers lower-cased. Unqualified names resolve through
/// ``searchPath`` (temporary objects first), as the database does.
public struct Catalog: Sendable {
  /// The dialect whose rules the catalog follows (naming, defaults, name resolution).
  public var dialect: Dialect

  /// Everything else, in one reference-counted box: copying a catalog (a snapshot for each
  /// statement the linter judges) retains one object instead of every dictionary, and the
  /// box is copied only when a shared catalog changes.
  private final class Storage: @unchecked Sendable {
    var searchPath: [String]
    var schemas: Set<String>
    var tables: [ObjectName: Table]
    var views: [ObjectName: View]
    var indexOwners: [ObjectName: ObjectName]
    var constraintNameCounts: [ObjectName: Int]
    var foreignKeyReferrers: [ObjectName: [ObjectName: Int]]
    var viewReaders: [ObjectName: Set<ObjectName>]
    var childTables: [ObjectName: Set<ObjectName>]
    var types: [ObjectName: TypeDefinition]
    var sequences: [ObjectName: SequenceDefinition]
    var sequenceOwners: [ObjectName: Set<ObjectName>]
    var functions: [ObjectName: [FunctionDefinition]]
    var extensions: [String: Extension]

    init(searchPath: [String], schemas: Set<String>) {
      self.searchPath = searchPath
      self.schemas = schemas
      tables = [:]
      views = [:]
      indexOwners = [:]
      constraintNameCounts = [:]
      foreignKeyReferrers = [:]
      viewReaders = [:]
      childTables = [:]
      types = [:]
      sequences = [:]
      sequenceOwners = [:]
      functions = [:]
      extensions = [:]
    }

    init(copying other: Storage) {
      searchPath = other.searchPath
      schemas = other.schemas
      tables = other.tables
      views = other.views
      indexOwners = other.indexOwners
      constraintNameCounts = other.constraintNameCounts
      foreignKeyReferrers = other.foreignKeyReferrers
      viewReaders = other.viewReaders
      childTables = other.childTables
      types = other.types
      sequences = other.sequences
      sequenceOwners = other.sequenceOwners
      functions = other.functions
      extensions = other.extensions
    }
  }

  private var storage: Storage

  /// Gives this catalog a box of its own before it changes.
  private mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
  }

  /// The schemas searched for unqualified names, in order; new objects go to the first.
  ///
  /// PostgreSQL starts with `public` (changed by replaying `SET search_path`); SQLite
  /// with `main`.
  public var searchPath: [String] {
    get { storage.searchPath }
    set {
      makeUnique()
      storage.searchPath = newValue
    }
    _modify {
      makeUnique()
      yield &storage.searchPath
    }
  }
  /// Known schemas (PostgreSQL `CREATE SCHEMA`; SQLite `main` and `temp`).
  public var schemas: Set<String> {
    get { storage.schemas }
    set {
      makeUnique()
      storage.schemas = newValue
    }
    _modify {
      makeUnique()
      yield &storage.schemas
    }
  }
  /// Tables by name; change them through ``subscript(table:)``.
  public private(set) var tables: [ObjectName: Table] {
    get { storage.tables }
    set {
      makeUnique()
      storage.tables = newValue
    }
    _modify {
      makeUnique()
      yield &storage.tables
    }
  }
  /// Views and materialized views by name; change them through ``subscript(view:)``.
  public private(set) var views: [ObjectName: View] {
    get { storage.views }
    set {
      makeUnique()
      storage.views = newValue
    }
    _modify {
      makeUnique()
      yield &storage.views
    }
  }
  /// Where each index is: index name (in its schema) → owning table or materialized view.
  private var indexOwners: [ObjectName: ObjectName] {
    get { storage.indexOwners }
    set {
      makeUnique()
      storage.indexOwners = newValue
    }
    _modify {
      makeUnique()
      yield &storage.indexOwners
    }
  }
  /// How many tables of a schema have a constraint of each name (schema, constraint name).
  private var constraintNameCounts: [ObjectName: Int] {
    get { storage.constraintNameCounts }
    set {
      makeUnique()
      storage.constraintNameCounts = newValue
    }
    _modify {
      makeUnique()
      yield &storage.constraintNameCounts
    }
  }
  /// Referenced table → referencing table → how many of its foreign keys point there.
  private var foreignKeyReferrers: [ObjectName: [ObjectName: Int]] {
    get { storage.foreignKeyReferrers }
    set {
      makeUnique()
      storage.foreignKeyReferrers = newValue
    }
    _modify {
      makeUnique()
      yield &storage.foreignKeyReferrers
    }
  }
  /// Relation → the views that read it.
  private var viewReaders: [ObjectName: Set<ObjectName>] {
    get { storage.viewReaders }
    set {
      makeUnique()
      storage.viewReaders = newValue
    }
    _modify {
      makeUnique()
      yield &storage.viewReaders
    }
  }
  /// Parent table → its partitions and the tables inheriting from it.
  private var childTables: [ObjectName: Set<ObjectName>] {
    get { storage.childTables }
    set {
      makeUnique()
      storage.childTables = newValue
    }
    _modify {
      makeUnique()
      yield &storage.childTables
    }
  }
  /// User-defined types (enums, composites, domains, …) by name.
  public var types: [ObjectName: TypeDefinition] {
    get { storage.types }
    set {
      makeUnique()
      storage.types = newValue
    }
    _modify {
      makeUnique()
      yield &storage.types
    }
  }
  /// Sequences by name; change them through ``subscript(sequence:)``.
  public private(set) var sequences: [ObjectName: SequenceDefinition] {
    get { storage.sequences }
    set {
      makeUnique()
      storage.sequences = newValue
    }
    _modify {
      makeUnique()
      yield &storage.sequences
    }
  }
  /// Table → the sequences owned by one of its columns.
  private var sequenceOwners: [ObjectName: Set<ObjectName>] {
    get { storage.sequenceOwners }
    set {
      makeUnique()
      storage.sequenceOwners = newValue
    }
    _modify {
      makeUnique()
      yield &storage.sequenceOwners
    }
  }
  /// User-defined functions and procedures by name; overloads in creation order.
  public var functions: [ObjectName: [FunctionDefinition]] {
    get { storage.functions }
    set {
      makeUnique()
      storage.functions = newValue
    }
    _modify {
      makeUnique()
      yield &storage.functions
    }
  }
  /// Extensions by name.
  public var extensions: [String: Extension] {
    get { storage.extensions }
    set {
      makeUnique()
      storage.extensions = newValue
    }
    _modify {
      makeUnique()
      yield &storage.extensions
    }
  }

  /// Creates an empty catalog.
  /// - Parameter dialect: the database whose rules to follow.
  public init(dialect: Dialect = .postgres) {
    self.dialect = dialect
    switch dialect {
    case .postgres:
      storage = Storage(searchPath: ["public"], schemas: ["public"])
    case .sqlite:
      storage = Storage(searchPath: ["main"], schemas: ["main", "temp"])
    }
  }

  /// The search path a new session starts with.
  public var defaultSearchPath: [String] {
    dialect == .postgres ? ["public"] : ["main"]
  }

  /// The schema of temporary objects (`pg_temp`, SQLite `temp`).
  public var temporarySchema: String { dialect == .postgres ? "pg_temp" : "temp" }

  /// The schema unqualified new objects are created in: the first entry of the search path
  /// that names a schema (`$user` and `pg_catalog` skipped).
  public var creationSchema: String {
    for schema in searchPath where schema != "$user" && schema != "pg_catalog" {
      return schema
    }
    return dialect == .postgres ? "public" : "main"
  }

  // MARK: - Changing tables and views

  /// The table with this key; setting it adds, replaces or (with `nil`) removes the table.
  ///
  /// All changes to tables go through here, so the catalog's name lookups (index names,
  /// constraint names per schema) stay consistent.
  public subscript(table key: ObjectName) -> Table? {
    get { tables[key] }
    set {
      let old = tables[key]
      tables[key] = newValue
      reregister(old: old, new: newValue, owner: key)
    }
    _modify {
      // Take the table out while the caller changes it, so it is uniquely referenced and
      // `catalog[table: key]?.columns.append(…)` does not copy its lists. The index and
      // constraint lists are held on to: unchanged, they are the same buffers afterwards
      // and the name lookups need no update.
      var value = tables.removeValue(forKey: key)
      let old = value.map { Registered($0) }
      defer {
        if let value { tables[key] = value }
        reregister(old: old, new: value, owner: key)
      }
      yield &value
    }
  }

  /// What the name lookups know of a table: its index and constraint lists.
  private struct Registered {
    var indexes: [Index]
    var constraints: [Constraint]
    var parents: [ObjectName]

    init(_ table: Table) {
      indexes = table.indexes
      constraints = table.constraints
      parents = table.inherits
      if let parent = table.partitionParent { parents.append(parent) }
    }
  }

  /// Whether two arrays share their storage, as a list the caller did not change does.
  ///
  /// Comparing element by element would cost more than registering the names again.
  private static func sameBuffer<Element>(_ first: [Element], _ second: [Element]) -> Bool {
    guard first.count == second.count else { return false }
    if first.isEmpty { return true }
    return first.withUnsafeBufferPointer { a in
      second.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
    }
  }

  private mutating func reregister(old: Table?, new: Table?, owner: ObjectName) {
    reregister(old: old.map { Registered($0) }, new: new, owner: owner)
  }

  /// Updates the name lookups after a table changed, only where its lists did: comparing
  /// lists that share a buffer costs nothing.
  private mutating func reregister(old: Registered?, new: Table?, owner: ObjectName) {
    let oldIndexes = old?.indexes ?? []
    let newIndexes = new?.indexes ?? []
    let oldConstraints = old?.constraints ?? []
    let newConstraints = new?.constraints ?? []
    let indexesChanged = !Self.sameBuffer(oldIndexes, newIndexes)
    let constraintsChanged = !Self.sameBuffer(oldConstraints, newConstraints)
    let oldParents = old?.parents ?? []
    let newParents = new.map { Registered($0).parents } ?? []
    if oldParents != newParents {
      for parent in oldParents {
        childTables[parent]?.remove(owner)
        if childTables[parent]?.isEmpty == true { childTables[parent] = nil }
      }
      for parent in newParents { childTables[parent, default: []].insert(owner) }
    }
    guard indexesChanged || constraintsChanged else { return }
    // Most changes append (a new index or constraint): what both lists start with is
    // registered already and stays so.
    let keptIndexes =
      indexesChanged
      ? Self.commonPrefix(oldIndexes, newIndexes) { $0.name == $1.name }
      : oldIndexes.count
    let keptConstraints =
      constraintsChanged
      ? Self.commonPrefix(oldConstraints, newConstraints) {
        $0.name == $1.name && $0.kind == $1.kind && $0.reference?.table == $1.reference?.table
      }
      : oldConstraints.count
    unregister(
      indexes: oldIndexes[keptIndexes...],
      constraints: oldConstraints[keptConstraints...],
      owner: owner
    )
    register(
      indexes: newIndexes[(indexesChanged ? keptIndexes : newIndexes.count)...],
      constraints: newConstraints[(constraintsChanged ? keptConstraints : newConstraints.count)...],
      owner: owner
    )
  }

  /// How many leading elements of two lists register the same names.
  private static func commonPrefix<Element>(
    _ first: [Element],
    _ second: [Element],
    _ same: (Element, Element) -> Bool
  ) -> Int {
    var count = 0
    while count < first.count, count < second.count, same(first[count], second[count]) {
      count += 1
    }
    return count
  }

  /// The tables with a foreign key referencing `key` (in no particular order).
  public func tablesReferencing(_ key: ObjectName) -> [ObjectName] {
    guard let referrers = foreignKeyReferrers[key] else { return [] }
    return Array(referrers.keys)
  }

  /// The views that read the relation `key`, sorted.
  public func views(referencing key: ObjectName) -> [ObjectName] {
    viewReaders[key].map { $0.sorted() } ?? []
  }

  /// The sequence with this key; setting it adds, replaces or (with `nil`) removes it.
  public subscript(sequence key: ObjectName) -> SequenceDefinition? {
    get { sequences[key] }
    set {
      let oldOwner = sequences[key]?.ownedBy?.table
      sequences[key] = newValue
      let newOwner = newValue?.ownedBy?.table
      guard oldOwner != newOwner else { return }
      if let oldOwner {
        sequenceOwners[oldOwner]?.remove(key)
        if sequenceOwners[oldOwner]?.isEmpty == true { sequenceOwners[oldOwner] = nil }
      }
      if let newOwner { sequenceOwners[newOwner, default: []].insert(key) }
    }
  }

  /// The sequences owned by a column of `table` (`OWNED BY`, serial and identity columns),
  /// sorted.
  public func sequences(ownedBy table: ObjectName) -> [ObjectName] {
    sequenceOwners[table].map { $0.sorted() } ?? []
  }

  /// The partitions of `key` and the tables inheriting from it, sorted.
  public func childTables(of key: ObjectName) -> [ObjectName] {
    childTables[key].map { $0.sorted() } ?? []
  }

  /// The view with this key; setting it adds, replaces or (with `nil`) removes the view.
  public subscript(view key: ObjectName) -> View? {
    get { views[key] }
    set {
      let old = views[key]
      views[key] = newValue
      if let old {
        unregister(indexes: old.indexes[...], constraints: [], owner: key)
        for relation in old.referencedRelations {
          viewReaders[relation]?.remove(key)
          if viewReaders[relation]?.isEmpty == true { viewReaders[relation] = nil }
        }
      }
      if let newValue {
        register(indexes: newValue.indexes[...], constraints: [], owner: key)
        for relation in newValue.referencedRelations {
          viewReaders[relation, default: []].insert(key)
        }
      }
    }
  }

  private mutating func unregister(
    indexes: ArraySlice<Index>,
    constraints: ArraySlice<Constraint>,
    owner: ObjectName
  ) {
    for index in indexes {
      let name = ObjectName(schema: owner.schema, name: index.name)
      if indexOwners[name] == owner { indexOwners[name] = nil }
    }
    for constraint in constraints {
      guard let name = constraint.name else { continue }
      let key = ObjectName(schema: owner.schema, name: name)
      let count = (constraintNameCounts[key] ?? 0) - 1
      constraintNameCounts[key] = count > 0 ? count : nil
    }
    for constraint in constraints where constraint.kind == .foreignKey {
      guard let referenced = constraint.reference?.table else { continue }
      let count = (foreignKeyReferrers[referenced]?[owner] ?? 0) - 1
      foreignKeyReferrers[referenced]?[owner] = count > 0 ? count : nil
      if foreignKeyReferrers[referenced]?.isEmpty == true { foreignKeyReferrers[referenced] = nil }
    }
  }

  private mutating func register(
    indexes: ArraySlice<Index>,
    constraints: ArraySlice<Constraint>,
    owner: ObjectName
  ) {
    for index in indexes {
      indexOwners[ObjectName(schema: owner.schema, name: index.name)] = owner
    }
    for constraint in constraints {
      guard let name = constraint.name else { continue }
      constraintNameCounts[ObjectName(schema: owner.schema, name: name), default: 0] += 1
    }
    for constraint in constraints where constraint.kind == .foreignKey {
      guard let referenced = constraint.reference?.table else { continue }
      foreignKeyReferrers[referenced, default: [:]][owner, default: 0] += 1
    }
  }

  /// The owner of the index `name` in `schema`, if any.
  func indexOwner(_ name: String, in schema: String) -> ObjectName? {
    indexOwners[ObjectName(schema: schema, name: name)]
  }

  /// Whether any table of `schema` has a constraint named `name` (PostgreSQL checks
  /// generated constraint names against the whole schema).
  func constraintExists(_ name: String, in schema: String) -> Bool {
    constraintNameCounts[ObjectName(schema: schema, name: name)] != nil
  }

  // MARK: - Names

  /// The normalized form of one identifier in this dialect.
  public func normalize(_ identifier: Identifier) -> String {
    normalize(identifier.value)
  }

  /// The normalized form of a folded name in this dialect: PostgreSQL truncates names to
  /// 63 bytes (`NAMEDATALEN - 1`, at a character boundary); SQLite lower-cases ASCII.
  public func normalize(_ name: String) -> String {
    Self.normalize(name, dialect: dialect)
  }

  /// The normalized form of a folded name in `dialect` (see ``normalize(_:)-(String)``).
  ///
  /// Closures that only need names normalized should call this rather than capture a
  /// catalog: a captured catalog shares its tables, and the next change to them copies them.
  public static func normalize(_ name: String, dialect: Dialect) -> String {
    guard dialect == .sqlite else {
      guard name.utf8.count > PostgresNaming.maximumLength else { return name }
      let bytes = Array(name.utf8)
      let end = PostgresNaming.clip(bytes, to: PostgresNaming.maximumLength)
      return String(decoding: bytes[..<end], as: UTF8.self)
    }
    guard name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return name }
    return String(
      decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 },
      as: UTF8.self
    )
  }

  /// The key a new object named `name` gets: its written schema, or the creation schema
  /// (the temporary schema for temporary objects).
  public func nameForCreating(_ name: QualifiedName, isTemporary: Bool = false) -> ObjectName {
    let object = normalize(name.name)
    if let schema = name.qualifier { return ObjectName(schema: normalize(schema), name: object) }
    return ObjectName(schema: isTemporary ? temporarySchema : creationSchema, name: object)
  }

  /// The schemas an unqualified name is looked up in, in order.
  var lookupSchemas: [String] {
    var result: [String] = []
    _ = firstLookupSchema { schema in
      result.append(schema)
      return false
    }
    return result
  }

  /// The first schema in lookup order that `matches` accepts.
  ///
  /// The order: temporary objects first, then the search path without `$user` and repeats.
  /// It walks the path without building a list: name resolution runs for every name of
  /// every statement.
  func firstLookupSchema(where matches: (String) -> Bool) -> String? {
    if matches(temporarySchema) { return temporarySchema }
    for (position, schema) in searchPath.enumerated()
    where schema != "$user" && schema != temporarySchema
      && !searchPath[..<position].contains(schema)
    {
      if matches(schema) { return schema }
    }
    return nil
  }

  /// Resolves `name` among the keys `exists` accepts, or `nil` when nothing matches.
  ///
  /// A qualified name is taken as written, an unqualified one goes through the search path.
  func resolve(_ name: QualifiedName, where exists: (ObjectName) -> Bool) -> ObjectName? {
    let object = normalize(name.name)
    if let schema = name.qualifier {
      let key = ObjectName(schema: normalize(schema), name: object)
      return exists(key) ? key : nil
    }
    return firstLookupSchema { exists(ObjectName(schema: $0, name: object)) }.map {
      ObjectName(schema: $0, name: object)
    }
  }

  /// The key of the table or view `name` refers to if it exists, else where an object of
  /// that name would be created.
  public func resolveRelation(_ name: QualifiedName) -> ObjectName {
    resolve(name) { tables[$0] != nil || views[$0] != nil } ?? nameForCreating(name)
  }

  /// Splits `text` (`users`, `public.users`) into a qualified name; no quoting rules.
  static func qualifiedName(_ text: String) -> QualifiedName {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map {
      Identifier(String($0))
    }
    return QualifiedName(parts.isEmpty ? [Identifier(text)] : parts)
  }
}
