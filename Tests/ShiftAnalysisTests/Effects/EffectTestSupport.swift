import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax

/// The schema the unit tests run on, replayed as context.
enum EffectFixture {
  static let schema = """
    CREATE TYPE mood AS ENUM ('happy', 'sad');
    CREATE TABLE users (
      id bigint PRIMARY KEY,
      email varchar(40) NOT NULL,
      name text CONSTRAINT users_name_nn CHECK (name IS NOT NULL),
      nickname varchar(10),
      score integer,
      balance numeric(10, 2),
      created_at timestamp,
      mood mood,
      bio text CONSTRAINT users_bio_null CHECK (bio IS NULL),
      code char(4),
      status text NOT NULL DEFAULT 'new'
    );
    CREATE INDEX users_score_idx ON users (score);
    CREATE UNIQUE INDEX users_nickname_idx ON users (nickname);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric(10, 2));
    ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;
    CREATE TABLE events (id int NOT NULL, day date NOT NULL) PARTITION BY RANGE (day);
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE staging (id int NOT NULL, day date NOT NULL);
    CREATE FUNCTION my_volatile() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
    CREATE FUNCTION my_stable() RETURNS int LANGUAGE sql STABLE AS $$ SELECT 1 $$;
    CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) FROM orders GROUP BY user_id;
    """

  /// Analyzes `sql` (one migration file) after the fixture schema.
  static func analyze(
    _ sql: String,
    settings: EffectSettings = EffectSettings(),
    dialect: Dialect = .postgres,
    schema: String? = nil
  ) -> [AnalyzedStatement] {
    var analyzer = EffectAnalyzer(settings: settings, dialect: dialect)
    analyzer.replaySchema(
      SQLParser.parse(
        schema ?? (dialect == .postgres ? Self.schema : ""),
        dialect: dialect,
        path: "schema.sql"
      )
    )
    return analyzer.analyze(SQLParser.parse(sql, dialect: dialect, path: "migration.sql"))
  }

  /// The effect of the last statement of `sql`.
  static func effect(
    _ sql: String,
    settings: EffectSettings = EffectSettings(),
    dialect: Dialect = .postgres,
    schema: String? = nil
  ) -> StatementEffect {
    analyze(sql, settings: settings, dialect: dialect, schema: schema).last?.effect
      ?? StatementEffect()
  }

  /// Locks by unqualified name (`*` for the database).
  static func locks(_ effect: StatementEffect) -> [String: LockMode] {
    var result: [String: LockMode] = [:]
    for lock in effect.locks { result[lock.relation?.name ?? "*"] = lock.mode }
    return result
  }

  static func names(_ relations: [ObjectName]) -> Set<String> { Set(relations.map(\.name)) }
}
