public import ShiftCore
public import ShiftSyntax

/// The suppression comments of one file, and which findings they silence.
///
/// `-- safeshift:ignore rule-a, rule-b` applies to the statement that starts on the line
/// below the comment, or to the statement whose lines include the comment's line (a trailing
/// comment). `-- safeshift:ignore-file rule-a` anywhere applies to the whole file. Block
/// comments work the same way. A suppression that silences nothing is itself reported (rule
/// ``SuppressionIndex/unusedRule``), so stale ignores do not pile up.
public struct SuppressionIndex: Sendable {
  /// The id of the finding reported for an ignore that suppresses nothing.
  public static let unusedRule = "unused-suppression"

  /// Every suppression comment in the file, in order.
  public private(set) var suppressions: [Suppression]
  private var used: Set<Int> = []
  /// Positions in ``suppressions`` of statement-scope comments, by the line they are on.
  private var statementScopedByLine: [Int: [Int]] = [:]
  /// Positions in ``suppressions`` of `ignore-file` comments.
  private var fileScoped: [Int] = []

  private mutating func indexLines() {
    statementScopedByLine = [:]
    fileScoped = []
    for (position, suppression) in suppressions.enumerated() {
      switch suppression.scope {
      case .file: fileScoped.append(position)
      case .statement:
        statementScopedByLine[suppression.location.line, default: []].append(position)
      }
    }
  }

  /// Finds the suppression comments of a source.
  public init(source: SourceFile, dialect: Dialect) {
    var found: [Suppression] = []
    // Most files have no suppression: skip lexing them for comments.
    guard Self.mentionsMarker(source.bytes) else {
      suppressions = []
      return
    }
    for token in Lexer.tokenize(source, dialect: dialect)
    where token.kind == .lineComment || token.kind == .blockComment {
      if let suppression = Self.parse(token, in: source) { found.append(suppression) }
    }
    suppressions = found
    indexLines()
  }

  private static let marker = Array("safeshift:".utf8)

  /// Whether `bytes` contain `safeshift:` anywhere (a plain byte scan: far cheaper than
  /// lexing the file).
  private static func mentionsMarker(_ bytes: [UInt8]) -> Bool {
    let marker = Self.marker
    return bytes.withUnsafeBufferPointer { buffer in
      let last = buffer.count - marker.count
      guard last >= 0 else { return false }
      var index = 0
      while index <= last {
        if buffer[index] == 0x73, buffer[index + 1] == 0x61 {  // "sa"
          var matched = 2
          while matched < marker.count, buffer[index + matched] == marker[matched] { matched += 1 }
          if matched == marker.count { return true }
        }
        index += 1
      }
      return false
    }
  }

  private static func parse(_ token: Token, in source: SourceFile) -> Suppression? {
    var text = Substring(source.text(token.range))
    if text.hasPrefix("--") {
      text = text.dropFirst(2)
    } else {
      text = text.dropFirst(2).dropLast(2)
    }
    text = text.drop { $0 == " " || $0 == "\t" }
    let fileMarker = "safeshift:ignore-file"
    let statementMarker = "safeshift:ignore"
    let scope: Suppression.Scope
    if text.hasPrefix(fileMarker) {
      scope = .file
      text = text.dropFirst(fileMarker.count)
    } else if text.hasPrefix(statementMarker) {
      scope = .statement
      text = text.dropFirst(statementMarker.count)
    } else {
      return nil
    }
    // The marker must end here: `safeshift:ignorex` is not a suppression.
    if let next = text.first, next != " ", next != "\t", next != "\n", next != "\r" { return nil }
    // Text after ` -- ` is a free-form reason.
    if let reason = text.firstRange(of: " -- ") { text = text[..<reason.lowerBound] }
    let rules = text.split { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
      .map { $0.lowercased() }
      .filter { !$0.isEmpty }
    return Suppression(
      scope: scope,
      rules: rules,
      range: token.range,
      location: source.location(at: token.start)
    )
  }

  /// Whether `rule` is suppressed for a statement spanning `lines` (first…last, 1-based);
  /// marks the suppression used.
  public mutating func suppresses(rule: String, statementLines lines: ClosedRange<Int>) -> Bool {
    guard !suppressions.isEmpty else { return false }
    // The first comment in file order that names the rule and covers the statement: an
    // `ignore-file` anywhere, or a statement comment on its lines or the line above. Looked
    // up by line, so a file with thousands of comments costs no more per finding.
    var first: Int?
    func consider(_ position: Int) {
      guard first.map({ position < $0 }) ?? true else { return }
      let rules = suppressions[position].rules
      if rules.contains(rule) || rules.contains("all") { first = position }
    }
    for position in fileScoped { consider(position) }
    for line in (lines.lowerBound - 1)...lines.upperBound {
      for position in statementScopedByLine[line] ?? [] { consider(position) }
    }
    guard let first else { return false }
    used.insert(first)
    return true
  }

  /// Findings for suppressions that silenced nothing (call after all findings were checked).
  public func unusedFindings(severity: Severity = .warning) -> [Finding] {
    suppressions.enumerated().filter { !used.contains($0.offset) }.map { _, suppression in
      let what = suppression.rules.isEmpty ? "no rule" : suppression.rules.joined(separator: ", ")
      let message =
        suppression.rules.isEmpty
        ? "safeshift:ignore names no rule; list the rule ids to silence"
        : "safeshift:ignore \(what) suppresses nothing here"
      return Finding(
        rule: Self.unusedRule,
        severity: severity,
        message: message,
        help: "Remove the comment, or move it onto the line above the statement it is meant for.",
        range: suppression.range,
        location: suppression.location
      )
    }
  }
}
