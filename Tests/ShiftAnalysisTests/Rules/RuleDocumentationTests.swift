import Foundation
import ShiftAnalysis
import ShiftTestSupport
import Testing

@Suite
struct RuleDocumentationTests {
  @Test("docs/rules.md is generated from the rules and up to date")
  func documentIsCurrent() throws {
    let url = Fixtures.root.appendingPathComponent("docs/rules.md")
    let generated = RuleDocumentation.markdown()
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try Data(generated.utf8).write(to: url)
    }
    let committed = String(decoding: try Fixtures.bytes(url), as: UTF8.self)
    #expect(
      committed == generated,
      "docs/rules.md is stale: RECORD_SNAPSHOTS=1 swift test --filter RuleDocumentationTests"
    )
  }

  @Test("explain shows the rationale and examples without markers")
  func explainText() throws {
    let found = try #require(rule(withID: "require-concurrent-index"))
    let text = RuleDocumentation.explain(type(of: found).description)
    #expect(text.hasPrefix("require-concurrent-index (error, locking)"))
    #expect(text.contains("CREATE INDEX orders_user_id_idx ON orders (user_id);"))
    #expect(!text.contains("⚠️"))
  }

  @Test("the list has one line per rule")
  func listLines() {
    #expect(RuleDocumentation.list().split(separator: "\n").count == allRules.count)
  }
}
