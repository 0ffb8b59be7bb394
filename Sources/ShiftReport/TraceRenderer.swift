import ShiftCore

/// Renders `safeshift trace` reports: `json` (the `lint --format json` document, version 1,
/// with trace-only members) and `text`.
public enum TraceRenderer {
  /// The JSON document: every key `lint --format json` writes, in the same order and on the
  /// same lines (so `diff` of the two shows where they differ), then per statement the
  /// trace's own members on lines of their own, and a top-level `trace` object after
  /// `summary`.
  ///
  /// - Parameter document: the trace.
  /// - Returns: UTF-8 JSON text with a final newline.
  public static func json(_ document: TraceDocument) -> String {
    var writer = JSONReportWriter()
    for file in document.files {
      writer.beginFile(
        path: file.path,
        dialect: file.dialect,
        transactionMode: file.transactionMode
      )
      for statement in file.statements {
        writer.addStatement(statement.statement) { buffer in
          writeTraceMembers(statement, to: &buffer)
        }
      }
      writer.endFile(errors: file.errors)
    }
    writer.finish { buffer in
      buffer.append(",\n \"trace\": {\"engine\": ")
      buffer.appendJSONString(document.engine)
      buffer.append(", \"target\": ")
      buffer.appendJSONString(document.target)
      buffer.append(", \"realData\": ")
      buffer.append(document.realData)
      buffer.append(", \"rowsPerTable\": ")
      buffer.append(document.rowsPerTable)
      buffer.append(",\n  \"completions\": [")
      for (index, file) in document.files.enumerated() {
        if index > 0 { buffer.append(", ") }
        buffer.appendJSONString(orNull: file.completion)
      }
      buffer.append("], \"traced\": ")
      buffer.append(document.traced)
      buffer.append(", \"failed\": ")
      buffer.append(document.failed)
      buffer.append(", \"durationMs\": ")
      buffer.append(milliseconds(document.totalDurationMs))
      buffer.append(", \"compared\": ")
      buffer.append(document.compared)
      buffer.append(", \"disagreements\": ")
      buffer.append(document.disagreements)
      buffer.append(",\n  \"notes\": ")
      writeStrings(document.notes, to: &buffer)
      buffer.append("}")
    }
    return String(decoding: writer.takeBytes(), as: UTF8.self)
  }

  private static func writeTraceMembers(_ statement: TraceStatement, to buffer: inout OutputBuffer)
  {
    buffer.append(",\n     \"execution\": ")
    buffer.appendJSONString(statement.execution.rawValue)
    buffer.append(", \"durationMs\": ")
    if let duration = statement.durationMs {
      buffer.append(milliseconds(duration))
    } else {
      buffer.append("null")
    }
    buffer.append(", \"locksObserved\": ")
    buffer.append(statement.locksObserved)
    buffer.append(",\n     \"locksHeld\": ")
    writeLocks(statement.locksHeld, to: &buffer)
    buffer.append(", \"otherLocks\": ")
    writeLocks(statement.otherLocks, to: &buffer)
    buffer.append(",\n     \"rewritten\": ")
    writeObjects(statement.rewritten, to: &buffer)
    buffer.append(", \"scans\": [")
    for (index, scan) in statement.scans.enumerated() {
      buffer.append(index == 0 ? "{\"table\": " : ", {\"table\": ")
      buffer.appendJSONString(scan.table)
      buffer.append(", \"sequentialScans\": ")
      buffer.append(scan.sequentialScans)
      buffer.append(", \"rowsRead\": ")
      buffer.append(scan.rowsRead)
      buffer.append(", \"indexScans\": ")
      buffer.append(scan.indexScans)
      buffer.append("}")
    }
    buffer.append("],\n     \"created\": ")
    writeObjects(statement.created, to: &buffer)
    buffer.append(", \"altered\": ")
    writeObjects(statement.altered, to: &buffer)
    buffer.append(", \"dropped\": ")
    writeObjects(statement.dropped, to: &buffer)
    buffer.append(",\n     \"notes\": ")
    writeStrings(statement.notes, to: &buffer)
    if let differences = statement.differences {
      buffer.append(",\n     \"differences\": [")
      for (index, difference) in differences.enumerated() {
        buffer.append(index == 0 ? "{\"aspect\": " : ", {\"aspect\": ")
        buffer.appendJSONString(difference.aspect)
        buffer.append(", \"relation\": ")
        buffer.appendJSONString(difference.relation)
        buffer.append(", \"model\": ")
        buffer.appendJSONString(difference.model)
        buffer.append(", \"trace\": ")
        buffer.appendJSONString(difference.trace)
        buffer.append("}")
      }
      buffer.append("], \"explained\": ")
      writeStrings(statement.explained, to: &buffer)
    }
    if let error = statement.error {
      buffer.append(",\n     \"error\": {\"code\": ")
      buffer.appendJSONString(orNull: error.code)
      buffer.append(", \"message\": ")
      buffer.appendJSONString(error.message)
      buffer.append("}")
    }
  }

  private static func writeLocks(_ locks: [ReportLock], to buffer: inout OutputBuffer) {
    buffer.append("[")
    for (index, lock) in locks.enumerated() {
      buffer.append(index == 0 ? "{\"relation\": " : ", {\"relation\": ")
      buffer.appendJSONString(lock.relation)
      buffer.append(", \"mode\": ")
      buffer.appendJSONString(lock.mode)
      buffer.append("}")
    }
    buffer.append("]")
  }

  private static func writeObjects(
    _ objects: [TraceStatement.Object],
    to buffer: inout OutputBuffer
  ) {
    buffer.append("[")
    for (index, object) in objects.enumerated() {
      buffer.append(index == 0 ? "{\"name\": " : ", {\"name\": ")
      buffer.appendJSONString(object.name)
      buffer.append(", \"kind\": ")
      buffer.appendJSONString(object.kind)
      if let newName = object.newName {
        buffer.append(", \"newName\": ")
        buffer.appendJSONString(newName)
      }
      buffer.append("}")
    }
    buffer.append("]")
  }

  private static func writeStrings(_ strings: [String], to buffer: inout OutputBuffer) {
    buffer.append("[")
    for (index, text) in strings.enumerated() {
      if index > 0 { buffer.append(", ") }
      buffer.appendJSONString(text)
    }
    buffer.append("]")
  }

  /// Milliseconds with three decimals (microseconds), as a JSON number: `12.345`.
  static func milliseconds(_ value: Double) -> String {
    let micros = Int((max(value, 0) * 1000).rounded())
    let fraction = String(micros % 1000)
    return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
  }

  /// The text report: per statement its place, kind, execution and time, then what it
  /// locked, rewrote, scanned, created, altered and dropped, notes, and with `--compare`
  /// each disagreement; a summary line at the end.
  ///
  /// ```
  /// db/0002.sql:3:1: alter_table, in transaction, 4.210 ms
  ///   ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()
  ///   locks: users ACCESS EXCLUSIVE (held: users ACCESS EXCLUSIVE)
  ///   rewrote: users (table), users_pkey (index)
  ///   scanned: users (1 sequential scan, 100 rows)
  /// ```
  ///
  /// - Parameter document: the trace.
  /// - Returns: the text, ending with a newline.
  public static func text(_ document: TraceDocument) -> String {
    var output = ""
    for file in document.files {
      for statement in file.statements {
        write(statement, path: file.path, compared: document.compared, to: &output)
      }
      if let completion = file.completion {
        output += "\(file.path): transaction \(completion.replacing("_", with: " "))\n"
      }
    }
    for note in document.notes { output += "note: \(note)\n" }
    output += summary(document) + "\n"
    return output
  }

  private static func write(
    _ entry: TraceStatement,
    path: String,
    compared: Bool,
    to output: inout String
  ) {
    let statement = entry.statement
    var header = "\(path):\(statement.location.line):\(statement.location.column): "
    header += statement.kind
    switch entry.execution {
    case .transaction: header += ", in transaction"
    case .outsideTransaction: header += ", outside a transaction"
    case .skipped: header += ", skipped"
    case .failed: header += ", FAILED"
    case .notRun: header += ", not run"
    }
    if let duration = entry.durationMs { header += ", \(milliseconds(duration)) ms" }
    output += header + "\n"
    let firstLine = statement.sql.split(separator: "\n", omittingEmptySubsequences: false).first
    let sql = String(firstLine ?? "")
    let more = statement.sql.contains("\n") ? " …" : ""
    output += "  " + (sql.count > 100 ? String(sql.prefix(100)) + " …" : sql + more) + "\n"
    if let error = entry.error {
      output += "  error: \(error.message)" + (error.code.map { " (\($0))" } ?? "") + "\n"
    }
    if entry.execution == .transaction || entry.execution == .outsideTransaction {
      var locks = entry.locksObserved ? list(statement.locks.map(lockText)) : "not observable"
      if entry.locksObserved, !entry.locksHeld.isEmpty {
        locks += " (held: \(entry.locksHeld.map(lockText).joined(separator: ", ")))"
      }
      output += "  locks: \(locks)\n"
      if !entry.otherLocks.isEmpty {
        output += "  other locks: \(entry.otherLocks.map(lockText).joined(separator: ", "))\n"
      }
      if !entry.rewritten.isEmpty {
        output += "  rewrote: \(entry.rewritten.map(objectText).joined(separator: ", "))\n"
      }
      let read = entry.scans.filter { $0.sequentialScans > 0 }
      if !read.isEmpty {
        let text = read.map {
          "\($0.table) (\(plural($0.sequentialScans, "sequential scan")), "
            + "\(plural($0.rowsRead, "row")))"
        }
        output += "  scanned: \(text.joined(separator: ", "))\n"
      }
      for (label, objects) in [
        ("created", entry.created), ("altered", entry.altered), ("dropped", entry.dropped),
      ] where !objects.isEmpty {
        output += "  \(label): \(objects.map(objectText).joined(separator: ", "))\n"
      }
    }
    for note in entry.notes { output += "  note: \(note)\n" }
    if compared {
      for difference in entry.differences ?? [] {
        output += "  \(path):\(statement.location.line):\(statement.location.column): "
        output += "model disagrees: \(difference.sentence)\n"
      }
      for explained in entry.explained { output += "  explained: \(explained)\n" }
    }
  }

  private static func list(_ items: [String]) -> String {
    items.isEmpty ? "none" : items.joined(separator: ", ")
  }

  private static func lockText(_ lock: ReportLock) -> String { "\(lock.relation) \(lock.mode)" }

  private static func objectText(_ object: TraceStatement.Object) -> String {
    var text = "\(object.name) (\(object.kind))"
    if let newName = object.newName { text += " → \(newName)" }
    return text
  }

  /// "2 files, 7 statements traced in 45.210 ms on …, 1 failed; model and trace agree".
  static func summary(_ document: TraceDocument) -> String {
    var text = plural(document.files.count, "file") + ", "
    text += plural(document.traced, "statement") + " traced in "
    text += milliseconds(document.totalDurationMs) + " ms on " + document.target
    text += " (\(document.engine))"
    if document.failed > 0 { text += ", \(document.failed) failed" }
    if document.compared {
      let count = document.disagreements
      text +=
        count == 0
        ? "; model and trace agree"
        : "; model and trace disagree on " + plural(count, "statement")
    }
    return text
  }
}
