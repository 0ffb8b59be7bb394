import ShiftCore

/// `junit`: JUnit XML for CI test reports.
///
/// One `<testsuite>` per file, one `<testcase>` per statement, named by its position and
/// kind. A statement with findings at or above ``ReportOptions/failureThreshold`` gets one
/// `<failure>` (type: its first such rule; body: every such finding, compiler style);
/// findings below it go to `<system-out>`. Each syntax error is a test case with an
/// `<error>`.
struct JUnitRenderer {
  let document: ReportDocument
  let options: ReportOptions

  func render() -> String {
    let summary = document.summary
    var suites = ""
    var totalFailures = 0
    for file in document.files {
      var cases = ""
      var failures = 0
      for statement in file.statements {
        // Most severe first (stable), so the failure's type names the worst rule.
        let failing = statement.findings.enumerated()
          .filter { $0.element.severity >= options.failureThreshold }
          .sorted { ($1.element.severity, $0.offset) < ($0.element.severity, $1.offset) }
          .map(\.element)
        let passing = statement.findings.filter { $0.severity < options.failureThreshold }
        let name = "\(statement.location.line):\(statement.location.column) \(statement.kind)"
        cases +=
          "    <testcase name=\"\(Self.escape(name))\" classname=\"\(Self.escape(file.path))\""
        cases += " file=\"\(Self.escape(file.path))\" line=\"\(statement.location.line)\""
        if failing.isEmpty, passing.isEmpty {
          cases += "/>\n"
          continue
        }
        cases += ">\n"
        if let first = failing.first {
          failures += 1
          let message = "[\(first.rule)] \(first.message)"
          cases += "      <failure message=\"\(Self.escape(message))\""
          cases += " type=\"\(Self.escape(first.rule))\">"
          cases += Self.escape(
            failing.map { describe($0, in: file) }.joined(separator: "\n"),
            attribute: false
          )
          cases += "</failure>\n"
        }
        if !passing.isEmpty {
          cases += "      <system-out>"
          cases += Self.escape(
            passing.map { describe($0, in: file) }.joined(separator: "\n"),
            attribute: false
          )
          cases += "</system-out>\n"
        }
        cases += "    </testcase>\n"
      }
      for error in file.errors {
        let name = "\(error.location.line):\(error.location.column) syntax error"
        cases +=
          "    <testcase name=\"\(Self.escape(name))\" classname=\"\(Self.escape(file.path))\""
        cases += " file=\"\(Self.escape(file.path))\" line=\"\(error.location.line)\">\n"
        cases += "      <error message=\"\(Self.escape(error.message))\" type=\"syntax-error\">"
        cases += Self.escape(
          "\(file.path):\(error.location.line):\(error.location.column): error: \(error.message)",
          attribute: false
        )
        cases += "</error>\n    </testcase>\n"
      }
      totalFailures += failures
      let tests = file.statements.count + file.errors.count
      suites += "  <testsuite name=\"\(Self.escape(file.path))\" tests=\"\(tests)\""
      suites += " failures=\"\(failures)\" errors=\"\(file.errors.count)\" skipped=\"0\""
      suites += cases.isEmpty ? "/>\n" : ">\n" + cases + "  </testsuite>\n"
    }
    var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    output += "<testsuites name=\"safeshift\""
    output += " tests=\"\(summary.statements + summary.syntaxErrors)\""
    output += " failures=\"\(totalFailures)\" errors=\"\(summary.syntaxErrors)\""
    output += suites.isEmpty ? "/>\n" : ">\n" + suites + "</testsuites>\n"
    return output
  }

  private func describe(_ finding: Finding, in file: ReportFile) -> String {
    var text = "\(file.path):\(finding.location.line):\(finding.location.column): "
    text += "\(finding.severity.rawValue)[\(finding.rule)]: \(finding.message)"
    if let help = finding.help, !help.isEmpty { text += "\nhelp: " + help }
    return text
  }

  /// Escapes text for XML 1.0 attribute values and character data.
  ///
  /// `&`, `<`, `>`, `"` and `'` become entities; in attributes tab and LF become character
  /// references (so the values keep them), CR always does; other control characters, which XML 1.0
  /// cannot represent at all, become U+FFFD.
  static func escape(_ text: String, attribute: Bool = true) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&apos;"
      case "\t": output += attribute ? "&#9;" : "\t"
      case "\n": output += attribute ? "&#10;" : "\n"
      case "\r": output += "&#13;"
      case "\u{FFFE}", "\u{FFFF}": output += "\u{FFFD}"
      default:
        if scalar.value < 0x20 {
          output += "\u{FFFD}"
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output
  }
}
