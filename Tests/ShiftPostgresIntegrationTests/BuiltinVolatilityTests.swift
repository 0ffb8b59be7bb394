import ShiftDatabase
import ShiftPostgres
import ShiftSchema
import ShiftSyntax
import Testing

/// Keeps SafeShift's volatility knowledge honest against a real server: the whole
/// built-in table against `pg_proc`, extension functions against the extensions the
/// server has, and whole-expression verdicts (keyword forms, casts, operators) against
/// what PostgreSQL does with them.
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct BuiltinVolatilityTests {
  /// `provolatile` codes of one name's overloads ("i", "is", "v", …) as an entry.
  static func entry(_ codes: String) -> BuiltinVolatility.Entry? {
    let volatilities = codes.compactMap { code -> Volatility? in
      switch code {
      case "i": .immutable
      case "s": .stable
      case "v": .volatile
      default: nil
      }
    }
    guard let least = volatilities.first, let most = volatilities.last else { return nil }
    return BuiltinVolatility.Entry(least: least, most: most)
  }

  /// Name → provolatile codes (sorted: i < s < v) of the functions named in `names` in
  /// `schema`.
  static func serverVolatilities(
    _ connection: inout PostgresConnection,
    names: [String],
    schema: String
  ) throws -> [String: String] {
    let rows = try connection.query(
      """
      SELECT p.proname, string_agg(DISTINCT p.provolatile::text, '' ORDER BY p.provolatile::text)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $2 AND p.proname = ANY (string_to_array($1, ','))
      GROUP BY p.proname
      """,
      [names.joined(separator: ","), schema]
    )
    var result: [String: String] = [:]
    for row in rows {
      if let name = row[0], let codes = row[1] { result[name] = codes }
    }
    return result
  }

  @Test("every built-in function's volatility matches pg_proc", .timeLimit(.minutes(1)))
  func builtinsMatchPgProc() throws {
    var connection = try TestDatabase.connect()
    let major = connection.serverVersion / 10_000
    let names = BuiltinVolatility.postgres.keys.sorted()
    let server = try Self.serverVolatilities(&connection, names: names, schema: "pg_catalog")
    var mismatches: [String] = []
    for name in names {
      guard let codes = server[name] else {
        let since = BuiltinVolatility.postgresSince[name] ?? 0
        if major >= since { mismatches.append("\(name): not in pg_proc") }
        continue
      }
      if Self.entry(codes) != BuiltinVolatility.postgres[name] {
        mismatches.append("\(name): pg_proc says \(codes)")
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
    // The keyword forms are expression nodes, not pg_proc functions.
    #expect(server.count > 200)
  }

  @Test(
    "extension functions match pg_proc once the extension is installed",
    .timeLimit(.minutes(1))
  )
  func extensionsMatchPgProc() throws {
    let url = try TestDatabase.createScratchDatabase("safeshift_volatility")
    var connection = try PostgresConnection(connectingTo: url)
    let available = Set(
      try connection.query("SELECT name FROM pg_available_extensions", []).compactMap { $0[0] }
    )
    var checked = 0
    for (extensionName, functions) in BuiltinVolatility.postgresExtensions.sorted(by: {
      $0.key < $1.key
    })
    where available.contains(extensionName) {
      try connection.execute("CREATE SCHEMA \"ext_\(extensionName)\"")
      try connection.execute(
        "CREATE EXTENSION \"\(extensionName)\" WITH SCHEMA \"ext_\(extensionName)\""
      )
      let server = try Self.serverVolatilities(
        &connection,
        names: functions.keys.sorted(),
        schema: "ext_" + extensionName
      )
      for (name, entry) in functions {
        #expect(server[name].flatMap(Self.entry) == entry, "\(extensionName).\(name)")
        checked += 1
      }
    }
    #expect(checked > 0 || TestDatabase.isRequired == false)
  }

  /// Expressions whose catalog verdict is checked against the server's behaviour.
  static let expressions = [
    "now()", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIMESTAMP",
    "LOCALTIME", "CURRENT_USER", "SESSION_USER", "CURRENT_ROLE", "USER", "CURRENT_CATALOG",
    "CURRENT_SCHEMA", "current_timestamp(2)", "random()", "clock_timestamp()",
    "gen_random_uuid()", "lower('A')", "coalesce(NULL, 1)", "greatest(1, 2)", "least(1, 2)",
    "nullif(1, 2)", "trim(both 'x' from 'xax')", "'2024-01-01'::timestamptz",
    "'pg_class'::regclass", "'pg_class'::regclass::text", "'2024-01-01'::text::date",
    "'1 day'::text::interval", "1::money", "now()::date", "now()::timestamp",
    "'2024-01-01'::date::timestamptz", "interval '1 day'", "now() + interval '1 day'",
    "timestamptz '2024-01-01' + interval '1 hour'", "date '2024-01-01' + interval '1 day'",
    "to_char(1, '9')", "md5('a')", "x::text", "ts::date", "tz::date", "s::date", "d::timestamp",
    "d::timestamptz", "tz + interval '1 hour'", "ts + interval '1 hour'", "tz > d",
    "ts AT TIME ZONE 'UTC'", "length(s)", "date_trunc('day', ts)", "date_trunc('day', tz)",
    "x::numeric::text", "s::regclass", "length(s::bytea, 'UTF8')", "age(ts)", "age(ts, ts)",
    "to_tsvector('english', s)", "to_tsvector(s)", "quote_literal(s)", "quote_literal(x)",
    "quote_literal(tz)",
    "extract(year from d)", "extract(epoch from tz)", "date_part('day', ts)",
    "to_timestamp(1)", "to_timestamp(s, 'YYYY')", "x::money::numeric", "md5(s) || s",
  ]

  @Test("expression verdicts agree with what PostgreSQL does", .timeLimit(.minutes(1)))
  func expressionVerdicts() throws {
    let url = try TestDatabase.createScratchDatabase("safeshift_volatility_expressions")
    var connection = try PostgresConnection(connectingTo: url)
    let table = "CREATE TABLE probe (x int, ts timestamp, tz timestamptz, d date, s text)"
    try connection.execute(table)
    try connection.execute("INSERT INTO probe VALUES (1, now(), now(), now(), 'probe')")
    var catalog = Catalog()
    for statement in SQLParser.parse(table).statements {
      catalog.apply(statement, origin: .introspected)
    }
    let probe = ObjectName(schema: "public", name: "probe")
    var disagreements: [String] = []
    for text in Self.expressions {
      let file = SQLParser.parse("UPDATE probe SET x = \(text)")
      guard case .dataChange(let change)? = file.statements.first?.kind,
        let expression = change.assignments.first?.value
      else {
        Issue.record("could not parse \(text)")
        continue
      }
      let ours = catalog.volatility(of: expression, in: probe)
      let theirs = try Self.serverVerdict(
        &connection,
        text,
        usesColumns: !expression.columnReferences.isEmpty
      )
      if ours != theirs { disagreements.append("\(text): ours \(ours), server \(theirs)") }
    }
    #expect(disagreements.isEmpty, "\(disagreements)")
  }

  @Test("cast verdicts agree with PostgreSQL for common types", .timeLimit(.minutes(1)))
  func castVerdicts() throws {
    let url = try TestDatabase.createScratchDatabase("safeshift_volatility_casts")
    var connection = try PostgresConnection(connectingTo: url)
    let types = [
      "int4", "int8", "numeric", "float8", "text", "varchar", "bool", "date", "time", "timetz",
      "timestamp", "timestamptz", "interval", "money", "uuid", "jsonb", "regclass", "xml",
    ]
    // One column per type: a cast of a constant would be folded away by the server.
    let table = "CREATE TABLE probe (" + types.map { "c_\($0) \($0)" }.joined(separator: ", ") + ")"
    try connection.execute(table)
    var catalog = Catalog()
    for statement in SQLParser.parse(table).statements {
      catalog.apply(statement, origin: .introspected)
    }
    let probe = ObjectName(schema: "public", name: "probe")
    var disagreements: [String] = []
    var checked = 0
    for source in types {
      for target in types where target != source {
        let text = "c_\(source)::\(target)"
        do {
          try connection.execute("SELECT \(text) FROM probe")
        } catch let error {
          guard error.sqlstate == "42846" else { throw error }  // no such cast
          continue
        }
        let file = SQLParser.parse("UPDATE probe SET c_int4 = \(text)")
        guard case .dataChange(let change)? = file.statements.first?.kind,
          let expression = change.assignments.first?.value
        else {
          Issue.record("could not parse \(text)")
          continue
        }
        let ours = catalog.volatility(of: expression, in: probe)
        let theirs = try Self.serverVerdict(&connection, text, usesColumns: true)
        if ours != theirs { disagreements.append("\(text): ours \(ours), server \(theirs)") }
        checked += 1
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements)")
    #expect(checked > 100)
  }

  /// Immutable when PostgreSQL accepts it in an index; volatile when a column default of
  /// it rewrites the table; stable otherwise.
  static func serverVerdict(
    _ connection: inout PostgresConnection,
    _ text: String,
    usesColumns: Bool
  ) throws -> VolatilityVerdict {
    do {
      try connection.execute("CREATE INDEX probe_idx ON probe ((((\(text)) IS NULL)))")
      try connection.execute("DROP INDEX probe_idx")
      return .immutable
    } catch let error {
      guard error.sqlstate == "42P17" else { throw error }
    }
    guard !usesColumns else { return .stable }  // a default cannot read columns
    let before = try connection.query(
      "SELECT relfilenode::text FROM pg_class WHERE relname = 'probe'",
      []
    )
    try connection.execute(
      "ALTER TABLE probe ADD COLUMN probe_default bool DEFAULT (((\(text)) IS NULL))"
    )
    let after = try connection.query(
      "SELECT relfilenode::text FROM pg_class WHERE relname = 'probe'",
      []
    )
    try connection.execute("ALTER TABLE probe DROP COLUMN probe_default")
    return before == after ? .stable : .volatile
  }
}
