import Foundation
import ShiftCore
import ShiftReport
import Testing

/// `trace` reports: the JSON document keeps lint's lines and adds the trace's members;
/// the text report names places, locks and disagreements.
@Suite("Trace report")
struct TraceRendererTests {
  static let statement = ReportStatement(
    range: SourceRange(start: 0, end: 36),
    location: SourceLocation(line: 2, column: 1),
    endLocation: SourceLocation(line: 2, column: 37),
    sql: "CREATE INDEX i ON orders (\"quoted\")",
    kind: "create_index",
    tables: ["orders"],
    locks: [ReportLock(relation: "orders", mode: .share)],
    scansTable: true,
    phase: "migrate"
  )

  static let document = TraceDocument(
    files: [
      .init(
        path: "db/0001.sql",
        dialect: "postgres",
        completion: "rolled_back",
        statements: [
          TraceStatement(
            statement: statement,
            execution: .transaction,
            durationMs: 1.5,
            locksObserved: true,
            locksHeld: [ReportLock(relation: "orders", mode: .accessExclusive)],
            scans: [.init(table: "orders", sequentialScans: 1, rowsRead: 100, indexScans: 0)],
            created: [.init(name: "i", kind: "index")],
            differences: [
              .init(aspect: "lock", relation: "orders", model: "SHARE", trace: "EXCLUSIVE")
            ],
            explained: ["scan of users not observable: the table had no rows"]
          ),
          TraceStatement(
            statement: ReportStatement(
              range: SourceRange(start: 37, end: 42),
              location: SourceLocation(line: 3, column: 1),
              endLocation: SourceLocation(line: 3, column: 6),
              sql: "BOGUS",
              kind: "other"
            ),
            execution: .failed,
            error: .init(code: "42601", message: "syntax error at or near \"BOGUS\"")
          ),
        ]
      )
    ],
    engine: "PostgreSQL 15.18",
    target: "scratch database safeshift_trace_1_a (dropped)",
    rowsPerTable: 100,
    compared: true
  )

  @Test("the JSON document is valid, has lint's keys and the trace's members")
  func json() throws {
    let text = TraceRenderer.json(Self.document)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    )
    #expect(object["version"] as? Int == 1)
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["statements"] as? Int == 2)
    let trace = try #require(object["trace"] as? [String: Any])
    #expect(trace["disagreements"] as? Int == 1)
    #expect(trace["failed"] as? Int == 1)
    #expect(trace["completions"] as? [String] == ["rolled_back"])
    let files = try #require(object["files"] as? [[String: Any]])
    let statements = try #require(files.first?["statements"] as? [[String: Any]])
    let first = try #require(statements.first)
    for key in [
      "line", "column", "endLine", "endColumn", "sql", "kind", "locks", "rewritesTable",
      "scansTable", "compatibility", "phase", "findings", "execution", "durationMs",
      "locksHeld", "scans", "created", "differences", "explained",
    ] {
      #expect(first[key] != nil, "\(key)")
    }
    #expect(first["durationMs"] as? Double == 1.5)
    #expect(statements.last?["durationMs"] is NSNull)
    #expect((statements.last?["error"] as? [String: Any])?["code"] as? String == "42601")
    // The lint members are written exactly as `lint --format json` writes them.
    let lint = String(
      decoding: JSONReportWriter.render(
        ReportDocument(files: [
          ReportFile(path: "db/0001.sql", dialect: "postgres", statements: [Self.statement])
        ])
      ),
      as: UTF8.self
    )
    let lintLine = try #require(lint.split(separator: "\n").first { $0.contains("\"locks\"") })
    #expect(text.split(separator: "\n").contains(lintLine))
  }

  @Test("the text report names the place, what happened and each disagreement")
  func text() {
    let text = TraceRenderer.text(Self.document)
    #expect(text.contains("db/0001.sql:2:1: create_index, in transaction, 1.500 ms"))
    #expect(text.contains("  locks: orders SHARE (held: orders ACCESS EXCLUSIVE)"))
    #expect(text.contains("  scanned: orders (1 sequential scan, 100 rows)"))
    #expect(
      text.contains(
        "db/0001.sql:2:1: model disagrees: lock on orders: model SHARE, trace EXCLUSIVE"
      )
    )
    #expect(text.contains("  explained: scan of users not observable"))
    #expect(text.contains("db/0001.sql:3:1: other, FAILED"))
    #expect(text.contains("  error: syntax error at or near \"BOGUS\" (42601)"))
    #expect(text.contains("db/0001.sql: transaction rolled back"))
    #expect(text.hasSuffix("model and trace disagree on 1 statement\n"))
  }
}
