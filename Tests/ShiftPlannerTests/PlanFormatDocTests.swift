import Foundation
import ShiftPlanner
import ShiftTestSupport
import Testing

/// `docs/plan-format.md` documents every field `plan.json` and the backfill specs have.
@Suite struct PlanFormatDocTests {
  @Test func everyJSONFieldIsDocumented() throws {
    let story = try #require(ExamplePlan.all.first { $0.name == "postgres-story-full-name" })
    let truncate = PlannerHarness.plan(
      "TRUNCATE users; ALTER TABLE users DROP COLUMN nickname;",
      schema: rewriteSchema
    )
    let documentation = try String(
      contentsOf: Fixtures.root.appendingPathComponent("docs/plan-format.md"),
      encoding: .utf8
    )
    var keys: Set<String> = []
    for plan in [try story.plan(), truncate] {
      let json = try JSONSerialization.jsonObject(
        with: Data(PlanRenderer(plan: plan).planJSON().utf8)
      )
      collectKeys(json, into: &keys)
    }
    #expect(keys.count > 30)
    for key in keys.sorted() {
      #expect(documentation.contains("`\(key)`") || documentation.contains("\"\(key)\""), "\(key)")
    }
  }

  private func collectKeys(_ value: Any, into keys: inout Set<String>) {
    if let object = value as? [String: Any] {
      for (key, member) in object {
        keys.insert(key)
        collectKeys(member, into: &keys)
      }
    } else if let array = value as? [Any] {
      for element in array { collectKeys(element, into: &keys) }
    }
  }
}
