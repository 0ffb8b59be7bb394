import ShiftCore
import ShiftSyntax

/// Guesses a migration's dialect when neither the flag nor a config file says.
enum DialectGuess {
  /// SQLite when the path names it or the text uses SQLite-only syntax (PRAGMA,
  /// AUTOINCREMENT, WITHOUT ROWID, `[name]` or backtick identifiers); PostgreSQL otherwise.
  static func guess(path: String, source: SourceFile) -> Dialect {
    let lowered = path.lowercased()
    if lowered.contains("sqlite") { return .sqlite }
    if lowered.contains("postgres") || lowered.contains("/pg/") { return .postgres }
    var sqliteSignals = 0
    var postgresSignals = 0
    var previous = Keyword.none
    source.bytes.withUnsafeBufferPointer { buffer in
      var lexer = Lexer(bytes: buffer, dialect: .postgres)
      var count = 0
      while let token = lexer.next(), count < 20_000 {
        count += 1
        switch token.kind {
        case .word:
          switch token.keyword {
          case .pragma, .autoincrement: sqliteSignals += 1
          case .rowid where previous == .without: sqliteSignals += 1
          case .concurrently, .bigserial, .serial, .language: postgresSignals += 1
          default: break
          }
          previous = token.keyword
        case .dollarString: postgresSignals += 1
        case .op where source.bytes[token.start] == UInt8(ascii: "`"): sqliteSignals += 1
        default: break
        }
      }
    }
    return sqliteSignals > postgresSignals ? .sqlite : .postgres
  }
}
