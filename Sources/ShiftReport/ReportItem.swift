import ShiftCore

/// One thing to report, a finding or a syntax error, with its file and statement: the
/// common currency of the line-oriented formats (text, GitHub, Markdown).
struct ReportItem {
  /// The file the item belongs to.
  var file: ReportFile
  /// The rule id (`syntax-error` for syntax errors).
  var rule: String
  /// The severity (`error` for syntax errors).
  var severity: Severity
  /// The message.
  var message: String
  /// The help, if any.
  var help: String?
  /// Where it starts.
  var location: SourceLocation
  /// Where it ends (exclusive column), when known.
  var endLocation: SourceLocation?
  /// The statement of a finding; `nil` for syntax errors.
  var statement: ReportStatement?
  /// The syntax error; `nil` for findings.
  var error: ReportError?

  /// All findings and syntax errors of a file, by location (findings of one statement keep
  /// their order).
  static func items(of file: ReportFile) -> [ReportItem] {
    var items: [ReportItem] = []
    for statement in file.statements {
      for finding in statement.findings {
        items.append(
          ReportItem(
            file: file,
            rule: finding.rule,
            severity: finding.severity,
            message: finding.message,
            help: finding.help,
            location: finding.location,
            endLocation: statement.endLocation(of: finding),
            statement: statement,
            error: nil
          )
        )
      }
    }
    for error in file.errors {
      items.append(
        ReportItem(
          file: file,
          rule: RuleInfo.syntaxError.id,
          severity: .error,
          message: error.message,
          help: nil,
          location: error.location,
          endLocation: nil,
          statement: nil,
          error: error
        )
      )
    }
    // A stable sort by location: findings are appended statement by statement.
    return items.enumerated()
      .sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
      .map(\.element)
  }
}

/// Paths as reported to tools that want them relative to the repository.
enum ReportPath {
  /// The path with forward slashes, relative to `root` when it lies under it, without a
  /// leading `./`.
  static func relative(_ path: String, to root: String?) -> String {
    var path = path.replacingBackslashes()
    if var root = root?.replacingBackslashes(), !root.isEmpty {
      while root.count > 1, root.hasSuffix("/") { root.removeLast() }
      let prefix = root == "/" ? "/" : root + "/"
      if path.hasPrefix(prefix) { path.removeFirst(prefix.count) }
    }
    while path.hasPrefix("./") { path.removeFirst(2) }
    return path
  }

  /// Percent-encodes a path for a URI: unreserved characters, `/` and the sub-delimiters
  /// other than `:` stay; everything else (including non-ASCII, as UTF-8) is encoded.
  static func percentEncoded(_ path: String) -> String {
    var output: [UInt8] = []
    output.reserveCapacity(path.utf8.count)
    let hex = Array("0123456789ABCDEF".utf8)
    for byte in path.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        output.append(byte)
      case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
        UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "'"),
        UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
        UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
        output.append(byte)
      default:
        output.append(UInt8(ascii: "%"))
        output.append(hex[Int(byte >> 4)])
        output.append(hex[Int(byte & 0x0F)])
      }
    }
    return String(decoding: output, as: UTF8.self)
  }
}

extension String {
  fileprivate func replacingBackslashes() -> String {
    String(decoding: utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
  }

  /// The text with every occurrence of the given scalars replaced, in one pass (by scalar,
  /// so the `\r` of a `\r\n` is seen).
  func escaping(_ table: [Unicode.Scalar: String]) -> String {
    var output = ""
    output.reserveCapacity(utf8.count)
    for scalar in unicodeScalars {
      if let replacement = table[scalar] {
        output += replacement
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
    return output
  }
}
