import Foundation
import ShiftCore
import ShiftReport
import Testing

@Suite("JSON report (version 1)")
struct JSONReportTests {
  @Test("streaming statement by statement gives the whole-document bytes")
  func streamingMatchesDocument() {
    let document = SampleDocument.document
    let whole = Array(render(document, format: .json).utf8)
    var writer = JSONReportWriter()
    var streamed: [UInt8] = []
    for file in document.files {
      writer.beginFile(
        path: file.path,
        dialect: file.dialect,
        transactionMode: file.transactionMode
      )
      streamed += writer.takeBytes()
      let source = SampleDocument.sources[file.path].map { $0.bytes } ?? []
      for (index, statement) in file.statements.enumerated() {
        if index.isMultiple(of: 2) {
          var withoutText = statement
          withoutText.sql = ""
          writer.addStatement(
            withoutText,
            source: source,
            sqlRange: statement.range.start..<statement.range.end
          )
        } else {
          writer.addStatement(statement)
        }
        streamed += writer.takeBytes()
      }
      writer.endFile(errors: file.errors)
    }
    writer.finish()
    streamed += writer.takeBytes()
    #expect(streamed == whole)
    #expect(writer.summary == document.summary)
  }

  @Test("the document parses and has the contract keys")
  func contractKeys() throws {
    let text = render(SampleDocument.document, format: .json)
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let root = try #require(object as? [String: Any])
    #expect(root["version"] as? Int == 1)
    let files = try #require(root["files"] as? [[String: Any]])
    #expect(files.count == 2)
    #expect(files[0]["path"] as? String == SampleDocument.firstPath)
    #expect(files[1]["dialect"] as? String == "sqlite")
    #expect(files[1]["transactionMode"] is NSNull)
    let statements = try #require(files[0]["statements"] as? [[String: Any]])
    let alter = statements[1]
    for key in [
      "line", "column", "endLine", "endColumn", "sql", "kind", "locks", "rewritesTable",
      "scansTable", "compatibility", "phase", "findings", "tables", "inTransactionBlock",
    ] {
      #expect(alter[key] != nil, "missing \(key)")
    }
    #expect(alter["line"] as? Int == 2)
    #expect(alter["endColumn"] as? Int == 68)
    #expect(
      alter["sql"] as? String
        == "ALTER TABLE \"tökén\" ADD COLUMN token uuid DEFAULT gen_random_uuid()"
    )
    #expect(
      alter["locks"] as? [[String: String]] == [["relation": "tökén", "mode": "ACCESS EXCLUSIVE"]]
    )
    #expect(alter["rewritesTable"] as? Bool == true)
    #expect(alter["compatibility"] as? String == "compatible")
    #expect(alter["phase"] as? String == "expand")
    let finding = try #require((alter["findings"] as? [[String: Any]])?.first)
    #expect(finding["rule"] as? String == "adding-volatile-default")
    #expect(finding["severity"] as? String == "error")
    #expect(finding["line"] as? Int == 2)
    #expect(finding["column"] as? Int == 51)
    #expect((finding["help"] as? String)?.contains("\n") == true)
    let errors = try #require(files[1]["errors"] as? [[String: Any]])
    #expect(errors.first?["column"] as? Int == 30)
    let summary = try #require(root["summary"] as? [String: Int])
    #expect(
      summary == [
        "files": 2, "statements": 6, "errors": 2, "warnings": 2, "infos": 1, "syntaxErrors": 1,
      ]
    )
  }

  @Test("control characters, quotes and backslashes are escaped")
  func escaping() throws {
    let sql = "SELECT '\u{1}\t\"\\\r\n\u{7F}é'"
    let statement = ReportStatement(
      range: SourceRange(start: 0, end: sql.utf8.count),
      location: SourceLocation(line: 1, column: 1),
      endLocation: SourceLocation(line: 2, column: 5),
      sql: sql,
      kind: "select"
    )
    let document = ReportDocument(
      files: [ReportFile(path: "a\u{0}b", dialect: "postgres", statements: [statement])]
    )
    let text = render(document, format: .json)
    #expect(text.contains(#""sql": "SELECT '\u0001\t\"\\\r\n\#u{7F}é'""#))
    #expect(text.contains(#""path": "a\u0000b""#))
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    )
    let files = try #require(root["files"] as? [[String: Any]])
    let statements = try #require(files.first?["statements"] as? [[String: Any]])
    #expect(statements.first?["sql"] as? String == sql)
  }
}
