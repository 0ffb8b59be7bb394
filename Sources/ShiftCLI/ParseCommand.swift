import ArgumentParser
import ShiftCore
import ShiftReport
import ShiftSyntax

/// `safeshift parse FILE`: print the lossless token stream or the statements of a file,
/// for debugging the front end.
struct ParseCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "parse",
    abstract: "Show how SafeShift splits and parses a file (tokens or statements).",
    shouldDisplay: true
  )

  @Argument(help: "A SQL file.")
  var path: String

  @Option(help: "SQL dialect: postgres or sqlite.")
  var dialect: DialectArgument = .postgres

  @Flag(help: "Print the token stream instead of the statements.")
  var tokens = false

  func execute(console: Console) -> ShiftExitCode {
    let bytes: [UInt8]
    do {
      bytes = try FileSystem.read(path)
    } catch {
      console.error("error: \(error)")
      return .failure
    }
    let source = SourceFile(path: path, bytes: bytes)
    if tokens {
      for token in Lexer.tokenize(source, dialect: dialect.dialect) {
        let location = source.location(at: token.start)
        console.write(
          "\(location)\t\(token.kind)\t\(ShiftReport.jsonString(source.text(token.range)))\n"
        )
      }
      return .success
    }
    let parsed = SQLParser.parse(source, dialect: dialect.dialect)
    for statement in parsed.statements {
      let location = source.location(at: statement.range.start)
      console.write("\(location)\t\(statement.kindName)\t\(statement.kind)\n")
    }
    for problem in parsed.errors { console.error(problem.render(in: source)) }
    return parsed.errors.isEmpty ? .success : .failure
  }
}
