import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftSyntax
import ShiftTestSupport
import Testing

/// Every documented example of every rule, run as a test, plus mutations that must not
/// change the verdict wrongly (SwiftLint and swift-format's habit).
@Suite
struct RuleExampleTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let rule: any Rule
    let example: RuleExample
    let isTriggering: Bool
    let number: Int
    var id: String { type(of: rule).description.id }
    var testDescription: String {
      "\(id) \(isTriggering ? "triggering" : "non-triggering") #\(number)"
    }
    var sourceLocation: SourceLocation {
      Testing.SourceLocation(
        fileID:
          "ShiftAnalysis/\(String(describing: example.file).split(separator: "/").last ?? "")",
        filePath: String(describing: example.file),
        line: Int(example.line),
        column: 1
      )
    }
  }

  typealias SourceLocation = Testing.SourceLocation

  static let cases: [Case] = allRules.flatMap { rule -> [Case] in
    let description = type(of: rule).description
    return description.triggering.enumerated().map {
      Case(rule: rule, example: $1, isTriggering: true, number: $0 + 1)
    }
      + description.nonTriggering.enumerated().map {
        Case(rule: rule, example: $1, isTriggering: false, number: $0 + 1)
      }
  }

  static let triggeringCases = cases.filter(\.isTriggering)

  /// The example's SQL without markers, and the UTF-8 offsets of the markers.
  static func stripMarkers(_ sql: String) -> (String, [Int]) {
    let marker = Array("⚠️".utf8)
    var bytes: [UInt8] = []
    var offsets: [Int] = []
    let input = Array(sql.utf8)
    var index = 0
    while index < input.count {
      if index + marker.count <= input.count, Array(input[index..<(index + marker.count)]) == marker
      {
        offsets.append(bytes.count)
        index += marker.count
      } else {
        bytes.append(input[index])
        index += 1
      }
    }
    return (String(decoding: bytes, as: UTF8.self), offsets)
  }

  static func findings(_ testCase: Case, sql: String) -> [Finding] {
    let description = type(of: testCase.rule).description
    let dialect = description.dialects.contains(.postgres) ? Dialect.postgres : .sqlite
    let settings = LintSettings(
      effect: EffectSettings(
        pgVersion: testCase.example.pgVersion ?? ShiftAnalysis.newestPostgresVersion,
        assumeInTransaction: testCase.example.assumeInTransaction
      ),
      rules: [testCase.rule]
    )
    var linter = Linter(settings: settings, dialect: dialect)
    linter.replay(SQLParser.parse(testCase.example.schema, dialect: dialect, path: "schema.sql"))
    let file = linter.lint(SQLParser.parse(sql, dialect: dialect, path: "example.sql"))
    return file.statements.flatMap(\.findings).filter { $0.rule == description.id }
  }

  @Test("documented examples trigger exactly at their markers", arguments: cases)
  func examples(_ testCase: Case) {
    let (sql, markers) = Self.stripMarkers(testCase.example.sql)
    let parsed = SQLParser.parse(sql)
    #expect(
      parsed.errors.isEmpty,
      "example does not parse: \(parsed.errors)",
      sourceLocation: testCase.sourceLocation
    )
    let starts = Self.findings(testCase, sql: sql).map(\.range.start).sorted()
    #expect(
      starts == markers,
      "findings at \(starts), markers at \(markers)",
      sourceLocation: testCase.sourceLocation
    )
  }

  @Test(
    "commented out, quoted or suppressed, a triggering example reports nothing",
    arguments: triggeringCases
  )
  func neutralized(_ testCase: Case) {
    let (sql, _) = Self.stripMarkers(testCase.example.sql)
    let id = testCase.id
    var variants = [
      sql.split(separator: "\n", omittingEmptySubsequences: false).map { "-- " + $0 }.joined(
        separator: "\n"
      ),
      "/* " + sql + " */",
      "SELECT '" + sql.replacingOccurrences(of: "'", with: "''") + "';",
      "-- safeshift:ignore-file \(id)\n" + sql,
    ]
    // Dollar quotes are PostgreSQL only; SQLite reads `$q$` as a parameter name.
    if type(of: testCase.rule).description.dialects.contains(.postgres) {
      variants.append("SELECT $q$" + sql + "$q$;")
    }
    for variant in variants {
      #expect(
        Self.findings(testCase, sql: variant).isEmpty,
        "reported inside:\n\(variant)",
        sourceLocation: testCase.sourceLocation
      )
    }
  }

  @Test("a multibyte prefix shifts findings by exactly its bytes", arguments: triggeringCases)
  func multibytePrefix(_ testCase: Case) {
    let (sql, markers) = Self.stripMarkers(testCase.example.sql)
    let prefix = "-- café ☕ naïve\n"
    let starts = Self.findings(testCase, sql: prefix + sql).map(\.range.start).sorted()
    #expect(
      starts == markers.map { $0 + prefix.utf8.count },
      sourceLocation: testCase.sourceLocation
    )
  }

  @Test(
    "lower-case keywords and extra whitespace give the same findings",
    arguments: triggeringCases
  )
  func respelled(_ testCase: Case) {
    let (sql, markers) = Self.stripMarkers(testCase.example.sql)
    let source = SourceFile(path: "", text: sql)
    var respelled = ""
    for token in Lexer.tokenize(source, dialect: .postgres) {
      let text = source.text(token.range)
      if token.kind == .word, token.keyword != .none {
        respelled += text.lowercased()
      } else if token.kind == .whitespace {
        respelled += text + "  "
      } else {
        respelled += text
      }
    }
    #expect(
      Self.findings(testCase, sql: respelled).count == markers.count,
      sourceLocation: testCase.sourceLocation
    )
  }

  @Test("every finding has a message and a help text that names the user's table")
  func helpTextsUseTheStatementsNames() {
    for testCase in Self.triggeringCases {
      let (sql, _) = Self.stripMarkers(testCase.example.sql)
      for finding in Self.findings(testCase, sql: sql) {
        #expect(!finding.message.isEmpty, sourceLocation: testCase.sourceLocation)
        let help = finding.help ?? ""
        let mentionsTable = ["users", "orders", "purchases"].contains {
          help.contains($0) || finding.message.contains($0)
        }
        #expect(mentionsTable, "\(finding)", sourceLocation: testCase.sourceLocation)
      }
    }
  }
}

@Suite
struct RuleRegistryTests {
  @Test("rule ids are unique kebab-case and never end in -rule")
  func ids() {
    let ids = allRules.map { type(of: $0).description.id }
    #expect(Set(ids).count == ids.count)
    for id in ids {
      #expect(
        id.range(of: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$", options: .regularExpression) != nil,
        "\(id)"
      )
      #expect(!id.hasSuffix("-rule"))
    }
  }

  @Test("every Rule file under Rules/ is registered in allRules")
  func registryIsComplete() throws {
    let directory = Fixtures.root.appendingPathComponent("Sources/ShiftAnalysis/Rules")
    let enumerator = try #require(FileManager.default.enumerator(atPath: directory.path))
    var declared: [String] = []
    for case let path as String in enumerator
    where path.contains("/") && path.hasSuffix("Rule.swift") {
      declared.append(String(path.split(separator: "/").last?.dropLast(".swift".count) ?? ""))
    }
    let registered = allRules.map { String(describing: type(of: $0)) }
    #expect(Set(declared) == Set(registered))
    #expect(declared.count >= 10)
  }

  @Test("every rule documents at least one triggering and one non-triggering example")
  func examplesExist() {
    for rule in allRules {
      let description = type(of: rule).description
      #expect(!description.triggering.isEmpty, "\(description.id)")
      #expect(!description.nonTriggering.isEmpty, "\(description.id)")
      #expect(!description.rationale.isEmpty && !description.summary.isEmpty)
    }
  }
}
