import ArgumentParser
import ShiftAnalysis
import ShiftCore

/// `safeshift rules`: list every rule.
struct RulesCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "List the rules with their default severity and summary."
  )

  @Flag(help: "Print the Markdown reference (docs/rules.md) instead of the list.")
  var markdown = false

  func execute(console: Console) -> ShiftExitCode {
    console.write(markdown ? RuleDocumentation.markdown() : RuleDocumentation.list())
    return .success
  }
}

/// `safeshift explain ID`: the full text of one rule.
struct ExplainCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain a rule: the hazard, the safe recipe, and examples."
  )

  @Argument(help: "A rule id (see safeshift rules).")
  var id: String

  func validate() throws {
    if rule(withID: id) == nil && id != SuppressionIndex.unusedRule {
      throw ValidationError("Unknown rule '\(id)'; `safeshift rules` lists them.")
    }
  }

  func execute(console: Console) -> ShiftExitCode {
    guard let found = rule(withID: id) else {
      console.write(
        "\(SuppressionIndex.unusedRule) (warning)\n\nA safeshift:ignore comment that silences nothing.\n"
      )
      return .success
    }
    console.write(RuleDocumentation.explain(type(of: found).description))
    return .success
  }
}
