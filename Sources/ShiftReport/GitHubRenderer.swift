import ShiftCore

/// `github`: GitHub Actions workflow commands, one per finding or syntax error, shown as
/// annotations on the pull request's diff, then a plain summary line for the log.
///
/// `::error file=db/0001.sql,line=3,col=40,endLine=3,endColumn=56,title=rule::message`.
/// Levels: `error`, `warning`, `notice` (info). `endColumn` is the last column (inclusive),
/// as in the Checks API. Escaping follows GitHub's runner: in the message `%`, CR and LF
/// become `%25`, `%0D`, `%0A`; in properties also `:` and `,` become `%3A` and `%2C`.
struct GitHubRenderer {
  let document: ReportDocument
  let options: ReportOptions

  func render() -> String {
    var output = ""
    for file in document.files {
      let path = ReportPath.relative(file.path, to: options.sourceRoot)
      for item in ReportItem.items(of: file) {
        var properties = [
          "file=" + Self.escapeProperty(path),
          "line=\(item.location.line)",
          "col=\(item.location.column)",
        ]
        if let end = item.endLocation, end > item.location {
          let lastColumn = end.column > 1 ? end.column - 1 : end.column
          properties.append("endLine=\(end.line)")
          properties.append("endColumn=\(max(lastColumn, 1))")
        }
        properties.append("title=" + Self.escapeProperty(item.rule))
        var message = item.message
        if let help = item.help, !help.isEmpty { message += "\n\nhelp: " + help }
        output += "::\(Self.command(item.severity)) " + properties.joined(separator: ",")
        output += "::" + Self.escapeData(message) + "\n"
      }
    }
    output += "safeshift: " + document.summary.sentence + "\n"
    return output
  }

  static func command(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "notice"
    }
  }

  /// Escapes a command's message (GitHub's `escapeData`).
  static func escapeData(_ text: String) -> String {
    text.escaping(["%": "%25", "\r": "%0D", "\n": "%0A"])
  }

  /// Escapes a command property's value (GitHub's `escapeProperty`).
  static func escapeProperty(_ text: String) -> String {
    text.escaping(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
  }
}
