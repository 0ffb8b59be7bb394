/// The output formats of `lint --format` (docs/output-formats.md).
public enum ReportFormat: String, Sendable, Hashable, CaseIterable {
  /// Compiler-style messages with the source line, a caret and the help.
  case text
  /// The version-1 JSON document of DESIGN.md.
  case json
  /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
  case sarif
  /// GitHub Actions workflow commands (`::error file=…::…`), shown as annotations.
  case github
  /// JUnit XML: one test suite per file, one test case per statement.
  case junit
  /// A Markdown summary for a pull-request comment.
  case markdown
}

/// Renders a document in a format.
///
/// A pure function: the same document and options always give the same text.
///
/// - Parameters:
///   - document: what to report.
///   - format: how.
///   - options: colour, source lines and format settings.
/// - Returns: the whole report, ending with a newline.
public func render(
  _ document: ReportDocument,
  format: ReportFormat,
  options: ReportOptions = ReportOptions()
) -> String {
  switch format {
  case .text: TextRenderer(document: document, options: options).render()
  case .json: String(decoding: JSONReportWriter.render(document), as: UTF8.self)
  case .sarif: SARIFRenderer(document: document, options: options).render()
  case .github: GitHubRenderer(document: document, options: options).render()
  case .junit: JUnitRenderer(document: document, options: options).render()
  case .markdown: MarkdownRenderer(document: document, options: options).render()
  }
}
