import ShiftDatabase

/// Whether PostgreSQL lets a statement run inside a transaction block, judged from its
/// leading keywords (ShiftPostgres does not depend on the parser).
enum TransactionBlockRule: Equatable {
  /// The statement may run inside `BEGIN … ROLLBACK`.
  case allowed
  /// The statement fails inside a transaction block (SQLSTATE 25001).
  case forbidden
  /// The statement starts, ends or manages a transaction itself, so tracing it would
  /// break the tracer's own `BEGIN … ROLLBACK`.
  case transactionControl

  /// Classifies one statement.
  ///
  /// Forbidden: `VACUUM`; `CREATE [UNIQUE] INDEX CONCURRENTLY`; `DROP INDEX CONCURRENTLY`;
  /// `REINDEX … CONCURRENTLY` and `REINDEX SCHEMA | DATABASE | SYSTEM`; `ALTER TABLE …
  /// DETACH PARTITION … CONCURRENTLY`; `CLUSTER` without a table; `CREATE | DROP DATABASE`,
  /// `CREATE | DROP TABLESPACE`, `ALTER SYSTEM`. `REFRESH MATERIALIZED VIEW CONCURRENTLY`
  /// and (since PostgreSQL 12) `ALTER TYPE … ADD VALUE` are allowed.
  static func classify(_ sql: String) -> TransactionBlockRule {
    let words = Self.words(sql)
    guard let first = words.first else { return .allowed }
    func word(_ index: Int) -> String? { index < words.count ? words[index] : nil }
    switch first {
    case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE":
      return .transactionControl
    case "PREPARE" where word(1) == "TRANSACTION":
      return .transactionControl
    case "VACUUM":
      return .forbidden
    case "CREATE":
      let index = word(1) == "UNIQUE" ? 2 : 1
      if word(index) == "INDEX", word(index + 1) == "CONCURRENTLY" { return .forbidden }
      return word(1) == "DATABASE" || word(1) == "TABLESPACE" ? .forbidden : .allowed
    case "DROP":
      if word(1) == "INDEX", word(2) == "CONCURRENTLY" { return .forbidden }
      return word(1) == "DATABASE" || word(1) == "TABLESPACE" ? .forbidden : .allowed
    case "REINDEX":
      let forbidden = words.contains {
        ["CONCURRENTLY", "SCHEMA", "DATABASE", "SYSTEM"].contains($0)
      }
      return forbidden ? .forbidden : .allowed
    case "ALTER":
      if word(1) == "SYSTEM" { return .forbidden }
      guard word(1) == "TABLE", let detach = words.firstIndex(of: "DETACH") else {
        return .allowed
      }
      return words[detach...].contains("CONCURRENTLY") ? .forbidden : .allowed
    case "CLUSTER":
      return words.dropFirst().allSatisfy { $0 == "VERBOSE" } ? .forbidden : .allowed
    default:
      return .allowed
    }
  }

  /// Classifies a statement handed to a tracer and refuses what the tracer cannot run.
  ///
  /// - Parameters:
  ///   - sql: one statement.
  ///   - transactionControl: the message for transaction control, which is always refused.
  ///   - forbidden: the message for a statement that cannot run inside a transaction
  ///     block, or `nil` when the tracer runs such statements outside one.
  /// - Returns: `.allowed`, or `.forbidden` when `forbidden` is `nil`.
  /// - Throws: `DriverError` with SQLSTATE 0A000 for transaction control and 25001 for a
  ///   refused forbidden statement.
  static func classifyForTracing(
    _ sql: String,
    transactionControl: String,
    forbidden: String?
  ) throws(DriverError) -> TransactionBlockRule {
    let rule = classify(sql)
    let refusal: (sqlstate: String, message: String)
    switch rule {
    case .allowed:
      return rule
    case .forbidden:
      guard let forbidden else { return rule }
      refusal = ("25001", forbidden)
    case .transactionControl:
      refusal = ("0A000", transactionControl)
    }
    throw DriverError(
      .statementFailed(sqlstate: refusal.sqlstate),
      message: refusal.message,
      sql: sql,
      sqlstate: refusal.sqlstate
    )
  }

  /// The statement's bare words, uppercased, skipping comments, string literals
  /// (including dollar-quoted ones) and quoted identifiers, which become `"`.
  static func words(_ sql: String) -> [String] {
    let bytes = Array(sql.utf8)
    var words: [String] = []
    var index = 0
    func isWordStart(_ byte: UInt8) -> Bool {
      (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        || byte == UInt8(ascii: "_") || byte >= 0x80
    }
    func isWordByte(_ byte: UInt8) -> Bool {
      isWordStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        || byte == UInt8(ascii: "$")
    }
    func skipQuoted(_ quote: UInt8, backslashEscapes: Bool) {
      index += 1
      while index < bytes.count {
        if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
          index += 2
        } else if bytes[index] == quote {
          index += 1
          guard index < bytes.count, bytes[index] == quote else { return }
          index += 1
        } else {
          index += 1
        }
      }
    }
    while index < bytes.count {
      let byte = bytes[index]
      let next: UInt8 = index + 1 < bytes.count ? bytes[index + 1] : 0
      if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
      } else if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
        var depth = 0
        repeat {
          if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count,
            bytes[index + 1] == UInt8(ascii: "*")
          {
            depth += 1
            index += 2
          } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count,
            bytes[index + 1] == UInt8(ascii: "/")
          {
            depth -= 1
            index += 2
          } else {
            index += 1
          }
        } while depth > 0 && index < bytes.count
      } else if byte == UInt8(ascii: "'") {
        skipQuoted(byte, backslashEscapes: false)
      } else if byte == UInt8(ascii: "\"") {
        skipQuoted(byte, backslashEscapes: false)
        words.append("\"")
      } else if byte == UInt8(ascii: "$") {
        // A dollar quote: `$tag$ … $tag$` (the tag may be empty).
        var end = index + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "$"), isWordByte(bytes[end]) {
          end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else {
          index += 1
          continue
        }
        let tag = bytes[index...end]
        index = end + 1
        while index < bytes.count, !bytes[index...].starts(with: tag) { index += 1 }
        index = min(bytes.count, index + tag.count)
      } else if isWordStart(byte) {
        let start = index
        while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
        let isEscapeString =
          index - start == 1 && (byte | 0x20) == UInt8(ascii: "e") && index < bytes.count
          && bytes[index] == UInt8(ascii: "'")
        if isEscapeString {
          skipQuoted(UInt8(ascii: "'"), backslashEscapes: true)
        } else {
          words.append(String(decoding: bytes[start..<index], as: UTF8.self).uppercased())
        }
      } else {
        index += 1
      }
    }
    return words
  }
}
