public import ShiftCore

/// The counts at the end of every report.
public struct ReportSummary: Sendable, Hashable {
  /// Files linted.
  public var files = 0
  /// Statements linted.
  public var statements = 0
  /// Findings of severity `error`.
  public var errors = 0
  /// Findings of severity `warning`.
  public var warnings = 0
  /// Findings of severity `info`.
  public var infos = 0
  /// Syntax errors (not findings; they make `lint` exit 2).
  public var syntaxErrors = 0

  /// Creates an empty summary.
  public init() {}

  /// Counts one statement and its findings.
  ///
  /// - Parameter statement: the statement to count.
  public mutating func add(_ statement: ReportStatement) {
    statements += 1
    for finding in statement.findings {
      count(finding.severity)
    }
  }

  /// Counts one finding of the given severity.
  ///
  /// - Parameter severity: the finding's severity.
  public mutating func count(_ severity: Severity) {
    switch severity {
    case .error: errors += 1
    case .warning: warnings += 1
    case .info: infos += 1
    }
  }

  /// The number of findings.
  public var findings: Int { errors + warnings + infos }

  /// "2 files, 5 statements: 1 error, 2 warnings, 1 info, 1 syntax error".
  var sentence: String {
    var text = plural(files, "file") + ", " + plural(statements, "statement")
    var parts: [String] = []
    if errors > 0 { parts.append(plural(errors, "error")) }
    if warnings > 0 { parts.append(plural(warnings, "warning")) }
    if infos > 0 { parts.append(plural(infos, "info")) }
    if syntaxErrors > 0 { parts.append(plural(syntaxErrors, "syntax error")) }
    text += parts.isEmpty ? ": no findings" : ": " + parts.joined(separator: ", ")
    return text
  }
}

/// "1 file", "2 files" (the nouns used here take a plain `s`).
func plural(_ count: Int, _ noun: String) -> String {
  "\(count) \(noun)\(count == 1 ? "" : "s")"
}
