import ShiftCore
import ShiftSyntax

/// Renders rule documentation: `safeshift rules`, `safeshift explain ID` and `docs/rules.md`
/// all come from the rules' descriptions, so they cannot drift apart.
public enum RuleDocumentation {
  /// An example's SQL without its `⚠️` markers.
  public static func plainSQL(_ example: RuleExample) -> String {
    example.sql.replacing("⚠️", with: "")
  }

  /// One line per rule: id, default severity, category and summary.
  public static func list(_ rules: [any Rule] = allRules) -> String {
    let descriptions = rules.map { type(of: $0).description }
    let width = descriptions.map(\.id.count).max() ?? 0
    var text = ""
    for description in descriptions {
      text += description.id + String(repeating: " ", count: width - description.id.count + 2)
      text += description.defaultSeverity.rawValue.padding(7) + "  "
      text += description.category.rawValue.padding(12) + "  " + description.summary + "\n"
    }
    return text
  }

  /// The full explanation of one rule, for `safeshift explain`.
  public static func explain(_ description: RuleDescription) -> String {
    var text =
      "\(description.id) (\(description.defaultSeverity.rawValue), \(description.category.rawValue))\n\n"
    text += description.summary + "\n\n" + description.rationale + "\n"
    if !description.deprecatedAliases.isEmpty {
      text += "\nAlso accepted as: " + description.deprecatedAliases.joined(separator: ", ") + "\n"
    }
    if description.sizeSensitivity == .duration { text += "\n" + sizeAwareNote + "\n" }
    text += "\nReported:\n"
    for example in description.triggering { text += indent(plainSQL(example)) + "\n" }
    text += "\nNot reported:\n"
    for example in description.nonTriggering { text += indent(plainSQL(example)) + "\n" }
    return text
  }

  /// `docs/rules.md`.
  public static func markdown(_ rules: [any Rule] = allRules) -> String {
    let descriptions = rules.map { type(of: $0).description }
    var text = "# Rules\n\n"
    text +=
      "Generated from the rules' own descriptions (`safeshift rules`, `safeshift explain ID`);\n"
    text += "a test fails when this file is stale. Regenerate with\n"
    text += "`RECORD_SNAPSHOTS=1 swift test --filter RuleDocumentationTests`.\n\n"
    text +=
      "Severities are defaults; set them per rule in `.safeshift.yml` (`rules: {id: off|info|warning|error}`)\n"
    text +=
      "or with `--rule ID=LEVEL`. Silence one statement with `-- safeshift:ignore ID` on its line or the\n"
    text += "line above, a whole file with `-- safeshift:ignore-file ID`.\n\n"
    text += "| id | severity | category | summary |\n|---|---|---|---|\n"
    for description in descriptions {
      text +=
        "| [`\(description.id)`](#\(description.id)) | \(description.defaultSeverity.rawValue) | "
      text +=
        "\(description.category.rawValue) | \(description.summary.replacing("|", with: "\\|")) |\n"
    }
    for description in descriptions {
      text += "\n## \(description.id)\n\n"
      text +=
        "**\(description.summary)** Default severity: \(description.defaultSeverity.rawValue). "
      text +=
        "Dialects: \(description.dialects.map(\.rawValue).sorted().joined(separator: ", ")).\n\n"
      if description.sizeSensitivity == .duration {
        text += sizeAwareNote.replacing("docs/size-aware-severity.md", with: sizeAwareLink) + "\n\n"
      }
      text += description.rationale + "\n\n"
      text += "Reported:\n\n```sql\n"
      text += description.triggering.map(plainSQL).joined(separator: "\n\n") + "\n```\n\n"
      text += "Not reported:\n\n```sql\n"
      text += description.nonTriggering.map(plainSQL).joined(separator: "\n\n") + "\n```\n"
    }
    return text
  }

  /// What a size-aware rule's documentation says about table sizes.
  static let sizeAwareNote = """
    Size-aware: with table sizes (from --database-url or `tables` in .safeshift.yml) the \
    finding gives an estimated duration, is lowered to info when the work is brief and \
    raised to error when it is long (docs/size-aware-severity.md).
    """

  private static let sizeAwareLink = "[size-aware-severity.md](size-aware-severity.md)"

  private static func indent(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(
      separator: "\n"
    )
  }
}

extension String {
  fileprivate func padding(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

}
