import ShiftCore

/// `text`: compiler-style messages, the source line with a caret, the help, a summary.
///
/// ```
/// migrations/0042_users.sql:3:40: error[adding-volatile-default]: message
///   3 | ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
///     |                                        ^^^^^^^^^^^^^^^^^
///   help: first line of the help
///         second line
/// ```
struct TextRenderer {
  let document: ReportDocument
  let options: ReportOptions

  func render() -> String {
    var output = ""
    for file in document.files {
      for item in ReportItem.items(of: file) {
        write(item, to: &output)
      }
    }
    output += paint(document.summary.sentence, Style.bold) + "\n"
    return output
  }

  private func write(_ item: ReportItem, to output: inout String) {
    let path = item.file.path
    let label =
      item.error == nil ? "\(item.severity.rawValue)[\(item.rule)]" : item.severity.rawValue
    let style = Style.of(item.severity)
    output += paint("\(path):\(item.location.line):\(item.location.column):", Style.bold)
    output += " " + paint(label, style) + ": "
    output += indentContinuation(item.message, by: "  ") + "\n"
    if let line = sourceLine(for: item) {
      writeSnippet(line: line, item: item, style: style, to: &output)
    }
    if let help = item.help, !help.isEmpty {
      output += "  " + paint("help:", Style.help) + " "
      output += indentContinuation(help, by: "        ") + "\n"
    }
  }

  /// The line of the item: the error's own, the caller's, or taken from the statement's SQL
  /// when that line starts inside it.
  private func sourceLine(for item: ReportItem) -> String? {
    if let line = item.error?.sourceLine { return line }
    if let line = options.sourceLines(item.file.path, item.location.line) { return line }
    guard let statement = item.statement else { return nil }
    let offset = item.location.line - statement.location.line
    guard offset > 0 || statement.location.column == 1 else { return nil }
    let lines = statement.sql.split(separator: "\n", omittingEmptySubsequences: false)
    guard offset >= 0, offset < lines.count else { return nil }
    var line = String(lines[offset])
    if line.hasSuffix("\r") { line.removeLast() }
    return line
  }

  private func writeSnippet(
    line: String,
    item: ReportItem,
    style: String,
    to output: inout String
  ) {
    let number = String(item.location.line)
    let gutter = String(repeating: " ", count: number.count)
    output += paint("  \(number) |", Style.gutter) + " " + line + "\n"
    // The caret's indent copies the tabs of the line so it lines up in any terminal.
    var indent = ""
    var scalars = 0
    for scalar in line.unicodeScalars {
      guard scalars < item.location.column - 1 else { break }
      indent.append(scalar == "\t" ? "\t" : " ")
      scalars += 1
    }
    let lineLength = line.unicodeScalars.count
    var width = 1
    if let end = item.endLocation {
      width =
        end.line == item.location.line
        ? end.column - item.location.column
        : lineLength - item.location.column + 1
    }
    width = max(1, width)
    output += paint("  \(gutter) |", Style.gutter) + " " + indent
    output += paint(String(repeating: "^", count: width), style) + "\n"
  }

  private func indentContinuation(_ text: String, by indent: String) -> String {
    guard text.contains(where: \.isNewline) else { return text }
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
    return lines.enumerated().map { index, line in
      index == 0 || line.isEmpty ? String(line) : indent + line
    }.joined(separator: "\n")
  }

  private func paint(_ text: String, _ style: String) -> String {
    options.color ? style + text + Style.reset : text
  }

  /// ANSI select-graphic-rendition sequences.
  private enum Style {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let gutter = "\u{1B}[1;34m"
    static let help = "\u{1B}[1;36m"

    static func of(_ severity: Severity) -> String {
      switch severity {
      case .error: "\u{1B}[1;31m"
      case .warning: "\u{1B}[1;33m"
      case .info: "\u{1B}[1;36m"
      }
    }
  }
}
