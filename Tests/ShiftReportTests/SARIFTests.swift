import Foundation
import ShiftCore
import ShiftReport
import Testing

/// Structural checks of SARIF output; `Scripts/validate-sarif.py` validates the golden file
/// against the official 2.1.0 schema.
@Suite("SARIF 2.1.0")
struct SARIFTests {
  private func sarif(_ options: ReportOptions = SampleDocument.options) throws -> [String: Any] {
    let text = render(SampleDocument.document, format: .sarif, options: options)
    return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test("log, run, driver and rules have the required members")
  func structure() throws {
    let log = try sarif()
    #expect(log["version"] as? String == "2.1.0")
    #expect((log["$schema"] as? String)?.hasSuffix("sarif-schema-2.1.0.json") == true)
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    #expect(run["columnKind"] as? String == "unicodeCodePoints")
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "safeshift")
    #expect(driver["version"] as? String == "0.1.0")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let ids = rules.compactMap { $0["id"] as? String }
    #expect(
      ids == [
        "adding-volatile-default", "require-concurrent-index", "table-lock", "unbatched-update",
        "drop-table", "syntax-error",
      ]
    )
    for rule in rules {
      #expect((rule["shortDescription"] as? [String: Any])?["text"] is String)
      #expect((rule["fullDescription"] as? [String: Any])?["text"] is String)
      #expect((rule["help"] as? [String: Any])?["text"] is String)
      let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
      #expect(["error", "warning", "note"].contains(level ?? ""))
    }
  }

  @Test("results point at their rule, file and region, with stable fingerprints")
  func results() throws {
    let run = try #require((try sarif()["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rules = try #require(driver["rules"] as? [[String: Any]])
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == 6)
    var fingerprints = Set<String>()
    for result in results {
      let ruleIndex = try #require(result["ruleIndex"] as? Int)
      #expect(rules[ruleIndex]["id"] as? String == result["ruleId"] as? String)
      #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
      #expect((result["message"] as? [String: Any])?["text"] is String)
      let location = try #require((result["locations"] as? [[String: Any]])?.first)
      let physical = try #require(location["physicalLocation"] as? [String: Any])
      let artifact = try #require(physical["artifactLocation"] as? [String: Any])
      let uri = try #require(artifact["uri"] as? String)
      #expect(!uri.contains(" ") && !uri.contains("\\") && !uri.hasPrefix("/"))
      #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
      let region = try #require(physical["region"] as? [String: Any])
      #expect((region["startLine"] as? Int ?? 0) >= 1)
      #expect((region["startColumn"] as? Int ?? 0) >= 1)
      let prints = try #require(result["partialFingerprints"] as? [String: String])
      fingerprints.insert(try #require(prints["safeshiftStatementHash/v1"]))
    }
    #expect(fingerprints.count == results.count)
    let first = try #require(results.first { $0["ruleId"] as? String == "adding-volatile-default" })
    let physical = (first["locations"] as? [[String: Any]])?.first?["physicalLocation"]
    let artifact = (physical as? [String: Any])?["artifactLocation"] as? [String: Any]
    #expect(
      artifact?["uri"] as? String
        == "db/migrations/0001%20%C3%BCsers%2Ca%3Ab%7Cc%26%3Cd%3E%22q%22%25.sql"
    )
    let region = (physical as? [String: Any])?["region"] as? [String: Int]
    #expect(region == ["startLine": 2, "startColumn": 51, "endLine": 2, "endColumn": 68])
    let syntax = try #require(results.first { $0["ruleId"] as? String == "syntax-error" })
    #expect(syntax["level"] as? String == "error")
  }

  @Test("paths under the source root become relative, with the root as a file URI")
  func sourceRoot() throws {
    var options = SampleDocument.options
    options.sourceRoot = "/repo/"
    var document = SampleDocument.document
    document.files[1].path = "/repo/db/0002.sql"
    let text = render(document, format: .sarif, options: options)
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    )
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let bases = run["originalUriBaseIds"] as? [String: [String: String]]
    #expect(bases?["%SRCROOT%"]?["uri"] == "file:///repo/")
    #expect(text.contains("\"uri\": \"db/0002.sql\""))
  }

  @Test("fingerprints ignore whitespace changes but not the rule or path")
  func fingerprintStability() {
    let document = SampleDocument.document
    var moved = document
    moved.files[1].statements[0].sql = "DROP   TABLE\n  legacy"
    let fingerprints = { (document: ReportDocument) in
      render(document, format: .sarif).split(separator: "\n").filter {
        $0.contains("safeshiftStatementHash/v1")
      }
    }
    #expect(fingerprints(document) == fingerprints(moved))
    var renamed = document
    renamed.files[1].path = "db/migrations/0003_drop.sql"
    #expect(fingerprints(document) != fingerprints(renamed))
  }
}
