import ShiftCore

/// `sarif`: SARIF 2.1.0 for GitHub code scanning.
///
/// Findings are results of their rule; syntax errors are results of the pseudo-rule
/// `syntax-error` (level `error`), so code scanning shows them where they are rather than
/// only in the run's notifications. Columns count Unicode code points (`columnKind`), paths
/// are relative to `%SRCROOT%`, and each result carries a `partialFingerprints` hash of its
/// rule, path and whitespace-normalised statement text, so an alert survives edits that
/// move the statement.
struct SARIFRenderer {
  let document: ReportDocument
  let options: ReportOptions

  static let schemaURI =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
  static let fingerprintKey = "safeshiftStatementHash/v1"

  func render() -> String {
    let rules = ruleTable()
    var indexByID: [String: Int] = [:]
    for (index, rule) in rules.enumerated() { indexByID[rule.id] = index }
    var results: [JSONValue] = []
    for file in document.files {
      var occurrences: [String: Int] = [:]
      for item in ReportItem.items(of: file) {
        results.append(result(item, ruleIndex: indexByID[item.rule] ?? 0, seen: &occurrences))
      }
    }
    var driver: [(String, JSONValue)] = [("name", .string("safeshift"))]
    if let uri = options.toolInformationURI { driver.append(("informationUri", .string(uri))) }
    if let version = options.toolVersion { driver.append(("version", .string(version))) }
    driver.append(("rules", .array(rules.map(ruleDescriptor))))
    var run: [(String, JSONValue)] = [("tool", .object([("driver", .object(driver))]))]
    if let root = options.sourceRoot, root.hasPrefix("/") {
      var uri = "file://" + ReportPath.percentEncoded(root)
      if !uri.hasSuffix("/") { uri += "/" }
      run.append(("originalUriBaseIds", .object([("%SRCROOT%", .object([("uri", .string(uri))]))])))
    }
    run.append(
      (
        "invocations",
        .array([.object([("executionSuccessful", .bool(document.summary.syntaxErrors == 0))])])
      )
    )
    run.append(("columnKind", .string("unicodeCodePoints")))
    run.append(("results", .array(results)))
    let log: JSONValue = .object([
      ("$schema", .string(Self.schemaURI)),
      ("version", .string("2.1.0")),
      ("runs", .array([.object(run)])),
    ])
    return log.pretty
  }

  /// The document's rules, then rules that findings name but the document does not
  /// describe, then `syntax-error` when there are syntax errors.
  private func ruleTable() -> [RuleInfo] {
    var rules = document.rules
    var known = Set(rules.map(\.id))
    for file in document.files {
      for statement in file.statements {
        for finding in statement.findings where !known.contains(finding.rule) {
          known.insert(finding.rule)
          rules.append(
            RuleInfo(id: finding.rule, summary: finding.rule, defaultSeverity: finding.severity)
          )
        }
      }
      if !file.errors.isEmpty, !known.contains(RuleInfo.syntaxError.id) {
        known.insert(RuleInfo.syntaxError.id)
        rules.append(RuleInfo.syntaxError)
      }
    }
    return rules
  }

  private func ruleDescriptor(_ rule: RuleInfo) -> JSONValue {
    let full = rule.description ?? rule.summary
    var helpText = full
    if let uri = rule.helpURI { helpText += "\n\n" + uri }
    var members: [(String, JSONValue)] = [
      ("id", .string(rule.id)),
      ("shortDescription", .object([("text", .string(rule.summary))])),
      ("fullDescription", .object([("text", .string(full))])),
      ("help", .object([("text", .string(helpText))])),
    ]
    if let uri = rule.helpURI { members.append(("helpUri", .string(uri))) }
    members.append(
      ("defaultConfiguration", .object([("level", .string(Self.level(rule.defaultSeverity)))]))
    )
    return .object(members)
  }

  private func result(
    _ item: ReportItem,
    ruleIndex: Int,
    seen occurrences: inout [String: Int]
  ) -> JSONValue {
    var text = item.message
    if let help = item.help, !help.isEmpty { text += "\n\n" + help }
    var region: [(String, JSONValue)] = [
      ("startLine", .int(item.location.line)),
      ("startColumn", .int(item.location.column)),
    ]
    if let end = item.endLocation, end >= item.location {
      region.append(("endLine", .int(end.line)))
      region.append(("endColumn", .int(max(end.column, 1))))
    }
    let path = ReportPath.relative(item.file.path, to: options.sourceRoot)
    var artifact: [(String, JSONValue)]
    if path.hasPrefix("/") {
      artifact = [("uri", .string("file://" + ReportPath.percentEncoded(path)))]
    } else {
      artifact = [
        ("uri", .string(ReportPath.percentEncoded(path))), ("uriBaseId", .string("%SRCROOT%")),
      ]
    }
    let anchor = item.statement?.sql ?? item.error?.sourceLine ?? item.message
    let base = Self.fingerprint(rule: item.rule, path: path, text: anchor)
    let occurrence = occurrences[base, default: 0] + 1
    occurrences[base] = occurrence
    return .object([
      ("ruleId", .string(item.rule)),
      ("ruleIndex", .int(ruleIndex)),
      ("level", .string(Self.level(item.severity))),
      ("message", .object([("text", .string(text))])),
      (
        "locations",
        .array([
          .object([
            (
              "physicalLocation",
              .object([("artifactLocation", .object(artifact)), ("region", .object(region))])
            )
          ])
        ])
      ),
      ("partialFingerprints", .object([(Self.fingerprintKey, .string("\(base):\(occurrence)"))])),
    ])
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info: "note"
    }
  }

  /// FNV-1a (64 bit) of `rule NUL path NUL text`, the text with whitespace runs collapsed
  /// to one space and trimmed; 16 lowercase hex digits.
  static func fingerprint(rule: String, path: String, text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ byte: UInt8) {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    for byte in rule.utf8 { mix(byte) }
    mix(0)
    for byte in path.utf8 { mix(byte) }
    mix(0)
    var pendingSpace = false
    var started = false
    for byte in text.utf8 {
      switch byte {
      case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
        pendingSpace = started
      default:
        if pendingSpace { mix(0x20) }
        pendingSpace = false
        started = true
        mix(byte)
      }
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }
}
