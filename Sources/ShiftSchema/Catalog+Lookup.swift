public import ShiftSyntax

extension Catalog {
  /// The table `name` refers to (through the search path when unqualified).
  public func table(named name: QualifiedName) -> Table? {
    resolve(name) { tables[$0] != nil }.flatMap { tables[$0] }
  }

  /// The table with this exact key.
  public func table(named name: ObjectName) -> Table? { tables[name] }

  /// The table named by dotted text such as `users` or `public.users` (no quoting).
  public func table(named text: String) -> Table? { table(named: Self.qualifiedName(text)) }

  /// The view or materialized view `name` refers to.
  public func view(named name: QualifiedName) -> View? {
    resolve(name) { views[$0] != nil }.flatMap { views[$0] }
  }

  /// The view named by dotted text such as `active_users`.
  public func view(named text: String) -> View? { view(named: Self.qualifiedName(text)) }

  /// The column `column` of the table `table`, if both are known.
  public func column(_ column: String, of table: QualifiedName) -> Column? {
    self.table(named: table)?.column(named: normalize(column))
  }

  /// The column `column` of the table named by dotted text.
  public func column(_ column: String, of table: String) -> Column? {
    self.column(column, of: Self.qualifiedName(table))
  }

  /// The indexes of a table or materialized view (empty when unknown).
  public func indexes(on relation: QualifiedName) -> [Index] {
    if let table = table(named: relation) { return table.indexes }
    return view(named: relation)?.indexes ?? []
  }

  /// The indexes of the relation named by dotted text.
  public func indexes(on relation: String) -> [Index] {
    indexes(on: Self.qualifiedName(relation))
  }

  /// The constraints of a table (empty when unknown).
  public func constraints(on table: QualifiedName) -> [Constraint] {
    self.table(named: table)?.constraints ?? []
  }

  /// The constraints of the table named by dotted text.
  public func constraints(on table: String) -> [Constraint] {
    constraints(on: Self.qualifiedName(table))
  }

  /// The index `name` refers to, searched in every table and materialized view of the
  /// schema (index names are unique per schema).
  public func index(named name: QualifiedName) -> Index? {
    findIndex(name).flatMap { found in
      tables[found.owner]?.indexes[found.position] ?? views[found.owner]?.indexes[found.position]
    }
  }

  /// The index named by dotted text.
  public func index(named text: String) -> Index? { index(named: Self.qualifiedName(text)) }

  /// The type (enum, domain, composite, …) `name` refers to.
  public func type(named name: QualifiedName) -> TypeDefinition? {
    resolve(name) { types[$0] != nil }.flatMap { types[$0] }
  }

  /// `type` as the catalog records it in columns: a user-defined type the catalog knows
  /// (enum, domain, composite, …) gets its schema-qualified name as `canonicalName`, so
  /// `order_status` and `public.order_status` compare equal; other types are unchanged.
  public func canonicalType(_ type: TypeName) -> TypeName {
    guard dialect == .postgres, !types.isEmpty else { return type }
    // pg_catalog comes first in the search path unless placed later explicitly, so an
    // unqualified built-in name is the built-in type: no lookup (this runs for every column).
    if Self.builtinTypeNames.contains(type.canonicalName) { return type }
    let parts = type.canonicalName.split(separator: ".").map { Identifier(String($0)) }
    guard !parts.isEmpty, let key = resolve(QualifiedName(parts), where: { types[$0] != nil })
    else { return type }
    var canonical = type
    canonical.canonicalName = key.description
    return canonical
  }

  /// Canonical names of common built-in types (`pg_catalog`).
  static let builtinTypeNames: Set<String> = [
    "int2", "int4", "int8", "float4", "float8", "numeric", "bool", "varchar", "bpchar", "text",
    "timestamptz", "timestamp", "timetz", "time", "date", "interval", "uuid", "json", "jsonb",
    "bytea", "bit", "varbit", "inet", "cidr", "macaddr", "money", "xml", "tsvector", "tsquery",
    "oid", "name", "char",
  ]

  /// The type named by dotted text.
  public func type(named text: String) -> TypeDefinition? { type(named: Self.qualifiedName(text)) }

  /// The sequence `name` refers to.
  public func sequence(named name: QualifiedName) -> SequenceDefinition? {
    resolve(name) { sequences[$0] != nil }.flatMap { sequences[$0] }
  }

  /// The sequence named by dotted text.
  public func sequence(named text: String) -> SequenceDefinition? {
    sequence(named: Self.qualifiedName(text))
  }

  /// The user functions (all overloads) `name` refers to.
  public func functions(named name: QualifiedName) -> [FunctionDefinition] {
    resolve(name) { functions[$0] != nil }.flatMap { functions[$0] } ?? []
  }

  /// The user functions named by dotted text.
  public func functions(named text: String) -> [FunctionDefinition] {
    functions(named: Self.qualifiedName(text))
  }

  /// Whether an index on `table` can serve lookups by `columns`.
  ///
  /// That is a valid, non-partial index whose leading keys are exactly those columns (in
  /// any order). This is what a
  /// foreign key needs on its referencing columns so that deletes and updates of the
  /// referenced rows do not scan the table. A primary key or unique constraint's index
  /// counts; so does an SQLite rowid primary key.
  /// - Parameters:
  ///   - columns: the column names (normalized as in the catalog).
  ///   - table: the table.
  /// - Returns: whether such an index exists; false for an unknown table.
  public func hasIndexCovering(columns: [String], on table: QualifiedName) -> Bool {
    guard !columns.isEmpty, let table = self.table(named: table) else { return false }
    let wanted = Set(columns.map { normalize($0) })
    for index in table.indexes where index.isValid && index.predicate == nil {
      guard index.keys.count >= wanted.count else { continue }
      let leading = index.keys.prefix(wanted.count).compactMap(\.column)
      if leading.count == wanted.count, Set(leading) == wanted { return true }
    }
    if dialect == .sqlite, let primaryKey = table.primaryKey, primaryKey.indexName == nil,
      primaryKey.columns.count >= wanted.count,
      Set(primaryKey.columns.prefix(wanted.count)) == wanted
    {
      return true  // rowid alias: the table itself is ordered by it
    }
    return false
  }

  /// `hasIndexCovering(columns:on:)` for a table named by dotted text.
  public func hasIndexCovering(columns: [String], on table: String) -> Bool {
    hasIndexCovering(columns: columns, on: Self.qualifiedName(table))
  }

  /// Where the index `name` is: the owning table's (or materialized view's) key and the
  /// index's position in its list.
  func findIndex(_ name: QualifiedName) -> (owner: ObjectName, position: Int)? {
    let indexName = normalize(name.name)
    let schemas: [String] = name.qualifier.map { [normalize($0)] } ?? lookupSchemas
    for schema in schemas {
      guard let owner = indexOwner(indexName, in: schema) else { continue }
      let indexes = tables[owner]?.indexes ?? views[owner]?.indexes ?? []
      if let position = indexes.firstIndex(where: { $0.name == indexName }) {
        return (owner, position)
      }
    }
    return nil
  }

  /// Whether a relation (table, view, index, sequence) named `name` exists in `schema`.
  func relationExists(_ name: String, in schema: String) -> Bool {
    let key = ObjectName(schema: schema, name: name)
    return tables[key] != nil || views[key] != nil || sequences[key] != nil
      || indexOwner(name, in: schema) != nil
  }
}
