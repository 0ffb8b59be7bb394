import ShiftCore

/// `markdown`: a pull-request comment.
///
/// A heading with the summary, a table of findings and syntax errors (location, rule,
/// severity, message), then one collapsible `<details>` block per finding with help. Text
/// from findings is escaped: `|` and Markdown punctuation are backslash-escaped, `<`, `>`
/// and `&` become entities, newlines in cells become `<br>`, and code spans use a backtick
/// fence longer than any backtick run inside them.
struct MarkdownRenderer {
  let document: ReportDocument
  let options: ReportOptions

  func render() -> String {
    let summary = document.summary
    let failed = summary.errors + summary.syntaxErrors > 0
    let icon = failed ? "❌" : summary.findings > 0 ? "⚠️" : "✅"
    var output = "### \(icon) SafeShift: \(Self.cell(summary.sentence))\n"
    var items: [ReportItem] = []
    for file in document.files { items += ReportItem.items(of: file) }
    guard !items.isEmpty else { return output }
    output += "\n| Location | Rule | Severity | Message |\n|---|---|---|---|\n"
    for item in items {
      let location = "\(item.file.path):\(item.location.line):\(item.location.column)"
      output += "| \(Self.code(location)) | \(Self.code(item.rule)) | \(item.severity.rawValue) |"
      output += " \(Self.cell(item.message)) |\n"
    }
    for item in items {
      guard let help = item.help, !help.isEmpty else { continue }
      let location = "\(item.file.path):\(item.location.line):\(item.location.column)"
      output += "\n<details><summary><code>\(Self.html(item.rule))</code> at "
      output += "<code>\(Self.html(location))</code></summary>\n\n"
      output += Self.fenced(help) + "\n</details>\n"
    }
    return output
  }

  /// Text for a table cell: Markdown punctuation escaped, HTML characters as entities,
  /// newlines as `<br>`.
  static func cell(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\r": continue
      case "\n": output += "<br>"
      case "|", "\\", "`", "*", "_", "[", "]", "#", "~": output += "\\" + String(scalar)
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  /// A code span for a table cell: `|` escaped (GitHub splits cells before parsing code
  /// spans), newlines as spaces, fenced by more backticks than the text's longest run.
  static func code(_ text: String) -> String {
    let body = text.escaping(["|": "\\|", "\n": " ", "\r": ""])
    let fence = String(repeating: "`", count: longestBacktickRun(body) + 1)
    let padded = body.hasPrefix("`") || body.hasSuffix("`") ? " " + body + " " : body
    return fence + padded + fence
  }

  /// Text for HTML (the `<summary>` line).
  static func html(_ text: String) -> String {
    text.escaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "\n": " "])
  }

  /// A fenced code block longer than any backtick run in the text.
  static func fenced(_ text: String) -> String {
    let fence = String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
    let body = text.hasSuffix("\n") ? text : text + "\n"
    return fence + "text\n" + body + fence + "\n"
  }

  private static func longestBacktickRun(_ text: String) -> Int {
    var longest = 0
    var run = 0
    for byte in text.utf8 {
      run = byte == UInt8(ascii: "`") ? run + 1 : 0
      longest = max(longest, run)
    }
    return longest
  }
}
