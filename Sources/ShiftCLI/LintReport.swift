import ShiftCore
import ShiftSyntax

/// Renders lint results as text or JSON (DESIGN.md, `lint --format json`, version 1),
/// streaming statement by statement so memory does not grow with the file.
struct LintReport {
  let format: OutputFormat
  private var fileCount = 0
  private var statementCount = 0
  private var errorCount = 0
  private var statementsInFile = 0

  init(format: OutputFormat) {
    self.format = format
  }

  mutating func beginFile(_ source: SourceFile, dialect: Dialect) {
    switch format {
    case .json:
      var text = fileCount == 0 ? "{\"version\": 1,\n \"files\": [" : ",\n  "
      if fileCount == 0 { text += "\n  " }
      text +=
        "{\"path\": \(JSONWriter.quoted(source.path)), \"dialect\": \"\(dialect.rawValue)\",\n   \"statements\": ["
      pending = text
    case .text:
      pending = source.path + "\n"
    }
    fileCount += 1
    statementsInFile = 0
  }

  private var pending = ""

  mutating func add(_ statement: Statement, in source: SourceFile, console: Console) {
    statementCount += 1
    let start = source.location(at: statement.range.start)
    let end = source.location(at: max(statement.range.start, statement.range.end - 1))
    let tables = statement.tablesTouched.map(\.description)
    switch format {
    case .json:
      var text = pending
      pending = ""
      text += statementsInFile == 0 ? "\n    " : ",\n    "
      text += "{\"line\": \(start.line), \"column\": \(start.column), \"endLine\": \(end.line), "
      text += "\"endColumn\": \(end.column + 1),\n     \"sql\": "
      JSONWriter.escape(source.text(statement.range), into: &text)
      text += ",\n     \"kind\": \"\(statement.kindName)\", \"tables\": ["
      text += tables.map { JSONWriter.quoted($0) }.joined(separator: ", ")
      text += "], \"inTransactionBlock\": \(statement.isInTransactionBlock), \"findings\": []}"
      console.write(text)
    case .text:
      var text = pending
      pending = ""
      let position = "\(start.line):\(start.column)"
      text += "  " + position + String(repeating: " ", count: max(1, 9 - position.count))
      text += statement.kindName
      if !tables.isEmpty {
        text +=
          String(repeating: " ", count: max(1, 26 - statement.kindName.count))
          + tables.joined(separator: ", ")
      }
      if statement.isInTransactionBlock { text += "  [in transaction]" }
      text += "\n"
      console.write(text)
    }
    statementsInFile += 1
  }

  mutating func endFile(errors: [SyntaxError], in source: SourceFile, console: Console) {
    errorCount += errors.count
    switch format {
    case .json:
      var text = pending
      pending = ""
      text += statementsInFile == 0 ? "],\n   \"errors\": [" : "],\n   \"errors\": ["
      text += errors.map { error in
        "{\"line\": \(error.location.line), \"column\": \(error.location.column), \"message\": \(JSONWriter.quoted(error.message))}"
      }.joined(separator: ", ")
      text += "]}"
      console.write(text)
    case .text:
      if statementsInFile == 0, errors.isEmpty {
        console.write(pending + "  (no statements)\n")
      } else {
        console.write(pending)
      }
      pending = ""
    }
  }

  mutating func finish(console: Console) {
    switch format {
    case .json:
      var text = fileCount == 0 ? "{\"version\": 1,\n \"files\": [" : ""
      text += "],\n \"summary\": {\"files\": \(fileCount), \"statements\": \(statementCount), "
      text += "\"errors\": 0, \"warnings\": 0, \"infos\": 0, \"syntaxErrors\": \(errorCount)}}\n"
      console.write(text)
    case .text:
      console.write(
        "\(fileCount) file\(fileCount == 1 ? "" : "s"), \(statementCount) statement\(statementCount == 1 ? "" : "s")"
          + (errorCount > 0 ? ", \(errorCount) error\(errorCount == 1 ? "" : "s")" : "") + "\n"
      )
    }
  }
}
