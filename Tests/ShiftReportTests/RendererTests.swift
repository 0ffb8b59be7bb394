import Foundation
import ShiftCore
import ShiftReport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite("Report renderers")
struct RendererTests {
  @Test(
    "each format renders the sample document as its golden file",
    arguments: ReportFormat.allCases
  )
  func golden(format: ReportFormat) {
    let text = render(SampleDocument.document, format: format, options: SampleDocument.options)
    assertSnapshot(text, named: "sample-\(format.rawValue)")
  }

  @Test("text with colour wraps severities in ANSI codes")
  func coloredText() {
    var options = SampleDocument.options
    options.color = true
    let text = render(SampleDocument.document, format: .text, options: options)
    assertSnapshot(text, named: "sample-text-color")
    #expect(text.contains("\u{1B}[1;31merror[adding-volatile-default]\u{1B}[0m"))
    let plain = render(SampleDocument.document, format: .text, options: SampleDocument.options)
    #expect(!plain.contains("\u{1B}"))
  }

  @Test("an empty document renders in every format", arguments: ReportFormat.allCases)
  func empty(format: ReportFormat) {
    let text = render(ReportDocument(files: []), format: format)
    assertSnapshot(text, named: "empty-\(format.rawValue)")
  }

  @Test("the caret keeps the tabs of the source line and spans the finding")
  func caretUnderTab() {
    let text = render(SampleDocument.document, format: .text, options: SampleDocument.options)
    #expect(text.contains("  4 | \tUPDATE users SET a = 1;\n    | \t^^^^^^^^^^^^\n"))
  }

  @Test("text falls back to the statement's SQL when no source lines are given")
  func textWithoutSourceLines() {
    let text = render(SampleDocument.document, format: .text)
    #expect(text.contains("  3 | CREATE INDEX idx ON users (email)\n    | ^^^^^^^^^^^^\n"))
  }

  @Test(
    "colour follows NO_COLOR, FORCE_COLOR, TERM=dumb and the TTY",
    arguments: [
      (true, [:], true),
      (false, [:], false),
      (true, ["NO_COLOR": "1"], false),
      (true, ["NO_COLOR": ""], true),
      (false, ["FORCE_COLOR": "1"], true),
      (false, ["FORCE_COLOR": ""], true),
      (true, ["FORCE_COLOR": "0"], false),
      (true, ["NO_COLOR": "1", "FORCE_COLOR": "1"], false),
      (true, ["TERM": "dumb"], false),
      (false, ["TERM": "dumb", "FORCE_COLOR": "true"], true),
    ] as [(Bool, [String: String], Bool)]
  )
  func colorFromEnvironment(isTTY: Bool, environment: [String: String], expected: Bool) {
    #expect(ReportOptions.colorFromEnvironment(isTTY: isTTY, environment: environment) == expected)
  }

  @Test("GitHub escapes %, CR, LF in messages and also : and , in properties")
  func githubEscaping() {
    let text = render(SampleDocument.document, format: .github, options: SampleDocument.options)
    let first = text.split(separator: "\n").first.map(String.init) ?? ""
    #expect(
      first.hasPrefix(
        "::warning file=db/migrations/0001 üsers%2Ca%3Ab|c&<d>\"q\"%25.sql,line=2,col=1,"
          + "endLine=2,endColumn=11,title=table-lock::Takes ACCESS EXCLUSIVE on \"tökén\",%0Aline two"
      )
    )
    #expect(text.split(separator: "\n").count == 7)
    #expect(text.contains("100%25 of"))
    #expect(text.contains("::notice file="))
  }

  @Test("JUnit output is well-formed XML with one suite per file")
  func junitParses() throws {
    let text = render(SampleDocument.document, format: .junit, options: SampleDocument.options)
    let xml = try XMLDocument(data: Data(text.utf8))
    let suites = try xml.nodes(forXPath: "/testsuites/testsuite")
    #expect(suites.count == 2)
    let cases = try xml.nodes(forXPath: "//testcase")
    #expect(cases.count == 7)
    #expect(try xml.nodes(forXPath: "//failure").count == 3)
    #expect(try xml.nodes(forXPath: "//error").count == 1)
    let name = try #require((suites.first as? XMLElement)?.attribute(forName: "name")?.stringValue)
    #expect(name == SampleDocument.firstPath)
    let message = try xml.nodes(forXPath: "//failure/@message").first?.stringValue
    #expect(message?.contains("100% of \"tökén\": reads, writes | all <blocked> & waiting") == true)
  }

  @Test("Markdown escapes pipes and picks a longer backtick fence")
  func markdownEscaping() {
    let text = render(SampleDocument.document, format: .markdown, options: SampleDocument.options)
    for line in text.split(separator: "\n") where line.hasPrefix("| `") {
      // Every table row has exactly five unescaped pipes.
      var count = 0
      var previous: Character = " "
      for character in line {
        if character == "|", previous != "\\" { count += 1 }
        previous = character
      }
      #expect(count == 5, "\(line)")
    }
    #expect(text.contains("```text\nUse ``CREATE INDEX CONCURRENTLY``"))
    #expect(text.contains("writes \\| all &lt;blocked&gt; &amp; waiting"))
  }
}

/// Compares text with a golden file `Snapshots/<name>.txt` beside this file, in full.
///
/// With `RECORD_SNAPSHOTS=1` in the environment the file is (re)written instead and the
/// test records an issue so a recording run is never mistaken for a passing one. A missing
/// golden file is recorded too and fails the same way.
func assertSnapshot(
  _ actual: String,
  named name: String,
  filePath: String = #filePath,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")
  let url = directory.appendingPathComponent(name + ".txt")
  let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  let expected = try? String(contentsOf: url, encoding: .utf8)
  if recording || expected == nil {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
    } catch {
      Issue.record("could not write \(url.path): \(error)", sourceLocation: sourceLocation)
      return
    }
    Issue.record(
      "recorded \(url.lastPathComponent); run again without RECORD_SNAPSHOTS",
      sourceLocation: sourceLocation
    )
    return
  }
  guard let expected, expected != actual else { return }
  let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let firstDifference =
    zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    ?? min(actualLines.count, expectedLines.count)
  Issue.record(
    """
    \(name) differs from \(url.lastPathComponent) at line \(firstDifference + 1)
    expected: \(firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end>")
    actual:   \(firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end>")
    (re-record with RECORD_SNAPSHOTS=1)
    """,
    sourceLocation: sourceLocation
  )
}
