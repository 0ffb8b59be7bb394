import ShiftDatabase
public import ShiftSchema
import ShiftSyntax

/// What introspection read from a live PostgreSQL database.
public struct IntrospectedDatabase: Sendable {
  /// The schema as the server reports it; every object has origin `.introspected`.
  public var catalog: Catalog
  /// `server_version_num` (`150018` for 15.18).
  public var serverVersionNumber: Int
  /// `current_setting('TimeZone')` of the session.
  public var timeZone: String

  /// Creates a result.
  public init(catalog: Catalog, serverVersionNumber: Int, timeZone: String) {
    self.catalog = catalog
    self.serverVersionNumber = serverVersionNumber
    self.timeZone = timeZone
  }
}

/// Reads a live PostgreSQL database's schema from `pg_catalog` into a ``Catalog``.
///
/// Every query binds its values as parameters. Types and expressions come back as the
/// server prints them (`format_type`, `pg_get_expr`) and are parsed with ``SQLParser``, so
/// they compare with those the replayer records (`character(3)` and `char(3)` both have
/// the canonical name `bpchar`). Requires PostgreSQL 12 or later (`attgenerated`, `prokind`).
public enum PostgresIntrospector {
  /// Reads the catalog of every non-system schema, or only of `schemas`.
  public static func catalog(from connection: inout PostgresConnection, schemas: [String]? = nil)
    throws -> Catalog
  {
    try introspect(&connection, schemas: schemas).catalog
  }

  /// Reads the catalog with the server's version and time zone.
  ///
  /// On an idle session all queries run in one read-only `REPEATABLE READ` transaction, so
  /// they see one snapshot of the schema. DDL that other sessions commit meanwhile can still
  /// drop a relation whose size is being read ("could not open relation"); the read is then
  /// tried again, up to ``attempts`` times.
  public static func introspect(_ connection: inout PostgresConnection, schemas: [String]? = nil)
    throws -> IntrospectedDatabase
  {
    var attempt = 1
    while true {
      do {
        return try introspectOnce(&connection, schemas: schemas)
      } catch let error as DriverError where attempt < attempts && isConcurrentDrop(error) {
        attempt += 1
      }
    }
  }

  /// How many times ``introspect(_:schemas:)`` reads when relations vanish under it.
  public static let attempts = 3

  /// Whether `error` says a relation disappeared while it was read: `pg_relation_size` on a
  /// table dropped since the snapshot (internal error XX000 "could not open relation") or
  /// an undefined table (42P01).
  static func isConcurrentDrop(_ error: DriverError) -> Bool {
    guard let sqlstate = error.sqlstate else { return false }
    return sqlstate == "42P01"
      || (sqlstate == "XX000" && error.message.contains("could not open relation"))
  }

  private static func introspectOnce(
    _ connection: inout PostgresConnection,
    schemas: [String]?
  ) throws -> IntrospectedDatabase {
    let ownsTransaction = connection.isIdle
    if ownsTransaction {
      try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }
    do {
      let database = try read(&connection, schemas: schemas)
      if ownsTransaction { try connection.execute("COMMIT") }
      return database
    } catch {
      if ownsTransaction { try? connection.execute("ROLLBACK") }
      throw error
    }
  }

  private static func read(_ connection: inout PostgresConnection, schemas: [String]?) throws
    -> IntrospectedDatabase
  {
    var reader = Reader(filter: schemas.map(arrayLiteral))
    let catalog = try reader.read(&connection)
    let settings = try connection.query(
      "SELECT current_setting('server_version_num'), current_setting('TimeZone')",
      []
    )
    let version = settings.first?[0].flatMap { Int($0) } ?? connection.serverVersion
    return IntrospectedDatabase(
      catalog: catalog,
      serverVersionNumber: version,
      timeZone: settings.first?[1] ?? "UTC"
    )
  }

  /// A `text[]` literal (`{"a","b"}`) for binding a list as one parameter.
  static func arrayLiteral(_ values: [String]) -> String {
    let items = values.map { value -> String in
      var escaped = "\""
      for character in value {
        if character == "\"" || character == "\\" { escaped.append("\\") }
        escaped.append(character)
      }
      return escaped + "\""
    }
    return "{" + items.joined(separator: ",") + "}"
  }

  // MARK: - Parsing server text

  /// Parses a type as `format_type` prints it.
  static func typeName(_ text: String) -> TypeName? {
    guard let definition = columnDefinition("_c " + text) else { return nil }
    return definition.type
  }

  /// Parses an expression as `pg_get_expr` prints it.
  static func expression(_ text: String) -> Expression? {
    columnDefinition("_c integer DEFAULT (" + text + ")")?.defaultValue
  }

  private static func columnDefinition(_ text: String) -> ColumnDefinition? {
    let parsed = SQLParser.parse("CREATE TABLE _t (" + text + ")", dialect: .postgres)
    guard parsed.errors.isEmpty, parsed.statements.count == 1,
      case .createTable(let create) = parsed.statements[0].kind,
      create.columns.count == 1
    else { return nil }
    return create.columns[0]
  }
}

/// The queries of one introspection and the objects read so far.
private struct Reader {
  /// The `text[]` literal of the requested schemas, or `nil` for all non-system schemas.
  let filter: String?
  var catalog = Catalog(dialect: .postgres)
  /// Tables by `pg_class` oid, written into the catalog once complete.
  var tables: [String: Table] = [:]
  /// Materialized views by oid (they may have indexes).
  var views: [String: View] = [:]

  init(filter: String?) { self.filter = filter }

  /// The condition selecting the schemas to read; `n` is the `pg_namespace` alias and the
  /// filter is always parameter `$1`.
  static let schemaCondition = """
    n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' \
    AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
    """

  private func rows(_ connection: inout PostgresConnection, _ sql: String) throws -> [[String?]] {
    try connection.query(sql, [filter])
  }

  mutating func read(_ connection: inout PostgresConnection) throws -> Catalog {
    try readSchemas(&connection)
    try readTypes(&connection)
    try readFunctions(&connection)
    try readTables(&connection)
    try readColumns(&connection)
    try readConstraints(&connection)
    try readIndexes(&connection)
    try readTriggers(&connection)
    try readViews(&connection)
    try readSequences(&connection)
    for (_, table) in tables.sorted(by: { $0.value.name < $1.value.name }) {
      catalog[table: table.name] = table
    }
    for (_, view) in views.sorted(by: { $0.value.name < $1.value.name }) {
      catalog[view: view.name] = view
    }
    return catalog
  }

  private mutating func readSchemas(_ connection: inout PostgresConnection) throws {
    let sql = "SELECT n.nspname FROM pg_namespace n WHERE \(Self.schemaCondition)"
    for row in try rows(&connection, sql) {
      if let name = row[0] { catalog.schemas.insert(name) }
    }
  }

  private mutating func readTypes(_ connection: inout PostgresConnection) throws {
    let enums = """
      SELECT n.nspname, t.typname, e.enumlabel
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
      JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE \(Self.schemaCondition)
      ORDER BY n.nspname, t.typname, e.enumsortorder
      """
    var labels: [ObjectName: [String]] = [:]
    var order: [ObjectName] = []
    for row in try rows(&connection, enums) {
      guard let schema = row[0], let name = row[1], let label = row[2] else { continue }
      let key = ObjectName(schema: schema, name: name)
      if labels[key] == nil { order.append(key) }
      labels[key, default: []].append(label)
    }
    for key in order {
      catalog.types[key] = TypeDefinition(
        name: key,
        kind: .enumeration(labels[key] ?? []),
        origin: .introspected
      )
    }
    let others = """
      SELECT n.nspname, t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod)
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace
      LEFT JOIN pg_class c ON c.oid = t.typrelid
      WHERE t.typtype IN ('d', 'r', 'b', 'c') AND (c.oid IS NULL OR c.relkind = 'c')
        AND t.typelem = 0 AND \(Self.schemaCondition)
      """
    for row in try rows(&connection, others) {
      guard let schema = row[0], let name = row[1], let kind = row[2] else { continue }
      let key = ObjectName(schema: schema, name: name)
      let definition: TypeDefinition.Kind
      switch kind {
      case "d": definition = .domain(row[3].flatMap(PostgresIntrospector.typeName))
      case "r": definition = .range
      case "c": definition = .composite([])
      default: definition = .base
      }
      catalog.types[key] = TypeDefinition(name: key, kind: definition, origin: .introspected)
    }
  }

  private mutating func readFunctions(_ connection: inout PostgresConnection) throws {
    let sql = """
      SELECT n.nspname, p.proname, pg_get_function_arguments(p.oid),
        pg_get_function_result(p.oid), l.lanname, p.provolatile, p.prokind
      FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
      WHERE p.prokind IN ('f', 'p') AND \(Self.schemaCondition)
        AND NOT EXISTS (
          SELECT FROM pg_depend d
          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      ORDER BY n.nspname, p.proname, p.oid
      """
    for row in try rows(&connection, sql) {
      guard let schema = row[0], let name = row[1] else { continue }
      let key = ObjectName(schema: schema, name: name)
      let volatility: Volatility =
        switch row[5] {
        case "i": .immutable
        case "s": .stable
        default: .volatile
        }
      catalog.functions[key, default: []].append(
        FunctionDefinition(
          name: key,
          arguments: row[2] ?? "",
          returns: row[3],
          language: row[4]?.lowercased(),
          volatility: volatility,
          isProcedure: row[6] == "p",
          origin: .introspected
        )
      )
    }
  }

  private mutating func readTables(_ connection: inout PostgresConnection) throws {
    let sql = """
      SELECT c.oid::text, n.nspname, c.relname, c.relpersistence, c.reltuples::bigint,
        pg_relation_size(c.oid), pt.partstrat, pn.nspname, pc.relname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
      LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
      LEFT JOIN pg_class pc ON pc.oid = i.inhparent
      LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE c.relkind IN ('r', 'p') AND \(Self.schemaCondition)
      """
    for row in try rows(&connection, sql) {
      guard let oid = row[0], let schema = row[1], let name = row[2] else { continue }
      let strategy: String? =
        switch row[6] {
        case "r": "RANGE"
        case "l": "LIST"
        case "h": "HASH"
        default: nil
        }
      var parent: ObjectName?
      if let parentSchema = row[7], let parentName = row[8] {
        parent = ObjectName(schema: parentSchema, name: parentName)
      }
      // reltuples is -1 until the table is first vacuumed or analyzed (PostgreSQL 14+).
      let estimate = row[4].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
      tables[oid] = Table(
        name: ObjectName(schema: schema, name: name),
        isUnlogged: row[3] == "u",
        isTemporary: row[3] == "t",
        partitionStrategy: strategy,
        partitionParent: parent,
        estimatedRows: estimate,
        sizeBytes: row[5].flatMap { Int($0) },
        origin: .introspected
      )
    }
    let inherits = """
      SELECT i.inhrelid::text, pn.nspname, pc.relname
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_class pc ON pc.oid = i.inhparent
      JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE NOT c.relispartition AND c.relkind IN ('r', 'p') AND \(Self.schemaCondition)
      ORDER BY i.inhrelid, i.inhseqno
      """
    for row in try rows(&connection, inherits) {
      guard let oid = row[0], let schema = row[1], let name = row[2] else { continue }
      tables[oid]?.inherits.append(ObjectName(schema: schema, name: name))
    }
  }

  private mutating func readColumns(_ connection: inout PostgresConnection) throws {
    let sql = """
      SELECT a.attrelid::text, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
        pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
        CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
        bn.nspname, bt.typname
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
      JOIN pg_namespace bn ON bn.oid = bt.typnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
        AND \(Self.schemaCondition)
      ORDER BY a.attrelid, a.attnum
      """
    for row in try rows(&connection, sql) {
      guard let oid = row[0], tables[oid] != nil, let name = row[1] else { continue }
      var type = row[2].flatMap(PostgresIntrospector.typeName)
      // format_type leaves out the schema of types visible on this session's search path;
      // the catalog names user-defined types schema-qualified (see Catalog.canonicalType).
      if let schema = row[8], schema != "pg_catalog", let typeName = row[9] {
        type?.canonicalName = ObjectName(schema: schema, name: typeName).description
      }
      var column = Column(
        name: name,
        type: type,
        isNotNull: row[3] == "t",
        collation: row[7],
        origin: .introspected
      )
      switch row[5] {
      case "a": column.identity = .always
      case "d": column.identity = .byDefault
      default: break
      }
      if let text = row[4], let expression = PostgresIntrospector.expression(text) {
        if row[6] == "s" {
          column.generated = Column.Generated(expression: expression, isStored: true)
        } else {
          column.defaultValue = expression
          column.defaultVolatility = catalog.volatility(of: expression)
        }
      }
      tables[oid]?.columns.append(column)
    }
  }

  /// Column names of an attribute-number array (`conkey`, `confkey`, `tgattr`) by owner.
  private func keyColumns(
    _ connection: inout PostgresConnection,
    _ sql: String
  ) throws -> [String: [String]] {
    var result: [String: [String]] = [:]
    for row in try rows(&connection, sql) {
      guard let oid = row[0], let name = row[1] else { continue }
      result[oid, default: []].append(name)
    }
    return result
  }

  private mutating func readConstraints(_ connection: inout PostgresConnection) throws {
    let from = """
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      """
    let keys = try keyColumns(
      &connection,
      """
      SELECT con.oid::text, a.attname \(from)
      CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(num, ord)
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
      WHERE c.relkind IN ('r', 'p') AND \(Self.schemaCondition)
      ORDER BY con.oid, k.ord
      """
    )
    let referenced = try keyColumns(
      &connection,
      """
      SELECT con.oid::text, a.attname \(from)
      CROSS JOIN LATERAL unnest(con.confkey) WITH ORDINALITY AS k(num, ord)
      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
      WHERE con.contype = 'f' AND c.relkind IN ('r', 'p') AND \(Self.schemaCondition)
      ORDER BY con.oid, k.ord
      """
    )
    let sql = """
      SELECT con.oid::text, con.conrelid::text, con.conname, con.contype, con.convalidated,
        con.condeferrable, rn.nspname, rc.relname, con.confdeltype, con.confupdtype,
        pg_get_expr(con.conbin, con.conrelid), ic.relname
      \(from)
      LEFT JOIN pg_class rc ON rc.oid = con.confrelid
      LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      LEFT JOIN pg_class ic ON ic.oid = con.conindid AND con.contype IN ('p', 'u', 'x')
      WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND c.relkind IN ('r', 'p')
        AND \(Self.schemaCondition)
      ORDER BY con.conrelid, con.oid
      """
    for row in try rows(&connection, sql) {
      guard let oid = row[0], let table = row[1], tables[table] != nil, let name = row[2]
      else { continue }
      let kind: Constraint.Kind
      switch row[3] {
      case "p": kind = .primaryKey
      case "u": kind = .unique
      case "f": kind = .foreignKey
      case "c": kind = .check
      default: kind = .exclusion
      }
      var reference: Constraint.Reference?
      if kind == .foreignKey, let schema = row[6], let relation = row[7] {
        reference = Constraint.Reference(
          table: ObjectName(schema: schema, name: relation),
          columns: referenced[oid] ?? [],
          onDelete: Self.action(row[8]),
          onUpdate: Self.action(row[9])
        )
      }
      tables[table]?.constraints.append(
        Constraint(
          name: name,
          kind: kind,
          columns: keys[oid] ?? [],
          reference: reference,
          isValidated: row[4] == "t",
          isDeferrable: row[5] == "t",
          check: kind == .check ? row[10].flatMap(PostgresIntrospector.expression) : nil,
          indexName: row[11],
          origin: .introspected
        )
      )
    }
  }

  /// A foreign key action code as the replayer spells it; `nil` for the default, NO ACTION.
  private static func action(_ code: String?) -> String? {
    switch code {
    case "r": "RESTRICT"
    case "c": "CASCADE"
    case "n": "SET NULL"
    case "d": "SET DEFAULT"
    default: nil
    }
  }

  private mutating func readIndexes(_ connection: inout PostgresConnection) throws {
    let from = """
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      """
    let keysSQL = """
      SELECT i.indexrelid::text, k.ord <= i.indnkeyatts, a.attname,
        pg_get_indexdef(i.indexrelid, k.ord::int, true),
        pg_index_column_has_property(i.indexrelid, k.ord::int, 'desc'),
        pg_index_column_has_property(i.indexrelid, k.ord::int, 'nulls_first')
      \(from)
      CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord)
      LEFT JOIN pg_attribute a ON k.num > 0 AND a.attrelid = i.indrelid AND a.attnum = k.num
      WHERE c.relkind IN ('r', 'p', 'm') AND \(Self.schemaCondition)
      ORDER BY i.indexrelid, k.ord
      """
    var keys: [String: [Index.Key]] = [:]
    var include: [String: [String]] = [:]
    for row in try rows(&connection, keysSQL) {
      guard let oid = row[0] else { continue }
      if row[1] != "t" {
        if let name = row[2] { include[oid, default: []].append(name) }
        continue
      }
      var options: [String] = []
      let isDescending = row[4] == "t"
      if isDescending { options.append("DESC") }
      if row[5] == "t", !isDescending { options.append("NULLS FIRST") }
      if row[5] == "f", isDescending { options.append("NULLS LAST") }
      if let name = row[2] {
        keys[oid, default: []].append(Index.Key(column: name, options: options))
      } else if let text = row[3], let expression = PostgresIntrospector.expression(text) {
        keys[oid, default: []].append(Index.Key(expression: expression, options: options))
      }
    }
    let sql = """
      SELECT i.indexrelid::text, i.indrelid::text, ic.relname, i.indisunique, i.indisvalid,
        pg_get_expr(i.indpred, i.indrelid), am.amname, con.conname
      \(from)
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
      LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
        AND con.contype IN ('p', 'u', 'x')
      WHERE c.relkind IN ('r', 'p', 'm') AND \(Self.schemaCondition)
      ORDER BY i.indrelid, i.indexrelid
      """
    for row in try rows(&connection, sql) {
      guard let oid = row[0], let owner = row[1], let name = row[2] else { continue }
      guard let relation = tables[owner]?.name ?? views[owner]?.name else {
        // Materialized views are read later; remember their indexes by owner oid.
        pendingViewIndexes[owner, default: []].append((oid, row))
        continue
      }
      let index = Self.index(oid, row, name: name, on: relation, keys: keys, include: include)
      tables[owner]?.indexes.append(index)
    }
    indexKeys = keys
    indexIncludes = include
  }

  /// Indexes of materialized views, attached in ``readViews(_:)``.
  var pendingViewIndexes: [String: [(String, [String?])]] = [:]
  var indexKeys: [String: [Index.Key]] = [:]
  var indexIncludes: [String: [String]] = [:]

  private static func index(
    _ oid: String,
    _ row: [String?],
    name: String,
    on relation: ObjectName,
    keys: [String: [Index.Key]],
    include: [String: [String]]
  ) -> Index {
    Index(
      name: name,
      table: relation,
      isUnique: row[3] == "t",
      isValid: row[4] == "t",
      keys: keys[oid] ?? [],
      include: include[oid] ?? [],
      predicate: row[5].flatMap(PostgresIntrospector.expression),
      method: row[6],
      constraintName: row[7],
      origin: .introspected
    )
  }

  private mutating func readTriggers(_ connection: inout PostgresConnection) throws {
    let from = """
      FROM pg_trigger tg
      JOIN pg_class c ON c.oid = tg.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      """
    let columns = try keyColumns(
      &connection,
      """
      SELECT tg.oid::text, a.attname \(from)
      CROSS JOIN LATERAL unnest(tg.tgattr::int2[]) WITH ORDINALITY AS k(num, ord)
      JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.num
      WHERE NOT tg.tgisinternal AND \(Self.schemaCondition)
      ORDER BY tg.oid, k.ord
      """
    )
    let sql = """
      SELECT tg.oid::text, tg.tgrelid::text, tg.tgname, tg.tgtype, tg.tgenabled,
        pn.nspname, p.proname
      \(from)
      JOIN pg_proc p ON p.oid = tg.tgfoid
      JOIN pg_namespace pn ON pn.oid = p.pronamespace
      WHERE NOT tg.tgisinternal AND c.relkind IN ('r', 'p') AND \(Self.schemaCondition)
      ORDER BY tg.tgrelid, tg.oid
      """
    for row in try rows(&connection, sql) {
      guard let oid = row[0], let owner = row[1], let table = tables[owner]?.name,
        let name = row[2], let type = row[3].flatMap({ Int($0) })
      else { continue }
      // pg_trigger.tgtype bits: ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16,
      // TRUNCATE 32, INSTEAD 64.
      var events: [String] = []
      if type & 4 != 0 { events.append("INSERT") }
      if type & 16 != 0 { events.append("UPDATE") }
      if type & 8 != 0 { events.append("DELETE") }
      if type & 32 != 0 { events.append("TRUNCATE") }
      let timing = type & 64 != 0 ? "INSTEAD OF" : type & 2 != 0 ? "BEFORE" : "AFTER"
      var function: ObjectName?
      if let schema = row[5], let procedure = row[6] {
        function = ObjectName(schema: schema, name: procedure)
      }
      tables[owner]?.triggers.append(
        Trigger(
          name: name,
          table: table,
          function: function,
          timing: timing,
          events: events,
          updateColumns: columns[oid] ?? [],
          isForEachRow: type & 1 != 0,
          isEnabled: row[4] != "D",
          origin: .introspected
        )
      )
    }
  }

  private mutating func readViews(_ connection: inout PostgresConnection) throws {
    let sql = """
      SELECT c.oid::text, n.nspname, c.relname, c.relkind, c.relispopulated
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND \(Self.schemaCondition)
      """
    for row in try rows(&connection, sql) {
      guard let oid = row[0], let schema = row[1], let name = row[2] else { continue }
      views[oid] = View(
        name: ObjectName(schema: schema, name: name),
        isMaterialized: row[3] == "m",
        columns: [],
        isPopulated: row[4] == "t",
        origin: .introspected
      )
    }
    let columns = try keyColumns(
      &connection,
      """
      SELECT a.attrelid::text, a.attname
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('v', 'm')
        AND \(Self.schemaCondition)
      ORDER BY a.attrelid, a.attnum
      """
    )
    let references = """
      SELECT DISTINCT r.ev_class::text, rn.nspname, rc.relname
      FROM pg_rewrite r
      JOIN pg_class c ON c.oid = r.ev_class
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
        AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
      JOIN pg_class rc ON rc.oid = d.refobjid
      JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE c.relkind IN ('v', 'm') AND \(Self.schemaCondition)
      ORDER BY 1, 2, 3
      """
    for row in try rows(&connection, references) {
      guard let oid = row[0], let schema = row[1], let name = row[2] else { continue }
      views[oid]?.referencedRelations.append(ObjectName(schema: schema, name: name))
    }
    for (oid, names) in columns { views[oid]?.columns = names }
    for (owner, indexes) in pendingViewIndexes {
      guard let relation = views[owner]?.name else { continue }
      for (oid, row) in indexes {
        guard let name = row[2] else { continue }
        views[owner]?.indexes.append(
          Self.index(oid, row, name: name, on: relation, keys: indexKeys, include: indexIncludes)
        )
      }
    }
  }

  private mutating func readSequences(_ connection: inout PostgresConnection) throws {
    let sql = """
      SELECT n.nspname, c.relname, dn.nspname, dc.relname, a.attname, d.deptype
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_class dc ON dc.oid = d.refobjid
      LEFT JOIN pg_namespace dn ON dn.oid = dc.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE c.relkind = 'S' AND \(Self.schemaCondition)
      """
    for row in try rows(&connection, sql) {
      guard let schema = row[0], let name = row[1] else { continue }
      var owner: SequenceDefinition.Owner?
      if let ownerSchema = row[2], let table = row[3], let column = row[4] {
        owner = SequenceDefinition.Owner(
          table: ObjectName(schema: ownerSchema, name: table),
          column: column
        )
      }
      let key = ObjectName(schema: schema, name: name)
      catalog[sequence: key] = SequenceDefinition(
        name: key,
        ownedBy: owner,
        isIdentity: row[5] == "i",
        origin: .introspected
      )
    }
  }
}
