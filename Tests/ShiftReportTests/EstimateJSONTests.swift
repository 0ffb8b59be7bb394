import Foundation
import ShiftCore
import ShiftReport
import Testing

@Suite("JSON report: the optional estimate of a finding")
struct EstimateJSONTests {
  static func document(estimate: DurationEstimate?) -> ReportDocument {
    let source = SourceFile(path: "0001.sql", text: "ALTER TABLE users SET LOGGED;\n")
    let range = SourceRange(start: 0, end: 28)
    let finding = Finding(
      rule: "table-storage-rewrite",
      severity: .error,
      message: "rewrites users",
      range: range,
      location: source.location(at: 0),
      estimate: estimate
    )
    let statement = ReportStatement(
      range: range,
      location: source.location(at: 0),
      endLocation: SourceLocation(line: 1, column: 29),
      sql: "ALTER TABLE users SET LOGGED",
      kind: "alter_table",
      tables: ["users"],
      locks: [ReportLock(relation: "users", mode: .accessExclusive)],
      rewritesTable: true,
      scansTable: true,
      compatibility: "compatible",
      phase: "migrate",
      inTransactionBlock: false,
      findings: [finding]
    )
    return ReportDocument(
      files: [ReportFile(path: "0001.sql", dialect: "postgres", statements: [statement])]
    )
  }

  @Test("a finding with an estimate gets an additive estimate object")
  func estimateIsWritten() throws {
    let estimate = DurationEstimate(tables: [
      .init(
        relation: "users",
        rows: 50_000_000,
        bytes: 4_509_715_660,
        work: .rewrite,
        lock: .accessExclusive,
        bytesPerSecond: 26_214_400
      )
    ])
    let json = render(Self.document(estimate: estimate), format: .json)
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    )
    let files = try #require(root["files"] as? [[String: Any]])
    let statements = try #require(files.first?["statements"] as? [[String: Any]])
    let findings = try #require(statements.first?["findings"] as? [[String: Any]])
    let written = try #require(findings.first?["estimate"] as? [String: Any])
    #expect(written["seconds"] as? Double == 172.032)
    let tables = try #require(written["tables"] as? [[String: Any]])
    #expect(tables.first?["relation"] as? String == "users")
    #expect(tables.first?["rows"] as? Int == 50_000_000)
    #expect(tables.first?["bytes"] as? Int == 4_509_715_660)
    #expect(tables.first?["bytesFromRows"] as? Bool == false)
    #expect(tables.first?["work"] as? String == "rewrite")
    #expect(tables.first?["lock"] as? String == "ACCESS EXCLUSIVE")
    #expect(tables.first?["bytesPerSecond"] as? Int == 26_214_400)
  }

  @Test("without an estimate the document is unchanged (no key, not null)")
  func noEstimateNoKey() {
    let json = render(Self.document(estimate: nil), format: .json)
    #expect(!json.contains("estimate"))
  }
}
