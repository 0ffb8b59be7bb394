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
  /// The schemas searched for unqualified names, in order; new objects go to the first.
  ///
  /// PostgreSQL starts with `public` (changed by replaying `SET search_path`); SQLite
  /// with `main`.
  public var searchPath: [String]
  /// Known schemas (PostgreSQL `CREATE SCHEMA`; SQLite `main` and `temp`).
  public var schemas: Set<String>
  /// Tables by name; change them through ``subscript(table:)``.
  public private(set) var tables: [ObjectName: Table]
  /// Views and materialized views by name; change them through ``subscript(view:)``.
  public private(set) var views: [ObjectName: View]
  /// Where each index is: index name (in its schema) → owning table or materialized view.
  private var indexOwners: [ObjectName: ObjectName] = [:]
  /// How many tables of a schema have a constraint of each name (schema, constraint name).
  private var constraintNameCounts: [ObjectName: Int] = [:]
  /// Referenced table → referencing table → how many of its foreign keys point there.
  private var foreignKeyReferrers: [ObjectName: [ObjectName: Int]] = [:]
  /// User-defined types (enums, composites, domains, …) by name.
  public var types: [ObjectName: TypeDefinition]
  /// Sequences by name.
  public var sequences: [ObjectName: SequenceDefinition]
  /// User-defined functions and procedures by name; overloads in creation order.
  public var functions: [ObjectName: [FunctionDefinition]]
  /// Extensions by name.
  public var extensions: [String: Extension]

  /// Creates an empty catalog.
  /// - Parameter dialect: the database whose rules to follow.
  public init(dialect: Dialect = .postgres) {
    self.dialect = dialect
    switch dialect {
    case .postgres:
      searchPath = ["public"]
      schemas = ["public"]
    case .sqlite:
      searchPath = ["main"]
      schemas = ["main", "temp"]
    }
    tables = [:]
    views = [:]
    types = [:]
    sequences = [:]
    functions = [:]
    extensions = [:]
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
      if let old { unregister(indexes: old.indexes, constraints: old.constraints, owner: key) }
      if let newValue {
        register(indexes: newValue.indexes, constraints: newValue.constraints, owner: key)
      }
    }
    _modify {
      // Take the table out while the caller changes it, so it is uniquely referenced and
      // `catalog[table: key]?.constraints.append(…)` does not copy its lists.
      var value = tables.removeValue(forKey: key)
      if let old = value {
        unregister(indexes: old.indexes, constraints: old.constraints, owner: key)
      }
      defer {
        if let value {
          tables[key] = value
          register(indexes: value.indexes, constraints: value.constraints, owner: key)
        }
      }
      yield &value
    }
  }

  /// The tables with a foreign key referencing `key` (in no particular order).
  public func tablesReferencing(_ key: ObjectName) -> [ObjectName] {
    guard let referrers = foreignKeyReferrers[key] else { return [] }
    return Array(referrers.keys)
  }

  /// The view with this key; setting it adds, replaces or (with `nil`) removes the view.
  public subscript(view key: ObjectName) -> View? {
    get { views[key] }
    set {
      let old = views[key]
      views[key] = newValue
      if let old { unregister(indexes: old.indexes, constraints: [], owner: key) }
      if let newValue { register(indexes: newValue.indexes, constraints: [], owner: key) }
    }
  }

  private mutating func unregister(indexes: [Index], constraints: [Constraint], owner: ObjectName) {
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

  private mutating func register(indexes: [Index], constraints: [Constraint], owner: ObjectName) {
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
    var result = [temporarySchema]
    for schema in searchPath where !result.contains(schema) && schema != "$user" {
      result.append(schema)
    }
    return result
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
    for schema in lookupSchemas {
      let key = ObjectName(schema: schema, name: object)
      if exists(key) { return key }
    }
    return nil
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
