import ShiftAnalysis
import ShiftCore
import ShiftSyntax
import Testing

@Suite
struct SuppressionIndexTests {
  func index(_ text: String) -> SuppressionIndex {
    SuppressionIndex(source: SourceFile(path: "m.sql", text: text), dialect: .postgres)
  }

  @Test("an ignore on the line above silences the statement below it")
  func lineAbove() {
    var suppressions = index(
      "-- safeshift:ignore require-concurrent-index\nCREATE INDEX i ON t (a);\n"
    )
    let result1 = suppressions.suppresses(rule: "require-concurrent-index", statementLines: 2...2)
    #expect(result1)
    let result2 = suppressions.suppresses(rule: "ban-drop-column", statementLines: 2...2)
    #expect(!result2)
    #expect(suppressions.unusedFindings().isEmpty)
  }

  @Test("a trailing ignore inside the statement's lines applies; one two lines above does not")
  func placement() {
    var trailing = index("CREATE INDEX i\n  ON t (a); -- safeshift:ignore rule-a\n")
    let result3 = trailing.suppresses(rule: "rule-a", statementLines: 1...2)
    #expect(result3)
    var far = index("-- safeshift:ignore rule-a\n\nCREATE INDEX i ON t (a);\n")
    let result4 = far.suppresses(rule: "rule-a", statementLines: 3...3)
    #expect(!result4)
    let unused = far.unusedFindings()
    #expect(unused.count == 1)
    #expect(unused.first?.rule == "unused-suppression")
    #expect(unused.first?.location == SourceLocation(line: 1, column: 1))
  }

  @Test("several rules, commas, spaces, a reason and block comments are understood")
  func syntax() {
    let suppressions = index(
      "/* safeshift:ignore rule-a,rule-b */ SELECT 1;\n-- safeshift:ignore Rule-C rule-d -- reviewed by DBA\nSELECT 2;\n"
    )
    #expect(
      suppressions.suppressions.map(\.rules) == [["rule-a", "rule-b"], ["rule-c", "rule-d"]]
    )
  }

  @Test("ignore-file applies everywhere; look-alike markers and strings are not suppressions")
  func fileScopeAndLookAlikes() {
    var suppressions = index(
      "SELECT '-- safeshift:ignore rule-x';\n-- safeshift:ignorex rule-y\n-- safeshift:ignore-file rule-z\n"
    )
    #expect(suppressions.suppressions.count == 1)
    let result5 = suppressions.suppresses(rule: "rule-z", statementLines: 40...41)
    #expect(result5)
    let result6 = suppressions.suppresses(rule: "rule-x", statementLines: 1...1)
    #expect(!result6)
  }

  @Test("an ignore without rule ids is reported")
  func emptyIgnore() {
    let suppressions = index("-- safeshift:ignore\nSELECT 1;\n")
    let unused = suppressions.unusedFindings()
    #expect(unused.first?.message.contains("names no rule") == true)
  }

  @Test("in a file of many comments, each statement finds its own, the first in file order")
  func manyComments() {
    // 500 statements, each with its own ignore above it, and one ignore-file in the middle.
    var lines: [String] = []
    for number in 0..<500 {
      if number == 250 { lines.append("-- safeshift:ignore-file rule-b") }
      lines.append("-- safeshift:ignore rule-a")
      lines.append("CREATE INDEX i\(number) ON t (a);")
    }
    var suppressions = index(lines.joined(separator: "\n") + "\n")
    #expect(suppressions.suppressions.count == 501)
    // Statement 10 sits on line 22 (comment on 21): its own comment silences rule-a.
    let silenced = suppressions.suppresses(rule: "rule-a", statementLines: 22...22)
    #expect(silenced)
    // rule-b: the ignore-file (line 501) applies to every statement, also to earlier ones.
    let fileWide = suppressions.suppresses(rule: "rule-b", statementLines: 2...2)
    #expect(fileWide)
    // rule-c is named nowhere.
    let other = suppressions.suppresses(rule: "rule-c", statementLines: 22...22)
    #expect(!other)
    // Every statement comment but the one used is reported, the ignore-file is not.
    let unused = suppressions.unusedFindings()
    #expect(unused.count == 499)
    #expect(!unused.contains { $0.location.line == 21 })
    #expect(!unused.contains { $0.location.line == 501 })
  }
}
