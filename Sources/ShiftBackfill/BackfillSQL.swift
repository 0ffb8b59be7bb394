public import ShiftPlanner
import ShiftSyntax

/// The SQL text of a backfill's batches, built from a spec and its resolved key.
///
/// Identifiers are always quoted; key bounds and ledger values are always bound parameters.
/// The spec's `set` expressions and `where` filter are SQL written by the user (or the
/// planner from the user's migration) and go in as SQL text, in parentheses.
public struct BackfillSQL: Sendable, Hashable {
  /// How batches delimit their rows.
  public enum Walk: Sendable, Hashable {
    /// Keyset ranges over these columns (primary key or unique NOT NULL key, or `rowid`).
    case keyset([KeyColumn])
    /// `ctid` block ranges (PostgreSQL 14+ TID range scans), for tables without a key.
    case blocks
  }

  /// The database's SQL dialect.
  public enum Dialect: String, Sendable, Hashable {
    case postgres
    case sqlite
  }

  /// The spec.
  public let spec: BackfillSpec
  /// The walk.
  public let walk: Walk
  /// The dialect.
  public let dialect: Dialect

  /// Creates the SQL of a spec.
  public init(spec: BackfillSpec, walk: Walk, dialect: Dialect) {
    self.spec = spec
    self.walk = walk
    self.dialect = dialect
  }

  /// `name` as a quoted identifier: in double quotes, embedded double quotes doubled (the same
  /// rule in PostgreSQL and SQLite).
  public static func quote(_ name: String) -> String {
    SQLIdentifier.quoted(name)
  }

  /// The table, schema-qualified and quoted (SQLite: the table alone unless the schema names
  /// an attached database other than `main`).
  public var table: String {
    if dialect == .sqlite, spec.schema.isEmpty || spec.schema == "main" || spec.schema == "public" {
      return Self.quote(spec.table)
    }
    return Self.quote(spec.schema) + "." + Self.quote(spec.table)
  }

  /// The key columns walked (empty for block walks).
  public var keys: [KeyColumn] {
    if case .keyset(let keys) = walk { return keys }
    return []
  }

  private func parameter(_ number: Int, type: String = "") -> String {
    switch dialect {
    case .postgres: type.isEmpty ? "$\(number)" : "$\(number)::\(type)"
    case .sqlite: type.isEmpty ? "?\(number)" : "CAST(?\(number) AS \(type))"
    }
  }

  /// The key columns as text, aliased so that `ORDER BY` still names the columns (an output
  /// column named like a key would otherwise sort as text).
  private var textKeys: String {
    keys.enumerated().map { offset, column -> String in
      let name = Self.quote(column.name)
      let text = dialect == .postgres ? "\(name)::text" : "CAST(\(name) AS TEXT)"
      return text + " AS safeshift_key_\(offset + 1)"
    }.joined(separator: ", ")
  }

  private var keyList: String { keys.map { Self.quote($0.name) }.joined(separator: ", ") }

  private var keyTuple: String { keys.count == 1 ? keyList : "(" + keyList + ")" }

  private func parameterTuple(from first: Int) -> String {
    let list = keys.enumerated().map { parameter(first + $0.offset, type: $0.element.type) }
      .joined(separator: ", ")
    return keys.count == 1 ? list : "(" + list + ")"
  }

  /// The condition selecting a batch's rows: keys in `(lower, upper]` (the lower bound left
  /// out for the first batch of the first range), or blocks in `[lower, upper)`.
  ///
  /// Parameters: the lower key values (if `hasLower`), then the upper ones.
  public func rangeCondition(hasLower: Bool) -> String {
    switch walk {
    case .keyset:
      let upperFirst = hasLower ? keys.count + 1 : 1
      let upper = "\(keyTuple) <= \(parameterTuple(from: upperFirst))"
      return hasLower ? "\(keyTuple) > \(parameterTuple(from: 1)) AND \(upper)" : upper
    case .blocks:
      return
        "ctid >= ('(' || $1::bigint || ',0)')::tid AND ctid < ('(' || $2::bigint || ',0)')::tid"
    }
  }

  /// The query finding a keyset batch's last key and its key count: the `limit` keys after
  /// the lower bound, up to the range's upper bound, in key order.
  ///
  /// Parameters: lower key values (if `hasLower`), upper key values, then the limit. Returns
  /// one row (count, then the last key's values as text) or none when the range is exhausted.
  public func batchEndQuery(hasLower: Bool) -> String {
    let limit = parameter((hasLower ? 2 : 1) * keys.count + 1)
    if keys.count == 1, let key = keys.first, hasOrderedMax(key) {
      // One key with a `max` that follows its sort order: an aggregate, no second sort.
      let name = Self.quote(key.name)
      let count = dialect == .postgres ? "count(*)::text" : "count(*)"
      let last = dialect == .postgres ? "max(\(name))::text" : "CAST(max(\(name)) AS TEXT)"
      return """
        SELECT \(count), \(last) AS safeshift_key_1 FROM (SELECT \(name) FROM \(table) \
        WHERE \(rangeCondition(hasLower: hasLower)) ORDER BY \(name) LIMIT \(limit)) AS batch \
        HAVING count(*) > 0
        """
    }
    let castKeys = textKeys
    let descending = keys.map { Self.quote($0.name) + " DESC" }.joined(separator: ", ")
    let count = dialect == .postgres ? "count(*) OVER ()::text" : "count(*) OVER ()"
    return """
      SELECT \(count), \(castKeys) FROM (SELECT \(keyList) FROM \(table) \
      WHERE \(rangeCondition(hasLower: hasLower)) ORDER BY \(keyList) LIMIT \(limit)) AS batch \
      ORDER BY \(descending) LIMIT 1
      """
  }

  /// Whether `max(key)` exists and agrees with `ORDER BY key` (SQLite: always; PostgreSQL:
  /// numbers, text in the column's collation, dates and timestamps, not `uuid`).
  private func hasOrderedMax(_ key: KeyColumn) -> Bool {
    guard dialect == .postgres else { return true }
    let type = key.type.lowercased()
    let ordered = [
      "smallint", "integer", "bigint", "numeric", "real", "double precision", "text",
      "character varying", "date", "timestamp",
    ]
    return ordered.contains { type.hasPrefix($0) }
  }

  /// The statement changing a batch's rows (`UPDATE … SET` or `DELETE`), restricted to the
  /// range condition and the spec's filter.
  public func changeStatement(hasLower: Bool) -> String {
    var condition = rangeCondition(hasLower: hasLower)
    if let filter = spec.rowFilter { condition += " AND (\(filter))" }
    switch spec.operation {
    case .update:
      let assignments = spec.assignments.map { Self.quote($0.column) + " = (\($0.expression))" }
        .joined(separator: ", ")
      return "UPDATE \(table) SET \(assignments) WHERE \(condition)"
    case .delete:
      return "DELETE FROM \(table) WHERE \(condition)"
    }
  }

  /// PostgreSQL: the batch's change and its checkpoint in one statement, returning the rows
  /// changed; no row when the ledger row is not this worker's running range.
  ///
  /// Parameters: the range condition's, then the cursor (JSON key values, or the block number
  /// as text), the keys walked, whether the range is done, the backfill's name, the range
  /// number, the worker and the cursor the batch started from (a checkpoint that finds another
  /// cursor in the ledger matches no row, and the batch is rolled back: no range is ever
  /// walked twice, whatever the claims did).
  public func changeAndCheckpointStatement(hasLower: Bool) -> String {
    let first =
      switch walk {
      case .keyset: (hasLower ? 2 : 1) * keys.count + 1
      case .blocks: 3
      }
    let p = (0..<7).map { parameter(first + $0) }
    return """
      WITH changed AS (\(changeStatement(hasLower: hasLower)) RETURNING 1), \
      counted AS (SELECT count(*) AS n FROM changed) \
      UPDATE "safeshift"."backfill_ranges" SET cursor_key = \(p[0]), \
      keys_done = keys_done + \(p[1])::bigint, rows_done = rows_done + counted.n, \
      batches_done = batches_done + 1, \
      state = CASE WHEN \(p[2])::boolean THEN 'done' ELSE state END, \
      updated_at = clock_timestamp() \
      FROM counted WHERE backfill = \(p[3]) AND range_no = \(p[4])::integer \
      AND worker = \(p[5]) AND state = 'running' AND cursor_key IS NOT DISTINCT FROM \(p[6]) \
      RETURNING counted.n::text
      """
  }

  /// PostgreSQL: the query setting a batch's timeouts for its transaction only.
  ///
  /// `set_config(…, true)` is `SET LOCAL` with bound values. Parameters: the lock timeout,
  /// then the statement timeout.
  public static let localTimeoutsQuery =
    "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)"
}

extension BackfillSQL {
  /// The query returning the table's last key (as text), the work set's frozen upper bound.
  public var lastKeyQuery: String {
    let castKeys = textKeys
    let descending = keys.map { Self.quote($0.name) + " DESC" }.joined(separator: ", ")
    return "SELECT \(castKeys) FROM \(table) ORDER BY \(descending) LIMIT 1"
  }

  /// The query splitting the keys below the upper bound into ranges of `step` keys.
  ///
  /// Returns every `step`-th key in key order, as text. Parameters: the upper key values,
  /// then `step`.
  public var splitQuery: String {
    let castKeys = textKeys
    let step = parameter(keys.count + 1)
    return """
      SELECT \(castKeys) FROM (SELECT \(keyList), row_number() OVER (ORDER BY \(keyList)) AS n \
      FROM \(table) WHERE \(keyTuple) < \(parameterTuple(from: 1))) AS numbered \
      WHERE n % \(step) = 0 ORDER BY n
      """
  }

  /// PostgreSQL: a sample of the keys below the upper bound, in key order, as text.
  ///
  /// The rows of the pages `TABLESAMPLE SYSTEM` picks. Parameters: the upper key values, then
  /// the percentage.
  public var sampleQuery: String {
    """
    SELECT \(textKeys) FROM \(table) TABLESAMPLE SYSTEM (\(parameter(keys.count + 1))::real) \
    WHERE \(keyTuple) < \(parameterTuple(from: 1)) ORDER BY \(keyList)
    """
  }
}
