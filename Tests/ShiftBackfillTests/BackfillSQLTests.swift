import ShiftPlanner
import Testing

@testable import ShiftBackfill

@Suite struct BackfillSQLTests {
  static let spec = BackfillSpec(
    name: "n",
    schema: "My \"Schema\"",
    table: "t",
    keyColumns: ["a", "b"],
    operation: .update,
    assignments: [.init(column: "Full \"Name\"", expression: "x || y")],
    rowFilter: "z IS NULL"
  )

  @Test func compositeKeysCompareAsRowValuesWithTypedParameters() {
    let sql = BackfillSQL(
      spec: Self.spec,
      walk: .keyset([KeyColumn(name: "a", type: "text"), KeyColumn(name: "b", type: "uuid")]),
      dialect: .postgres
    )
    #expect(sql.table == #""My ""Schema"""."t""#)
    #expect(
      sql.rangeCondition(hasLower: true)
        == #"("a", "b") > ($1::text, $2::uuid) AND ("a", "b") <= ($3::text, $4::uuid)"#
    )
    #expect(sql.rangeCondition(hasLower: false) == #"("a", "b") <= ($1::text, $2::uuid)"#)
    #expect(
      sql.changeStatement(hasLower: false)
        == #"UPDATE "My ""Schema"""."t" SET "Full ""Name""" = (x || y) WHERE ("a", "b") <= ($1::text, $2::uuid) AND (z IS NULL)"#
    )
    // The limit follows the bounds; the checkpoint's parameters follow the change's.
    #expect(sql.batchEndQuery(hasLower: true).contains("LIMIT $5)"))
    #expect(sql.changeAndCheckpointStatement(hasLower: true).contains("cursor_key = $5"))
    #expect(sql.changeAndCheckpointStatement(hasLower: true).contains("AND worker = $10"))
    // Output columns are aliased so ORDER BY sorts the key, not its text.
    #expect(sql.lastKeyQuery.contains(#""a"::text AS safeshift_key_1"#))
    #expect(!sql.batchEndQuery(hasLower: true).contains("OFFSET"))
  }

  @Test func sqliteUsesNumberedParametersAndCastsIntegers() {
    var spec = Self.spec
    spec.schema = "main"
    spec.operation = .delete
    let sql = BackfillSQL(
      spec: spec,
      walk: .keyset([KeyColumn(name: "rowid", type: "INTEGER")]),
      dialect: .sqlite
    )
    #expect(
      sql.changeStatement(hasLower: true)
        == #"DELETE FROM "t" WHERE "rowid" > CAST(?1 AS INTEGER) AND "rowid" <= CAST(?2 AS INTEGER) AND (z IS NULL)"#
    )
  }

  @Test func blockWalksUseTidRanges() {
    let sql = BackfillSQL(spec: Self.spec, walk: .blocks, dialect: .postgres)
    #expect(sql.rangeCondition(hasLower: true).hasPrefix("ctid >= ('(' || $1::bigint"))
    #expect(sql.changeAndCheckpointStatement(hasLower: true).contains("cursor_key = $3"))
  }

  @Test func keyValuesRoundTripThroughTheLedgerEncoding() {
    let values = ["a\"b", "c\\d", "e,f", "{g}", "ü\n", "\u{1}"]
    #expect(KeyValues.decode(KeyValues.encode(values)) == values)
    #expect(KeyValues.describeRange(lower: nil, upper: ["5"]) == "(-∞, 5]")
    #expect(KeyValues.describeRange(lower: ["a", "1"], upper: ["b", "2"]) == "((a, 1), (b, 2)]")
  }
}

@Suite struct BackfillSpecJSONTests {
  @Test func readsThePlannersSpec() throws {
    let spec = try BackfillSpecJSON.decode(
      """
      {"version": 1, "name": "01-users-full_name", "schema": "public", "table": "users",
       "keyColumns": ["id"], "operation": "update",
       "set": [{"column": "full_name", "expression": "first_name || ' ' || last_name"}],
       "where": "full_name IS DISTINCT FROM (first_name || ' ' || last_name)",
       "batch": {"targetBatchMilliseconds": 100, "initialBatchSize": 500, "minBatchSize": 50,
                 "maxBatchSize": 5000, "lockTimeout": "1s", "statementTimeout": "10s"}}
      """
    )
    #expect(spec.name == "01-users-full_name")
    #expect(spec.keyColumns == ["id"])
    #expect(
      spec.assignments == [.init(column: "full_name", expression: "first_name || ' ' || last_name")]
    )
    #expect(
      spec.batch
        == .init(
          targetBatchMilliseconds: 100,
          minBatchSize: 50,
          maxBatchSize: 5000,
          initialBatchSize: 500,
          lockTimeout: "1s",
          statementTimeout: "10s"
        )
    )
  }

  struct Bad: Sendable, CustomTestStringConvertible {
    var json: String
    var message: String
    var testDescription: String { message }
  }

  static let bad: [Bad] = [
    Bad(json: "[", message: "not valid JSON"),
    Bad(json: "[]", message: "not a JSON object"),
    Bad(json: #"{"version": 2}"#, message: "unsupported version 2"),
    Bad(json: #"{"table": "t", "operation": "update"}"#, message: "`name`"),
    Bad(json: #"{"name": "n", "table": "t", "operation": "merge"}"#, message: "`operation`"),
    Bad(
      json: #"{"name": "n", "table": "t", "operation": "update"}"#,
      message: "at least one `set`"
    ),
  ]

  @Test(arguments: bad) func rejectsBadSpecsSayingWhy(_ example: Bad) {
    #expect {
      _ = try BackfillSpecJSON.decode(example.json)
    } throws: { error in
      (error as? BackfillError)?.description.contains(example.message) == true
    }
  }

  @Test func theChecksumIgnoresBatchSettingsButNotTheChange() {
    var spec = BackfillSQLTests.spec
    let checksum = BackfillSpecJSON.checksum(spec)
    spec.batch.maxBatchSize = 5
    #expect(BackfillSpecJSON.checksum(spec) == checksum)
    spec.rowFilter = nil
    #expect(BackfillSpecJSON.checksum(spec) != checksum)
    #expect(checksum.count == 16)
  }
}

@Suite struct BackfillProgressTests {
  @Test func structuredLinesCarryEveryFigure() {
    let progress = BackfillProgress(
      keysDone: 250,
      rowsChanged: 200,
      keysEstimated: 1000,
      rangesDone: 1,
      ranges: 4,
      keysPerSecond: 50,
      throttleReason: .pauseRequested
    )
    #expect(
      progress.line
        == #"backfill state=running rows=250 estimated=1000 percent=25.0 changed=200 rate=50/s eta=00:15 ranges=1/4 failed=0 throttle=pause-requested reason="pause requested""#
    )
    #expect(
      progress.bar(width: 4)
        == "[#...] 25.0% 250/1000 rows 50 rows/s ETA 00:15 paused: pause requested"
    )
  }
}
