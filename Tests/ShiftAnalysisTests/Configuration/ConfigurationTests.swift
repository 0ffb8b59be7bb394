import ShiftAnalysis
import ShiftCore
import ShiftSyntax
import Testing

@Suite
struct ConfigurationTests {
  @Test("every documented key is read")
  func allKeys() throws {
    let configuration = try Configuration.parse(
      """
      dialect: sqlite
      pgVersion: 12
      failOn: error
      assumeInTransaction: true
      sessionTimeZone: UTC
      exclude:
        - legacy/**
      rules:
        require-concurrent-index: off
        ban-drop-column: warning
      """,
      path: ".safeshift.yml"
    )
    #expect(configuration.dialect == .sqlite)
    #expect(configuration.pgVersion == 12)
    #expect(configuration.failOn == .error)
    #expect(configuration.assumeInTransaction == true)
    #expect(configuration.sessionTimeZone == "UTC")
    #expect(configuration.exclude == ["legacy/**"])
    #expect(configuration.rules == ["require-concurrent-index": .off, "ban-drop-column": .warning])
  }

  @Test("an empty file is the default configuration")
  func emptyFile() throws {
    #expect(try Configuration.parse("", path: "x.yml") == Configuration())
    #expect(try Configuration.parse("# only a comment\n", path: "x.yml") == Configuration())
  }

  struct BadCase: Sendable, CustomTestStringConvertible {
    let yaml: String
    let line: Int
    let column: Int
    let message: String
    var testDescription: String { message }
  }

  static let badCases: [BadCase] = [
    BadCase(
      yaml: "dialect: mysql\n",
      line: 1,
      column: 10,
      message: "dialect must be postgres or sqlite"
    ),
    BadCase(yaml: "pgVersion: 9\n", line: 1, column: 12, message: "pgVersion must be"),
    BadCase(yaml: "failOn: fatal\n", line: 1, column: 9, message: "failOn must be"),
    BadCase(
      yaml: "failOn: error\nfailon: warning\n",
      line: 2,
      column: 1,
      message: "unknown setting 'failon'"
    ),
    BadCase(
      yaml: "rules:\n  no-such-rule: off\n",
      line: 2,
      column: 3,
      message: "unknown rule 'no-such-rule'"
    ),
    BadCase(
      yaml: "rules:\n  ban-drop-column: loud\n",
      line: 2,
      column: 20,
      message: "must be off, info, warning or error"
    ),
    BadCase(yaml: "exclude: legacy\n", line: 1, column: 10, message: "exclude must be a list"),
  ]

  @Test("bad settings are errors naming file, line and column", arguments: badCases)
  func badSettings(_ testCase: BadCase) {
    let error = #expect(throws: ConfigurationError.self) {
      _ = try Configuration.parse(testCase.yaml, path: "cfg.yml", knownRules: ["ban-drop-column"])
    }
    #expect(error?.location == SourceLocation(line: testCase.line, column: testCase.column))
    #expect(error?.message.contains(testCase.message) == true, "\(String(describing: error))")
    #expect(
      error?.description.hasPrefix("cfg.yml:\(testCase.line):\(testCase.column): error:") == true
    )
  }

  @Test("invalid YAML is an error, not a crash")
  func invalidYAML() {
    #expect(throws: ConfigurationError.self) {
      _ = try Configuration.parse("rules: [a\n", path: "c.yml")
    }
  }

  @Test("flags override the file key by key")
  func overriding() throws {
    let file = try Configuration.parse(
      "failOn: error\nrules:\n  a: off\n  b: info\n",
      path: "c.yml"
    )
    var flags = Configuration()
    flags.failOn = .warning
    flags.rules = ["b": .error]
    let merged = file.overridden(by: flags)
    #expect(merged.failOn == .warning)
    #expect(merged.rules == ["a": .off, "b": .error])
  }
}
