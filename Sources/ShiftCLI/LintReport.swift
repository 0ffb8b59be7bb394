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
    cursor = nil
  }

  private var pending = ""

  private var cursor: LocationCursor?

  mutating func add(_ statement: Statement, in source: SourceFile, console: Console) {
    statementCount += 1
    if cursor == nil { cursor = LocationCursor(source) }
    let start = cursor?.location(at: statement.range.start) ?? SourceLocation(line: 1, column: 1)
    let end =
      cursor?.location(at: max(statement.range.start, statement.range.end - 1)) ?? start
    let tables = statement.tablesTouched
    var writer = ByteWriter()
    writer.append(pending)
    pending = ""
    switch format {
    case .json:
      writer.append(statementsInFile == 0 ? "\n    {\"line\": " : ",\n    {\"line\": ")
      writer.append(start.line)
      writer.append(", \"column\": ")
      writer.append(start.column)
      writer.append(", \"endLine\": ")
      writer.append(end.line)
      writer.append(", \"endColumn\": ")
      writer.append(end.column + 1)
      writer.append(",\n     \"sql\": ")
      writer.appendJSONString(source.bytes, statement.range.start, statement.range.end)
      writer.append(",\n     \"kind\": \"")
      writer.append(statement.kindName)
      writer.append("\", \"tables\": [")
      for (offset, table) in tables.enumerated() {
        if offset > 0 { writer.append(", ") }
        writer.appendJSONString(table.description)
      }
      writer.append("], \"inTransactionBlock\": ")
      writer.append(statement.isInTransactionBlock ? "true" : "false")
      writer.append(", \"findings\": []}")
    case .text:
      let position = "\(start.line):\(start.column)"
      writer.append("  " + position + String(repeating: " ", count: max(1, 9 - position.count)))
      let kind = statement.kindName
      writer.append(kind)
      if !tables.isEmpty {
        writer.append(String(repeating: " ", count: max(1, 26 - kind.count)))
        writer.append(tables.map(\.description).joined(separator: ", "))
      }
      if statement.isInTransactionBlock { writer.append("  [in transaction]") }
      writer.append("\n")
    }
    console.write(bytes: writer.bytes)
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
