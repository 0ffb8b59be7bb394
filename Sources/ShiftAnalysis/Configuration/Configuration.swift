public import ShiftCore
public import ShiftSyntax
import Yams

/// Settings from `.safeshift.yml`; command-line flags override them key by key.
///
/// Keys mirror the flags (DESIGN.md): `dialect`, `pgVersion`, `failOn`,
/// `rules: {id: off|info|warning|error}`, `assumeInTransaction`, `sessionTimeZone`,
/// `exclude` (path globs), `tables` (sizes to assume) and `sizeAware` (how findings scale
/// with them, see ``SizeSettings``). Unknown keys and bad values are errors naming the file, line and
/// column, never silently ignored: a typo in a CI config must not switch a rule off unseen.
public struct Configuration: Sendable, Equatable {
  /// A rule's configured level.
  public enum RuleLevel: String, Sendable, Equatable, CaseIterable {
    case off, info, warning, error

    /// The severity findings get, or `nil` when the rule is off.
    public var severity: Severity? {
      switch self {
      case .off: nil
      case .info: .info
      case .warning: .warning
      case .error: .error
      }
    }
  }

  public var dialect: Dialect?
  public var pgVersion: Int?
  public var failOn: Severity?
  public var rules: [String: RuleLevel]
  public var assumeInTransaction: Bool?
  /// The session `TimeZone` migrations run with (decides timestamp ⇄ timestamptz rewrites).
  public var sessionTimeZone: String?
  public var exclude: [String]
  /// `tables` and `sizeAware`: how findings scale with table sizes.
  public var sizes: SizeSettings

  /// An empty configuration (every setting at its default).
  public init() {
    dialect = nil
    pgVersion = nil
    failOn = nil
    rules = [:]
    assumeInTransaction = nil
    sessionTimeZone = nil
    exclude = []
    sizes = SizeSettings()
  }

  /// The PostgreSQL versions whose behaviour the analyzer models.
  public static let supportedPostgresVersions = 10...18

  /// Parses the YAML text of a configuration file.
  ///
  /// - Parameters:
  ///   - yaml: the file's text.
  ///   - path: the file's path, for messages.
  ///   - knownRules: rule ids that may appear under `rules` (unknown ids are errors).
  /// - Returns: the settings the file makes.
  /// - Throws: `ConfigurationError` naming the place.
  public static func parse(_ yaml: String, path: String, knownRules: Set<String>? = nil)
    throws(ConfigurationError) -> Configuration
  {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw ConfigurationError(path: path, location: nil, message: "invalid YAML: \(error)")
    } catch {
      throw ConfigurationError(path: path, location: nil, message: "invalid YAML: \(error)")
    }
    var configuration = Configuration()
    guard let root else { return configuration }  // empty file
    guard let mapping = root.mapping else {
      throw ConfigurationError(path: path, node: root, message: "expected a mapping of settings")
    }
    for (keyNode, value) in mapping {
      guard let key = keyNode.string else {
        throw ConfigurationError(path: path, node: keyNode, message: "expected a setting name")
      }
      switch key {
      case "dialect":
        guard let text = value.string, let dialect = Dialect(rawValue: text.lowercased()) else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "dialect must be postgres or sqlite"
          )
        }
        configuration.dialect = dialect
      case "pgVersion":
        guard let number = value.int, supportedPostgresVersions.contains(number) else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "pgVersion must be a PostgreSQL major version from 10 to 18"
          )
        }
        configuration.pgVersion = number
      case "failOn":
        guard let text = value.string, let severity = Severity(rawValue: text.lowercased()) else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "failOn must be info, warning or error"
          )
        }
        configuration.failOn = severity
      case "assumeInTransaction":
        guard let flag = value.bool else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "assumeInTransaction must be true or false"
          )
        }
        configuration.assumeInTransaction = flag
      case "sessionTimeZone":
        guard let text = value.string, !text.isEmpty else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "sessionTimeZone must be a time zone name"
          )
        }
        configuration.sessionTimeZone = text
      case "exclude":
        guard let items = value.sequence else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "exclude must be a list of path patterns"
          )
        }
        for item in items {
          guard let pattern = item.string else {
            throw ConfigurationError(
              path: path,
              node: item,
              message: "exclude entries must be strings"
            )
          }
          configuration.exclude.append(pattern)
        }
      case "rules":
        guard let entries = value.mapping else {
          throw ConfigurationError(
            path: path,
            node: value,
            message: "rules must map rule ids to off, info, warning or error"
          )
        }
        for (ruleNode, levelNode) in entries {
          guard let rule = ruleNode.string else {
            throw ConfigurationError(path: path, node: ruleNode, message: "expected a rule id")
          }
          if let knownRules, !knownRules.contains(rule) {
            throw ConfigurationError(path: path, node: ruleNode, message: "unknown rule '\(rule)'")
          }
          // YAML 1.1 reads a bare `off` as false; accept it as the level `off`.
          let text = levelNode.string?.lowercased() ?? (levelNode.bool == false ? "off" : "")
          guard let level = RuleLevel(rawValue: text) else {
            throw ConfigurationError(
              path: path,
              node: levelNode,
              message: "rule '\(rule)' must be off, info, warning or error"
            )
          }
          configuration.rules[rule] = level
        }
      case "tables":
        try parseTables(value, path: path, into: &configuration.sizes)
      case "sizeAware":
        try parseSizeAware(value, path: path, into: &configuration.sizes)
      case "deploy", "backfill":
        continue  // read by the deploy and backfill commands
      default:
        throw ConfigurationError(path: path, node: keyNode, message: "unknown setting '\(key)'")
      }
    }
    return configuration
  }

  /// This configuration with every setting that `other` sets taken from `other`.
  public func overridden(by other: Configuration) -> Configuration {
    var merged = self
    if let dialect = other.dialect { merged.dialect = dialect }
    if let pgVersion = other.pgVersion { merged.pgVersion = pgVersion }
    if let failOn = other.failOn { merged.failOn = failOn }
    if let assume = other.assumeInTransaction { merged.assumeInTransaction = assume }
    if let zone = other.sessionTimeZone { merged.sessionTimeZone = zone }
    merged.rules.merge(other.rules) { _, new in new }
    merged.exclude += other.exclude
    if other.sizes != SizeSettings() { merged.sizes = other.sizes }
    return merged
  }
}

/// A configuration file that cannot be used, with the place of the problem.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  public var path: String
  public var location: SourceLocation?
  public var message: String

  /// Creates an error.
  public init(path: String, location: SourceLocation?, message: String) {
    self.path = path
    self.location = location
    self.message = message
  }

  init(path: String, node: Node, message: String) {
    let mark = node.mark
    self.init(
      path: path,
      location: mark.map { SourceLocation(line: $0.line, column: $0.column) },
      message: message
    )
  }

  public var description: String {
    if let location { return "\(path):\(location): error: \(message)" }
    return "\(path): error: \(message)"
  }
}
