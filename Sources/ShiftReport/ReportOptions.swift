public import ShiftCore

/// How to render: colour, where source lines come from, and a few format-specific settings.
public struct ReportOptions: Sendable {
  /// Whether `text` uses ANSI colours (see ``colorFromEnvironment(isTTY:environment:)``).
  public var color: Bool
  /// Returns the text of a 1-based line of a file (without terminator), or `nil`; `text`
  /// uses it to show the line under a message.
  public var sourceLines: @Sendable (_ path: String, _ line: Int) -> String?
  /// Paths under this folder are reported relative to it (SARIF's `%SRCROOT%`, GitHub's
  /// `file=`); `nil` keeps paths as given.
  public var sourceRoot: String?
  /// Findings at or above this severity are JUnit failures (the run's `--fail-on`).
  public var failureThreshold: Severity
  /// The tool's version for SARIF's `tool.driver.version`; omitted when `nil`.
  public var toolVersion: String?
  /// The tool's home page for SARIF's `tool.driver.informationUri`; omitted when `nil`.
  public var toolInformationURI: String?

  /// Creates options; the defaults render plain, without source lines.
  public init(
    color: Bool = false,
    sourceLines: @escaping @Sendable (_ path: String, _ line: Int) -> String? = { _, _ in nil },
    sourceRoot: String? = nil,
    failureThreshold: Severity = .warning,
    toolVersion: String? = nil,
    toolInformationURI: String? = nil
  ) {
    self.color = color
    self.sourceLines = sourceLines
    self.sourceRoot = sourceRoot
    self.failureThreshold = failureThreshold
    self.toolVersion = toolVersion
    self.toolInformationURI = toolInformationURI
  }

  /// Whether to colour terminal output, following the common conventions.
  ///
  /// In order: a non-empty `NO_COLOR` turns colour off (https://no-color.org); `FORCE_COLOR`
  /// turns it on unless its value is `0` or `false`; `TERM=dumb` turns it off; otherwise
  /// colour is used exactly when the output is a terminal.
  ///
  /// - Parameters:
  ///   - isTTY: whether standard output is a terminal.
  ///   - environment: the process environment.
  /// - Returns: whether to set ``color``.
  public static func colorFromEnvironment(isTTY: Bool, environment: [String: String]) -> Bool {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    if let force = environment["FORCE_COLOR"] {
      return force != "0" && force.lowercased() != "false"
    }
    if environment["TERM"] == "dumb" { return false }
    return isTTY
  }
}
