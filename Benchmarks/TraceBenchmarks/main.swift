// Measures `safeshift trace`'s cost on a live PostgreSQL server (see docs/benchmarks.md):
//   1. trace overhead per statement: the same N statements run in one transaction, plainly
//      (`executeSingleStatement`) and through `TransactionTracer`, alternating, same run;
//   2. `PostgresIntrospector.introspect` on a schema of 1,000 tables;
//   3. the trace overhead again once those 1,000 tables exist (each traced statement
//      snapshots every user relation of the database).
// Usage: TraceBenchmarks [URL] [statements] [rounds]; the URL defaults to
// SAFESHIFT_TEST_DATABASE_URL (Scripts/bench-trace.sh runs it under Scripts/with-postgres.sh).
// Everything happens in a scratch database that is dropped at the end.

import ShiftDatabase
import ShiftPostgres

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

func milliseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1000
    + Double(duration.components.attoseconds) / 1_000_000_000_000_000
}

func format(_ value: Double, _ digits: Int = 3) -> String {
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = Int((value * scale).rounded())
  let fraction = String(scaled % Int(scale))
  return "\(scaled / Int(scale))."
    + String(repeating: "0", count: digits - fraction.count) + fraction
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

let arguments = CommandLine.arguments
guard
  let url = arguments.count > 1 && !arguments[1].isEmpty
    ? arguments[1] : getenv("SAFESHIFT_TEST_DATABASE_URL").map({ String(cString: $0) })
else {
  print("usage: TraceBenchmarks URL [statements] [rounds] (or set SAFESHIFT_TEST_DATABASE_URL)")
  exit(64)
}
let statementCount = arguments.count > 2 ? Int(arguments[2]) ?? 200 : 200
let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5

/// The main workload: `ALTER TABLE t<k> ADD COLUMN c<i> int` over 20 tables of 100 rows
/// (metadata-only statements: the cheapest DDL, so the tracer's share is the largest).
func workload() -> [String] {
  (0..<statementCount).map { "ALTER TABLE bench_small_\($0 % 20) ADD COLUMN c\($0) int" }
}

/// A heavier workload: 20 index builds on a table of 100,000 rows.
func indexWorkload() -> [String] {
  (0..<20).map { "CREATE INDEX bench_big_\($0)_idx ON bench_big (v, id)" }
}

/// Plain and traced runs of the workload, alternating; per-statement milliseconds.
func overhead(
  _ connection: inout PostgresConnection,
  _ statements: [String] = workload()
) throws -> (plain: [Double], traced: [Double]) {
  var plain: [Double] = []
  var traced: [Double] = []
  for round in 0..<rounds * 2 {
    if round % 2 == 0 {
      let start = ContinuousClock.now
      try connection.execute("BEGIN")
      for sql in statements { try connection.executeSingleStatement(sql) }
      try connection.execute("ROLLBACK")
      plain.append(milliseconds(start.duration(to: .now)) / Double(statements.count))
    } else {
      let start = ContinuousClock.now
      var tracer = TransactionTracer()
      try tracer.begin(on: &connection)
      for sql in statements { _ = try tracer.trace(sql, on: &connection) }
      try tracer.end(.rollback, on: &connection)
      traced.append(milliseconds(start.duration(to: .now)) / Double(statements.count))
    }
  }
  return (plain, traced)
}

func report(
  _ label: String,
  _ result: (plain: [Double], traced: [Double]),
  count: Int = statementCount
) {
  let plain = median(result.plain)
  let traced = median(result.traced)
  print(
    "| \(label) | \(count) | \(format(plain)) (best \(format(result.plain.min() ?? 0))) "
      + "| \(format(traced)) (best \(format(result.traced.min() ?? 0))) "
      + "| \(format(traced - plain)) | \(format(traced / plain, 1))× |"
  )
}

let scratch = try ScratchDatabase.create(on: url)
do {
  var connection = try scratch.connect()
  print("server \(connection.serverVersion), scratch database \(scratch.name), \(rounds) rounds")
  try connection.execute("SET client_min_messages = warning")
  for table in 0..<20 {
    try connection.execute(
      "CREATE TABLE bench_small_\(table) (id bigint PRIMARY KEY, v int); "
        + "INSERT INTO bench_small_\(table) SELECT g, g FROM generate_series(1, 100) g"
    )
  }
  try connection.execute("ANALYZE")
  print("")
  print(
    "| schema | statements | plain ms/statement (median) | traced ms/statement (median) "
      + "| overhead ms/statement | traced / plain |"
  )
  print("|---|---:|---:|---:|---:|---:|")
  report("20 tables", try overhead(&connection))
  try connection.execute(
    "CREATE TABLE bench_big (id bigint PRIMARY KEY, v int); "
      + "INSERT INTO bench_big SELECT g, g % 1000 FROM generate_series(1, 100000) g; "
      + "ANALYZE bench_big"
  )
  report(
    "21 tables, CREATE INDEX on 100,000 rows",
    try overhead(&connection, indexWorkload()),
    count: 20
  )

  // 1,000 tables: identity key, unique email, a CHECK, a default, an index, and a foreign
  // key to the table before (so 3 indexes and up to 4 constraints each).
  let start = ContinuousClock.now
  for chunk in stride(from: 0, to: 1000, by: 50) {
    var sql = ""
    for table in chunk..<chunk + 50 {
      let reference =
        table == 0 ? "" : ", parent_id bigint REFERENCES bench_\(table - 1) (id)"
      sql += """
        CREATE TABLE bench_\(table) (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          email text NOT NULL UNIQUE, status text NOT NULL DEFAULT 'new'
          CHECK (status IN ('new', 'done')), created_at timestamptz NOT NULL DEFAULT now()
          \(reference));
        CREATE INDEX bench_\(table)_created_at_idx ON bench_\(table) (created_at);

        """
    }
    try connection.execute(sql)
  }
  try connection.execute("ANALYZE")
  let built = milliseconds(start.duration(to: .now))
  var introspection: [Double] = []
  var tables = 0
  for _ in 0..<rounds {
    var session = try scratch.connect()
    let begin = ContinuousClock.now
    let database = try PostgresIntrospector.introspect(&session)
    introspection.append(milliseconds(begin.duration(to: .now)))
    tables = database.catalog.tables.count
  }
  report("1,020 tables", try overhead(&connection))
  print("")
  print("schema of 1,000 tables built in \(format(built / 1000, 1)) s")
  print(
    "| introspection | tables in catalog | median ms | best ms |\n|---|---:|---:|---:|\n"
      + "| PostgresIntrospector.introspect | \(tables) | \(format(median(introspection), 1)) "
      + "| \(format(introspection.min() ?? 0, 1)) |"
  )
}
try scratch.drop()
