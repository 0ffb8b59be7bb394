import ShiftAnalysis
import ShiftCore
import Testing

@Suite
struct SizeConfigurationTests {
  @Test("tables and sizeAware are read")
  func allKeys() throws {
    let configuration = try Configuration.parse(
      """
      tables:
        users: {rows: 50_000_000, bytes: 4.2GB}
        audit.events: {rows: 120}
        blobs:
          bytes: 812 MB
      sizeAware:
        briefBelow: 500ms
        briefLevel: off
        errorFrom: 2min
        scanRate: 400MB/s
        indexBuildRate: 80MB/s
        rewriteRate: 30MB/s
        rowBytes: 250
      """,
      path: ".safeshift.yml"
    )
    let sizes = configuration.sizes
    #expect(sizes.isEnabled)
    #expect(
      sizes.declaredTables == [
        "users": TableSize(rows: 50_000_000, bytes: 4_509_715_661),
        "audit.events": TableSize(rows: 120),
        "blobs": TableSize(bytes: 812 * 1_048_576),
      ]
    )
    #expect(sizes.briefBelowSeconds == 0.5)
    #expect(sizes.briefLevel == .off)
    #expect(sizes.errorFromSeconds == 120)
    #expect(sizes.scanBytesPerSecond == 400 * 1_048_576)
    #expect(sizes.indexBuildBytesPerSecond == 80 * 1_048_576)
    #expect(sizes.rewriteBytesPerSecond == 30 * 1_048_576)
    #expect(sizes.rowBytes == 250)
  }

  @Test("defaults: brief under 1 s is info, 10 s or more is error")
  func defaults() {
    let sizes = Configuration().sizes
    #expect(sizes.isEnabled)
    #expect(sizes.briefBelowSeconds == 1)
    #expect(sizes.briefLevel == .info)
    #expect(sizes.errorFromSeconds == 10)
    #expect(sizes.scanBytesPerSecond == 200 * 1_048_576)
    #expect(sizes.indexBuildBytesPerSecond == 50 * 1_048_576)
    #expect(sizes.rewriteBytesPerSecond == 25 * 1_048_576)
    #expect(sizes.declaredTables.isEmpty)
  }

  @Test("sizeAware: false switches it off")
  func switchedOff() throws {
    #expect(try Configuration.parse("sizeAware: false\n", path: "c.yml").sizes.isEnabled == false)
    #expect(
      try Configuration.parse("sizeAware: {enabled: false}\n", path: "c.yml").sizes.isEnabled
        == false
    )
  }

  struct BadCase: Sendable, CustomTestStringConvertible {
    let yaml: String
    let line: Int
    let column: Int
    let message: String
    var testDescription: String { message }
  }

  static let badCases: [BadCase] = [
    BadCase(yaml: "tables: [users]\n", line: 1, column: 9, message: "tables must map"),
    BadCase(yaml: "tables:\n  users: 5\n", line: 2, column: 10, message: "must be a mapping"),
    BadCase(yaml: "tables:\n  users: {}\n", line: 2, column: 10, message: "needs rows, bytes"),
    BadCase(
      yaml: "tables:\n  users: {rows: many}\n",
      line: 2,
      column: 17,
      message: "rows of 'users' must be a whole number"
    ),
    BadCase(
      yaml: "tables:\n  users: {bytes: huge}\n",
      line: 2,
      column: 18,
      message: "bytes of 'users' must be a size"
    ),
    BadCase(
      yaml: "tables:\n  users: {row: 5}\n",
      line: 2,
      column: 11,
      message: "unknown table size field 'row'"
    ),
    BadCase(
      yaml: "sizeAware:\n  briefBelow: soon\n",
      line: 2,
      column: 15,
      message: "sizeAware.briefBelow must be a duration"
    ),
    BadCase(
      yaml: "sizeAware:\n  briefLevel: error\n",
      line: 2,
      column: 15,
      message: "briefLevel must be off, info or warning"
    ),
    BadCase(
      yaml: "sizeAware:\n  rewriteRate: fast\n",
      line: 2,
      column: 16,
      message: "rewriteRate must be a throughput"
    ),
    BadCase(
      yaml: "sizeAware:\n  speed: 1\n",
      line: 2,
      column: 3,
      message: "unknown sizeAware setting 'speed'"
    ),
    BadCase(
      yaml: "sizeAware:\n  briefBelow: 1min\n  errorFrom: 10s\n",
      line: 2,
      column: 3,
      message: "briefBelow must not be longer than sizeAware.errorFrom"
    ),
    BadCase(yaml: "sizeAware: maybe\n", line: 1, column: 12, message: "sizeAware must be"),
  ]

  @Test("bad size settings are errors naming file, line and column", arguments: badCases)
  func badSettings(_ testCase: BadCase) {
    let error = #expect(throws: ConfigurationError.self) {
      _ = try Configuration.parse(testCase.yaml, path: "cfg.yml")
    }
    #expect(error?.location == SourceLocation(line: testCase.line, column: testCase.column))
    #expect(error?.message.contains(testCase.message) == true, "\(String(describing: error))")
  }

  @Test("a command line without size settings keeps the file's")
  func overriding() throws {
    let file = try Configuration.parse("tables:\n  users: {rows: 10}\n", path: "c.yml")
    let merged = file.overridden(by: Configuration())
    #expect(merged.sizes.declaredTables["users"] == TableSize(rows: 10))
  }
}
