/// A small deterministic generator of PostgreSQL migration SQL, so the benchmark needs no
/// input file.
///
/// It produces the same statement families as `Scripts/generate-corpus.py` (the corpus used
/// for the comparison with squawk): transaction-wrapped migrations with `SET lock_timeout`,
/// `CREATE TABLE` with many columns and constraints, `ALTER TABLE` variants, indexes built
/// `CONCURRENTLY`, batched backfills, plpgsql trigger functions in dollar quotes, enums,
/// comments, views and `DO` blocks. The output depends only on `statements` and `seed`.
struct CorpusGenerator {
  /// SplitMix64: tiny, fast and identical on every platform.
  private var state: UInt64
  private var serial = 0
  private var tables: [String] = []
  private(set) var statementCount = 0

  init(seed: UInt64) {
    state = seed
  }

  /// Returns SQL holding exactly `statements` statements.
  static func corpus(statements: Int, seed: UInt64 = 1) -> String {
    var generator = CorpusGenerator(seed: seed)
    var out = "-- SafeShift benchmark corpus (Swift generator)\n\n"
    out.reserveCapacity(statements * 120)
    while generator.statementCount < statements {
      let migration = generator.migration()
      let room = statements - generator.statementCount
      for statement in migration.prefix(room) {
        out += statement
        out += "\n"
      }
      generator.statementCount += min(room, migration.count)
      out += "\n"
    }
    return out
  }

  private mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  private mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
  private mutating func uid() -> Int {
    serial += 1
    return serial
  }

  private static let entities = [
    "accounts", "users", "organizations", "projects", "orders", "order_items", "invoices",
    "payments", "refunds", "subscriptions", "plans", "products", "prices", "coupons",
    "shipments", "addresses", "warehouses", "suppliers", "reviews", "comments", "posts",
    "tags", "attachments", "notifications", "webhooks", "api_keys", "sessions", "audit_logs",
    "teams", "memberships", "invitations", "feature_flags", "events", "tickets", "reports",
  ]

  /// Column name and the SQL types that suit it.
  private static let columns: [(String, [String])] = [
    ("name", ["text", "varchar(255)"]), ("email", ["citext", "varchar(320)"]),
    ("status", ["varchar(64)", "text"]), ("description", ["text"]),
    ("amount_cents", ["bigint"]), ("quantity", ["integer", "bigint"]),
    ("priority", ["smallint"]), ("score", ["numeric(12, 2)", "double precision"]),
    ("external_id", ["uuid"]), ("metadata", ["jsonb"]), ("tags", ["text[]"]),
    ("starts_at", ["timestamptz"]), ("expires_at", ["timestamp with time zone"]),
    ("archived_at", ["timestamptz"]), ("deleted_at", ["timestamptz"]), ("due_on", ["date"]),
    ("is_active", ["boolean"]), ("retry_count", ["integer"]), ("ip_address", ["inet"]),
    ("checksum", ["bytea"]), ("ttl", ["interval"]), ("locale", ["varchar(64)"]),
  ]

  private static let defaults: [String: [String]] = [
    "text": ["''", "'unknown'::text"], "varchar(255)": ["''"], "varchar(64)": ["'pending'"],
    "bigint": ["0"], "integer": ["0", "1"], "smallint": ["5"], "numeric(12, 2)": ["0.00"],
    "double precision": ["0.0"], "uuid": ["gen_random_uuid()"], "jsonb": ["'{}'::jsonb"],
    "text[]": ["'{}'::text[]"], "timestamptz": ["now()", "CURRENT_TIMESTAMP"],
    "timestamp with time zone": ["now()"], "date": ["CURRENT_DATE"],
    "boolean": ["false", "true"], "interval": ["interval '1 day'"],
  ]

  private mutating func table() -> String {
    if tables.isEmpty { tables.append("users") }
    return pick(tables)
  }

  private mutating func columnDefinition() -> (name: String, type: String, sql: String) {
    let (base, types) = pick(Self.columns)
    let name = chance(30) ? "\(base)_\(pick(["v2", "raw", "old", "utc"]))" : base
    let type = pick(types)
    var sql = "\(name) \(type)"
    if chance(45) { sql += " NOT NULL" }
    if let options = Self.defaults[type], chance(50) { sql += " DEFAULT \(pick(options))" }
    if type == "integer", chance(15) { sql += " CHECK (\(name) >= 0)" }
    return (name, type, sql)
  }

  private mutating func wrap(_ statements: [String]) -> [String] {
    guard chance(70) else { return statements }
    var out = ["BEGIN;"]
    if chance(60) { out.append(lockTimeout()) }
    return out + statements + ["COMMIT;"]
  }

  private mutating func lockTimeout() -> String {
    pick([
      "SET lock_timeout = '2s';", "SET lock_timeout TO '5s';", "SET LOCAL lock_timeout = '1s';",
      "SET statement_timeout = '15min';",
    ])
  }

  private mutating func createTable() -> [String] {
    let name = "\(chance(30) ? "legacy_" : "")\(pick(Self.entities))_\(uid())"
    var lines = [
      chance(60)
        ? "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        : "id uuid PRIMARY KEY DEFAULT gen_random_uuid()"
    ]
    if !tables.isEmpty, chance(60) {
      let parent = pick(tables)
      lines.append("parent_id bigint NOT NULL REFERENCES \(parent) (id) ON DELETE CASCADE")
    }
    var seen: Set<String> = []
    var indexable: [String] = []
    for _ in 0..<(4 + below(14)) {
      let column = columnDefinition()
      guard seen.insert(column.name).inserted else { continue }
      lines.append(column.sql)
      indexable.append(column.name)
    }
    lines.append("created_at timestamptz NOT NULL DEFAULT now()")
    lines.append("updated_at timestamptz NOT NULL DEFAULT now()")
    if chance(30) {
      lines.append("CONSTRAINT \(name)_dates_check CHECK (updated_at >= created_at)")
    }
    tables.append(name)
    var out = [
      "CREATE TABLE \(name) (\n    " + lines.joined(separator: ",\n    ") + "\n);",
      "COMMENT ON TABLE \(name) IS 'Don''t write to this directly: use the API.';",
    ]
    for _ in 0..<below(3) {
      let column = indexable.isEmpty ? "created_at" : pick(indexable)
      out.append("CREATE INDEX \(name)_\(column)_idx_\(uid()) ON \(name) (\(column), created_at);")
    }
    return out
  }

  private mutating func addColumn() -> [String] {
    let table = table()
    let column = columnDefinition()
    var out = ["ALTER TABLE \(table) ADD COLUMN \(column.sql);"]
    if chance(60) {
      let step = pick([1000, 5000, 10000])
      for batch in 0..<(1 + below(3)) {
        out.append(
          "UPDATE \(table) SET \(column.name) = DEFAULT WHERE id BETWEEN \(batch * step) AND "
            + "\(batch * step + step - 1) AND \(column.name) IS NULL;"
        )
      }
      let check = "\(table)_\(column.name)_not_null_\(uid())"
      out += [
        "ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(column.name) IS NOT NULL) NOT VALID;",
        "ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);",
        "ALTER TABLE \(table) ALTER COLUMN \(column.name) SET NOT NULL;",
        "ALTER TABLE \(table) DROP CONSTRAINT \(check);",
      ]
    }
    return out
  }

  private mutating func foreignKey() -> [String] {
    let child = table()
    let parent = table()
    let column = "ref_\(uid())_id"
    let constraint = "fk_\(child)_\(column)"
    return [
      "ALTER TABLE \(child) ADD COLUMN \(column) bigint;",
      "ALTER TABLE \(child) ADD CONSTRAINT \(constraint) FOREIGN KEY (\(column)) "
        + "REFERENCES \(parent) (id) ON DELETE SET NULL NOT VALID;",
      "ALTER TABLE \(child) VALIDATE CONSTRAINT \(constraint);",
    ]
  }

  private mutating func alterMisc() -> String {
    let table = table()
    let column = pick(Self.columns).0
    switch below(8) {
    case 0: return "ALTER TABLE \(table) RENAME COLUMN \(column) TO \(column)_\(uid());"
    case 1: return "ALTER TABLE \(table) ALTER COLUMN \(column) SET DEFAULT 0;"
    case 2: return "ALTER TABLE \(table) ALTER COLUMN \(column) DROP DEFAULT;"
    case 3: return "ALTER TABLE \(table) ALTER COLUMN \(column) DROP NOT NULL;"
    case 4:
      return "ALTER TABLE \(table) ALTER COLUMN \(column) TYPE bigint USING \(column)::bigint;"
    case 5: return "ALTER TABLE \(table) DROP COLUMN IF EXISTS \(column);"
    case 6:
      return "ALTER TABLE \(table) ADD COLUMN \(column)_\(uid()) text,\n"
        + "    ADD COLUMN \(column)_\(uid()) integer NOT NULL DEFAULT 0;"
    default: return "ALTER TABLE \(table) ALTER COLUMN \(column) SET NOT NULL;"
    }
  }

  private mutating func concurrentIndex() -> String {
    let table = table()
    let column = pick(Self.columns).0
    let unique = chance(15) ? "UNIQUE " : ""
    let partial = chance(20) ? " WHERE deleted_at IS NULL" : ""
    return "CREATE \(unique)INDEX CONCURRENTLY IF NOT EXISTS \(table)_\(column)_\(uid()) "
      + "ON \(table) (\(column))\(partial);"
  }

  private mutating func trigger() -> [String] {
    let table = table()
    let function = "\(table)_set_updated_at_\(uid())"
    let tag = pick(["$$", "$fn$", "$body$"])
    return [
      """
      CREATE OR REPLACE FUNCTION \(function)() RETURNS trigger
      LANGUAGE plpgsql
      AS \(tag)
      BEGIN
          -- Only touch the timestamp when something actually changed.
          IF NEW IS DISTINCT FROM OLD THEN
              NEW.updated_at := now();
          END IF;
          RETURN NEW;
      END;
      \(tag);
      """,
      """
      CREATE TRIGGER \(function)_trigger
          BEFORE UPDATE ON \(table)
          FOR EACH ROW
          EXECUTE FUNCTION \(function)();
      """,
    ]
  }

  private mutating func enumType() -> [String] {
    let name = "\(pick(["order", "user", "ticket"]))_status_\(uid())"
    return [
      "CREATE TYPE \(name) AS ENUM ('pending', 'active', 'suspended', 'archived');",
      "ALTER TABLE \(table()) ADD COLUMN status_\(uid()) \(name) DEFAULT 'pending';",
    ]
  }

  private mutating func dataChange() -> String {
    let table = table()
    switch below(4) {
    case 0:
      return "INSERT INTO \(table) (name, status, created_at)\nVALUES\n"
        + "    ('O''Brien', 'active', '2024-01-02 12:00:00+00'),\n"
        + "    ('café-\(uid())', 'pending', now())\nON CONFLICT DO NOTHING;"
    case 1:
      return "UPDATE \(table) AS t\nSET status = 'archived', updated_at = now()\n"
        + "FROM \(self.table()) AS o\nWHERE o.id = t.id AND o.created_at < now() - interval '90 days';"
    case 2:
      return "DELETE FROM \(table) WHERE created_at < now() - interval '\(30 + below(300)) days';"
    default:
      return "UPDATE \(table) SET is_active = false "
        + "WHERE id IN (SELECT id FROM \(table) WHERE is_active IS NULL LIMIT 1000);"
    }
  }

  private mutating func migration() -> [String] {
    if tables.count < 5 || chance(10) { return wrap(createTable()) }
    switch below(14) {
    case 0...2: return wrap(addColumn())
    case 3: return wrap(foreignKey())
    case 4, 5: return [lockTimeout(), concurrentIndex()]
    case 6, 7: return wrap((0...below(3)).map { _ in alterMisc() })
    case 8: return wrap(trigger())
    case 9: return wrap(enumType())
    case 10, 11: return wrap((0...below(4)).map { _ in dataChange() })
    case 12:
      let table = table()
      return [
        "COMMENT ON COLUMN \(table).created_at IS 'Kept for audit (7 years).';",
        "CREATE OR REPLACE VIEW \(table)_recent_\(uid()) AS\nSELECT t.id, t.created_at, "
          + "count(*) OVER (PARTITION BY t.id) AS n\nFROM \(table) AS t\n"
          + "WHERE t.created_at > now() - interval '1 year';",
      ]
    default:
      return [
        """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_readonly') THEN
                CREATE ROLE app_readonly NOLOGIN;
            END IF;
        END
        $$;
        """
      ]
    }
  }
}
