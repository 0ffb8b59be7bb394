import ShiftSchema
import ShiftSyntax
import Testing

@Suite struct VolatilityTests {
  static let postgresCases: [(String, VolatilityVerdict)] = [
    ("1", .immutable),
    ("'x'", .immutable),
    ("now()", .stable),
    ("CURRENT_TIMESTAMP", .stable),
    ("current_timestamp(3)", .stable),
    ("LOCALTIMESTAMP", .stable),
    ("CURRENT_USER", .stable),
    ("statement_timestamp()", .stable),
    ("transaction_timestamp()", .stable),
    ("random()", .volatile),
    ("gen_random_uuid()", .volatile),
    ("uuid_generate_v4()", .volatile),
    ("clock_timestamp()", .volatile),
    ("timeofday()", .volatile),
    ("nextval('s')", .volatile),
    ("nextval('users_id_seq'::regclass)", .volatile),
    ("pg_catalog.setval('s', 1)", .volatile),
    ("lower('A')", .immutable),
    ("upper(md5('a'))", .immutable),
    ("abs(-1) + length('abc')", .immutable),
    ("length(b, 'UTF8')", .stable),  // length(bytea, name) is the stable overload
    ("age(ts)", .stable),
    ("to_tsvector('english', body)", .immutable),
    ("to_tsvector(body)", .stable),
    ("quote_literal('a')", .immutable),
    ("date_trunc('day', '2024-01-01 10:00'::timestamp)", .immutable),
    ("date_trunc('day', ts::timestamp)", .stable),  // ts's type unknown: text would be stable
    ("coalesce(NULL, 1)", .immutable),
    ("coalesce(x, random()::int)", .volatile),
    ("to_char(now(), 'YYYY')", .stable),
    ("date_trunc('day', ts)", .stable),
    ("'2024-01-01'::timestamptz", .immutable),
    ("'pg_class'::regclass", .immutable),
    ("'pg_class'::regclass::text", .stable),
    ("name::regclass", .stable),
    ("x::text", .immutable),
    ("'2024-01-01'::text::date", .stable),
    ("interval '1 day'", .immutable),
    ("now() + interval '1 day'", .stable),
    ("timestamptz '2024-01-01' + interval '1 day'", .stable),
    ("date '2024-01-01' + interval '1 day'", .immutable),
    ("CASE WHEN x > 0 THEN random() ELSE 0 END", .volatile),
    ("ARRAY[1, 2]", .immutable),
    ("my_fn(1)", .unknown(["my_fn"])),
    ("my_fn(random())", .volatile),
    ("b(a(1))", .unknown(["a", "b"])),
    ("(SELECT max(id) FROM t)", .unknown(["subquery"])),
    ("x AT TIME ZONE 'UTC'", .immutable),
  ]

  @Test("PostgreSQL expression verdicts", arguments: postgresCases)
  func postgres(_ text: String, _ expected: VolatilityVerdict) {
    #expect(Catalog().volatility(of: expression(text)) == expected)
  }

  @Test("user functions carry the volatility their definition declared")
  func userFunctions() {
    let catalog = catalog(
      """
      CREATE FUNCTION app_now() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT now()';
      CREATE FUNCTION slugify(text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower($1)';
      CREATE FUNCTION anything() RETURNS int LANGUAGE sql AS 'SELECT 1';
      CREATE SCHEMA util;
      CREATE FUNCTION util.lower(text) RETURNS text LANGUAGE sql VOLATILE AS 'SELECT $1';
      """
    )
    #expect(catalog.volatility(of: expression("app_now()")) == .stable)
    #expect(catalog.volatility(of: expression("slugify('A')")) == .immutable)
    #expect(catalog.volatility(of: expression("anything()")) == .volatile)
    // pg_catalog comes first for unqualified names; a qualified name reaches the user's.
    #expect(catalog.volatility(of: expression("lower('A')")) == .immutable)
    #expect(catalog.volatility(of: expression("util.lower('A')")) == .volatile)
    #expect(catalog.volatility(of: expression("other.fn()")) == .unknown(["other.fn"]))
  }

  @Test("column types refine cast and operator verdicts")
  func tableContext() throws {
    let catalog = catalog("CREATE TABLE t (ts timestamp, tz timestamptz, d date, s text);")
    let table = try #require(catalog.table(named: "t")).name
    #expect(catalog.volatility(of: expression("ts::date"), in: table) == .immutable)
    #expect(catalog.volatility(of: expression("tz::date"), in: table) == .stable)
    #expect(catalog.volatility(of: expression("s::date"), in: table) == .stable)
    #expect(catalog.volatility(of: expression("d::timestamp"), in: table) == .immutable)
    #expect(catalog.volatility(of: expression("tz + interval '1 hour'"), in: table) == .stable)
    #expect(catalog.volatility(of: expression("ts + interval '1 hour'"), in: table) == .immutable)
    #expect(catalog.volatility(of: expression("tz > d"), in: table) == .stable)
    #expect(catalog.volatility(of: expression("date_trunc('day', ts)"), in: table) == .immutable)
    #expect(catalog.volatility(of: expression("date_trunc('day', tz)"), in: table) == .stable)
    #expect(catalog.volatility(of: expression("extract(year from d)"), in: table) == .immutable)
  }

  @Test("SQLite verdicts")
  func sqlite() {
    let catalog = Catalog(dialect: .sqlite)
    let cases: [(String, VolatilityVerdict)] = [
      ("CURRENT_TIMESTAMP", .stable),
      ("random()", .volatile),
      ("datetime('now')", .stable),
      ("date()", .stable),
      ("date('2024-01-01', '+1 day')", .immutable),
      ("lower(x)", .immutable),
      ("ifnull(a, b)", .immutable),
      ("nope(1)", .unknown(["nope"])),
    ]
    for (text, expected) in cases {
      #expect(catalog.volatility(of: expression(text, dialect: .sqlite)) == expected, "\(text)")
    }
  }

  @Test("verdicts combine: volatile wins, then unknown, then stable")
  func combining() {
    #expect(VolatilityVerdict.stable.combined(with: .immutable) == .stable)
    #expect(VolatilityVerdict.unknown(["f"]).combined(with: .stable) == .unknown(["f"]))
    #expect(VolatilityVerdict.unknown(["f"]).combined(with: .volatile) == .volatile)
    #expect(
      VolatilityVerdict.unknown(["g"]).combined(with: .unknown(["f", "g"])) == .unknown(["f", "g"])
    )
    #expect(VolatilityVerdict(.stable) == .stable)
    #expect(VolatilityVerdict.unknown(["f"]).description == "unknown (f)")
  }

  @Test("the built-in table has no name in two places")
  func tableConsistency() {
    for name in BuiltinVolatility.sqlValueFunctions.keys {
      #expect(BuiltinVolatility.postgresExpressionNodes.contains(name) == false)
    }
    let rank: [Volatility: Int] = [.immutable: 0, .stable: 1, .volatile: 2]
    for (name, entry) in BuiltinVolatility.postgres {
      #expect(
        rank[entry.least, default: 0] < rank[entry.most, default: 0] || entry.least == entry.most,
        "\(name)"
      )
    }
    #expect(BuiltinVolatility.postgres.count >= 200)
  }
}
