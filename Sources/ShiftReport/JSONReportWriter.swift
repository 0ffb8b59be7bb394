import ShiftCore

/// Writes the `lint --format json` document (version 1) piece by piece into a byte buffer.
///
/// The CLI streams: it calls ``beginFile(path:dialect:transactionMode:)``, then
/// ``addStatement(_:)`` for each statement, ``endFile(errors:)``, and at the end
/// ``finish()``, taking the bytes written so far with ``takeBytes()`` whenever it likes. The
/// result is byte for byte what `render(_:format:options:)` gives for the whole document.
///
/// Layout (kept from the first CLI so existing consumers keep working): one file object per
/// line group, one statement object per line group, keys in the contract's order with the
/// additive keys `tables`, `inTransactionBlock`, `transactionMode`, per-file `errors` and
/// summary `syntaxErrors`.
public struct JSONReportWriter: Sendable {
  private var buffer = OutputBuffer(capacity: 1 << 16)
  private var statementsInFile = 0
  private var isFileOpen = false
  private var isFinished = false

  /// The counts so far.
  public private(set) var summary = ReportSummary()

  /// Creates a writer with an empty buffer.
  public init() {}

  /// The bytes written and not yet taken.
  public var bytes: [UInt8] { buffer.bytes }

  /// How many bytes are written and not yet taken.
  public var pendingByteCount: Int { buffer.bytes.count }

  /// Returns the bytes written since the last call and empties the buffer.
  ///
  /// - Returns: UTF-8 JSON text, a fragment of the document until ``finish()``.
  public mutating func takeBytes() -> [UInt8] {
    defer { buffer.bytes.removeAll(keepingCapacity: true) }
    return buffer.bytes
  }

  /// Starts a file object.
  ///
  /// - Parameters:
  ///   - path: the path as shown to the user.
  ///   - dialect: `postgres` or `sqlite`.
  ///   - transactionMode: how the runner wraps the file, or `nil` when unknown.
  public mutating func beginFile(path: String, dialect: String, transactionMode: String? = nil) {
    precondition(!isFileOpen && !isFinished, "beginFile inside a file or after finish")
    if summary.files == 0 {
      buffer.append("{\"version\": ")
      buffer.append(ShiftReport.jsonVersion)
      buffer.append(",\n \"files\": [\n  {\"path\": ")
    } else {
      buffer.append(",\n  {\"path\": ")
    }
    buffer.appendJSONString(path)
    buffer.append(", \"dialect\": ")
    buffer.appendJSONString(dialect)
    buffer.append(", \"transactionMode\": ")
    buffer.appendJSONString(orNull: transactionMode)
    buffer.append(",\n   \"statements\": [")
    summary.files += 1
    statementsInFile = 0
    isFileOpen = true
  }

  /// Writes one statement of the open file.
  ///
  /// - Parameter statement: the statement, with its `sql` text.
  public mutating func addStatement(_ statement: ReportStatement) {
    addStatement(statement) { _ in }
  }

  /// Writes one statement, letting `extraMembers` append more members (each starting with
  /// `,`) before the statement object closes; `trace` adds its observations this way.
  mutating func addStatement(
    _ statement: ReportStatement,
    extraMembers: (inout OutputBuffer) -> Void
  ) {
    var sql = statement.sql
    sql.withUTF8 { addStatement(statement, sqlUTF8: $0, extraMembers: extraMembers) }
  }

  /// Writes one statement whose SQL is taken from the file's bytes instead of
  /// `statement.sql` (which may then be empty), so no `String` is made per statement.
  ///
  /// - Parameters:
  ///   - statement: the statement; its `sql` is ignored.
  ///   - source: the file's bytes, valid UTF-8.
  ///   - sqlRange: the statement's bytes in `source`.
  public mutating func addStatement(
    _ statement: ReportStatement,
    source: [UInt8],
    sqlRange: Range<Int>
  ) {
    source.withUnsafeBufferPointer {
      addStatement(statement, sqlUTF8: .init(rebasing: $0[sqlRange]))
    }
  }

  private mutating func addStatement(
    _ statement: ReportStatement,
    sqlUTF8: UnsafeBufferPointer<UInt8>,
    extraMembers: (inout OutputBuffer) -> Void = { _ in }
  ) {
    precondition(isFileOpen, "addStatement outside a file")
    buffer.append(statementsInFile == 0 ? "\n    {\"line\": " : ",\n    {\"line\": ")
    buffer.append(statement.location.line)
    buffer.append(", \"column\": ")
    buffer.append(statement.location.column)
    buffer.append(", \"endLine\": ")
    buffer.append(statement.endLocation.line)
    buffer.append(", \"endColumn\": ")
    buffer.append(statement.endLocation.column)
    buffer.append(",\n     \"sql\": ")
    buffer.appendJSONString(utf8: sqlUTF8)
    buffer.append(",\n     \"kind\": ")
    buffer.appendJSONString(statement.kind)
    buffer.append(", \"tables\": [")
    for (index, table) in statement.tables.enumerated() {
      if index > 0 { buffer.append(", ") }
      buffer.appendJSONString(table)
    }
    buffer.append("], \"inTransactionBlock\": ")
    buffer.append(statement.inTransactionBlock)
    buffer.append(",\n     \"locks\": [")
    for (index, lock) in statement.locks.enumerated() {
      buffer.append(index == 0 ? "{\"relation\": " : ", {\"relation\": ")
      buffer.appendJSONString(lock.relation)
      buffer.append(", \"mode\": ")
      buffer.appendJSONString(lock.mode)
      buffer.append("}")
    }
    buffer.append("], \"rewritesTable\": ")
    buffer.append(statement.rewritesTable)
    buffer.append(", \"scansTable\": ")
    buffer.append(statement.scansTable)
    buffer.append(",\n     \"compatibility\": ")
    buffer.appendJSONString(statement.compatibility)
    buffer.append(", \"phase\": ")
    buffer.appendJSONString(statement.phase)
    buffer.append(",\n     \"findings\": [")
    for (index, finding) in statement.findings.enumerated() {
      buffer.append(index == 0 ? "\n      {\"rule\": " : ",\n      {\"rule\": ")
      buffer.appendJSONString(finding.rule)
      buffer.append(", \"severity\": ")
      buffer.appendJSONString(finding.severity.rawValue)
      buffer.append(",\n       \"message\": ")
      buffer.appendJSONString(finding.message)
      buffer.append(",\n       \"help\": ")
      buffer.appendJSONString(orNull: finding.help)
      buffer.append(",\n       \"line\": ")
      buffer.append(finding.location.line)
      buffer.append(", \"column\": ")
      buffer.append(finding.location.column)
      if let estimate = finding.estimate { appendEstimate(estimate) }
      buffer.append("}")
    }
    buffer.append("]")
    extraMembers(&buffer)
    buffer.append("}")
    summary.add(statement)
    statementsInFile += 1
  }

  /// `"estimate": {"seconds": …, "tables": [{relation, rows, bytes, work, lock,
  /// bytesPerSecond, seconds}]}`: written only when the finding has one (an additive key of
  /// the version-1 document).
  private mutating func appendEstimate(_ estimate: DurationEstimate) {
    buffer.append(",\n       \"estimate\": {\"seconds\": ")
    buffer.append(Self.seconds(estimate.seconds))
    buffer.append(", \"tables\": [")
    for (index, table) in estimate.tables.enumerated() {
      buffer.append(index == 0 ? "{\"relation\": " : ", {\"relation\": ")
      buffer.appendJSONString(table.relation)
      buffer.append(", \"rows\": ")
      if let rows = table.rows { buffer.append(rows) } else { buffer.append("null") }
      buffer.append(", \"bytes\": ")
      buffer.append(table.bytes)
      buffer.append(", \"bytesFromRows\": ")
      buffer.append(table.bytesFromRows)
      buffer.append(", \"work\": ")
      buffer.appendJSONString(table.work.rawValue)
      buffer.append(", \"lock\": ")
      buffer.appendJSONString(orNull: table.lock?.rawValue)
      buffer.append(", \"bytesPerSecond\": ")
      buffer.append(table.bytesPerSecond)
      buffer.append(", \"seconds\": ")
      buffer.append(Self.seconds(table.seconds))
      buffer.append("}")
    }
    buffer.append("]}")
  }

  /// Seconds to the millisecond, as a JSON number (`172.032`, `0`, `0.001`).
  static func seconds(_ value: Double) -> String {
    let milliseconds = Int((value * 1000).rounded())
    let whole = milliseconds / 1000
    let fraction = milliseconds % 1000
    guard fraction != 0 else { return String(whole) }
    var digits = String(fraction)
    digits = String(repeating: "0", count: 3 - digits.count) + digits
    while digits.last == "0" { digits.removeLast() }
    return "\(whole).\(digits)"
  }

  /// Closes the open file object with its syntax errors.
  ///
  /// - Parameter errors: the file's syntax errors, in source order.
  public mutating func endFile(errors: [ReportError] = []) {
    precondition(isFileOpen, "endFile without beginFile")
    buffer.append("],\n   \"errors\": [")
    for (index, error) in errors.enumerated() {
      buffer.append(index == 0 ? "{\"line\": " : ", {\"line\": ")
      buffer.append(error.location.line)
      buffer.append(", \"column\": ")
      buffer.append(error.location.column)
      buffer.append(", \"message\": ")
      buffer.appendJSONString(error.message)
      buffer.append("}")
    }
    buffer.append("]}")
    summary.syntaxErrors += errors.count
    isFileOpen = false
  }

  /// Writes the summary and closes the document (with a final newline).
  public mutating func finish() {
    finish { _ in }
  }

  /// Writes the summary, lets `extraMembers` append members to the document object (each
  /// starting with `,`), and closes the document.
  mutating func finish(extraMembers: (inout OutputBuffer) -> Void) {
    precondition(!isFileOpen && !isFinished, "finish inside a file or twice")
    if summary.files == 0 {
      buffer.append("{\"version\": ")
      buffer.append(ShiftReport.jsonVersion)
      buffer.append(",\n \"files\": [")
    }
    buffer.append("],\n \"summary\": {\"files\": ")
    buffer.append(summary.files)
    buffer.append(", \"statements\": ")
    buffer.append(summary.statements)
    buffer.append(", \"errors\": ")
    buffer.append(summary.errors)
    buffer.append(", \"warnings\": ")
    buffer.append(summary.warnings)
    buffer.append(", \"infos\": ")
    buffer.append(summary.infos)
    buffer.append(", \"syntaxErrors\": ")
    buffer.append(summary.syntaxErrors)
    buffer.append("}")
    extraMembers(&buffer)
    buffer.append("}\n")
    isFinished = true
  }

  /// The whole document in one call.
  ///
  /// - Parameter document: what to write.
  /// - Returns: the UTF-8 JSON text.
  public static func render(_ document: ReportDocument) -> [UInt8] {
    var writer = JSONReportWriter()
    for file in document.files {
      writer.beginFile(
        path: file.path,
        dialect: file.dialect,
        transactionMode: file.transactionMode
      )
      for statement in file.statements {
        writer.addStatement(statement)
      }
      writer.endFile(errors: file.errors)
    }
    writer.finish()
    return writer.takeBytes()
  }
}
