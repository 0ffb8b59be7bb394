public import ArgumentParser
import ShiftCore

/// The `safeshift` root command.
public struct SafeShiftCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "safeshift",
    abstract: "Make database schema changes safe to ship while the application keeps running.",
    version: SafeShiftCommand.version,
    subcommands: [
      LintCommand.self, PlanCommand.self, TraceCommand.self, BackfillCommand.self,
      DeployCommand.self, BackupCommand.self, StatusCommand.self, RulesCommand.self,
      ExplainCommand.self, ParseCommand.self,
    ]
  )

  /// The tool's version.
  public static let version = "0.1.0"

  public init() {}

  /// Runs `arguments` in-process against `console` and returns the exit code, the way the
  /// executable would (usage errors print help and return 64).
  public static func execute(_ arguments: [String], console: Console) -> Int32 {
    do {
      var command = try parseAsRoot(arguments)
      if let runnable = command as? any ConsoleCommand {
        let code = runnable.execute(console: console)
        console.flush()
        return code.rawValue
      }
      try command.run()
      return 0
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        console.write(fullMessage(for: error) + "\n")
        console.flush()
        return 0
      }
      console.error(fullMessage(for: error))
      console.flush()
      return code == .validationFailure ? ShiftExitCode.usage.rawValue : code.rawValue
    }
  }
}

/// A command that writes to an injected console and returns a documented exit code.
protocol ConsoleCommand: ParsableCommand {
  func execute(console: Console) -> ShiftExitCode
}

extension ConsoleCommand {
  public func run() throws {
    let console = Console.standard()
    let code = execute(console: console)
    console.flush()
    if code != .success { throw ExitCode(code.rawValue) }
  }
}
