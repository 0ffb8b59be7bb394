import CSQLite3
public import ShiftDatabase

/// A SQLite connection; the only owner of its `sqlite3*`, closed in `deinit`.
public struct SQLiteConnection: ~Copyable, DatabaseSession {
  private let database: OpaquePointer

  /// Opens (creating if needed) a database file, or `:memory:`.
  ///
  /// - Parameters:
  ///   - path: the file, or `:memory:`.
  ///   - busyTimeoutMilliseconds: how long a statement waits for another connection's lock
  ///     before failing with a ``DriverError/Kind/lockTimeout`` error (`SQLITE_BUSY`).
  ///   - readOnly: open an existing file without writing to it (and without creating it).
  /// - Throws: `DriverError` of kind `.connectionFailed` when the file cannot be opened.
  public init(
    path: String,
    busyTimeoutMilliseconds: Int32 = 5_000,
    readOnly: Bool = false
  ) throws(DriverError) {
    var handle: OpaquePointer?
    let flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
    let code = sqlite3_open_v2(path, &handle, flags, nil)
    guard code == SQLITE_OK, let handle else {
      let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
      let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
      // sqlite3_open_v2 may return a handle even on failure; it must still be closed.
      if let handle { sqlite3_close(handle) }
      throw DriverError(
        DriverError.kind(forSQLiteCode: code),
        message: message,
        resultCode: extended
      )
    }
    // sqlite3_busy_timeout installs a handler that sleeps and retries for up to the given
    // milliseconds while another connection holds a conflicting lock, then returns
    // SQLITE_BUSY.
    sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    // Extended result codes (SQLITE_BUSY_SNAPSHOT, SQLITE_CANTOPEN_NOTEMPDIR…) in errors.
    sqlite3_extended_result_codes(handle, 1)
    self.database = handle
    self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
  }

  /// How long a statement waits for another connection's lock before `SQLITE_BUSY`.
  public private(set) var busyTimeoutMilliseconds: Int32

  /// Changes the busy timeout (`0` fails at once when the database is locked).
  public mutating func setBusyTimeout(milliseconds: Int32) {
    sqlite3_busy_timeout(database, milliseconds)
    busyTimeoutMilliseconds = milliseconds
  }

  /// The database's journal mode, lowercased: `wal`, `delete`, `truncate`, `persist`,
  /// `memory` or `off` (`PRAGMA journal_mode`).
  ///
  /// In WAL mode readers see the last committed data while a writer works; in the
  /// rollback-journal modes a committing writer locks readers out.
  public mutating func journalMode() throws(DriverError) -> String {
    let rows = try query("PRAGMA journal_mode", [])
    return (rows.first?.first ?? nil)?.lowercased() ?? "delete"
  }

  /// The one funnel from a SQLite result code to a typed error, with the connection's
  /// message and extended code.
  private func error(_ code: Int32, sql: String?, message: String? = nil) -> DriverError {
    let extended = sqlite3_extended_errcode(database)
    // The extended code belongs to the last failing call; keep it only when it matches.
    let resultCode = extended & 0xFF == code & 0xFF ? extended : code
    return DriverError(
      DriverError.kind(forSQLiteCode: code),
      message: message ?? lastError,
      sql: sql,
      resultCode: resultCode
    )
  }

  deinit { sqlite3_close_v2(database) }

  private var lastError: String { String(cString: sqlite3_errmsg(database)) }

  public mutating func execute(_ sql: String) throws(DriverError) {
    var errorMessage: UnsafeMutablePointer<CChar>?
    let code = sqlite3_exec(database, sql, nil, nil, &errorMessage)
    if code != SQLITE_OK {
      let message = errorMessage.map { String(cString: $0) } ?? lastError
      sqlite3_free(errorMessage)
      throw error(code, sql: sql, message: message)
    }
  }

  /// Prepares and runs exactly one statement; text after the first statement (other than
  /// whitespace and comments) is an error, so callers learn where SQLite's statement ends.
  ///
  /// - Returns: the number of bytes of `sql` that SQLite consumed as the statement.
  @discardableResult
  public mutating func executeSingleStatement(_ sql: String) throws(DriverError) -> Int {
    var statement: OpaquePointer?
    var consumed = 0
    let code = sql.withCString { start -> Int32 in
      var tail: UnsafePointer<CChar>?
      // sqlite3_prepare_v2 compiles only the first statement and points pzTail at the rest.
      let code = sqlite3_prepare_v2(database, start, -1, &statement, &tail)
      if let tail { consumed = start.distance(to: tail) }
      return code
    }
    guard code == SQLITE_OK else { throw error(code, sql: sql) }
    guard let statement else { return consumed }  // only whitespace or comments
    defer { sqlite3_finalize(statement) }
    let rest = sql.utf8.dropFirst(consumed)
    if !Self.isBlank(rest) {
      throw DriverError(
        .sqliteError(code: SQLITE_MISUSE),
        message: "more than one statement in the text",
        sql: sql,
        resultCode: SQLITE_MISUSE
      )
    }
    while true {
      let step = sqlite3_step(statement)
      if step == SQLITE_DONE { return consumed }
      guard step == SQLITE_ROW else { throw error(step, sql: sql) }
    }
  }

  /// Runs one statement like ``executeSingleStatement(_:)`` and returns the counters SQLite
  /// kept for it (`sqlite3_stmt_status`): steps of full table scans
  /// (`SQLITE_STMTSTATUS_FULLSCAN_STEP`, nested statements of DDL included, as SQLite
  /// compiles them into the same program) and virtual machine steps.
  ///
  /// - Parameter sql: one statement.
  /// - Returns: the counters.
  /// - Throws: `DriverError` with SQLite's result code.
  public mutating func executeMeasured(_ sql: String) throws(DriverError) -> (
    fullScanSteps: Int, virtualMachineSteps: Int
  ) {
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v2(database, sql, -1, &statement, nil)
    guard code == SQLITE_OK else {
      throw DriverError(.sqliteError(code: code), message: lastError, sql: sql)
    }
    guard let statement else { return (0, 0) }
    defer { sqlite3_finalize(statement) }
    while true {
      let step = sqlite3_step(statement)
      if step == SQLITE_DONE { break }
      guard step == SQLITE_ROW else {
        throw DriverError(.sqliteError(code: step), message: lastError, sql: sql)
      }
    }
    return (
      Int(sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)),
      Int(sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 0))
    )
  }

  /// The SQLite library's version number (`3040001` for 3.40.1).
  public static var libraryVersionNumber: Int32 { sqlite3_libversion_number() }

  /// Whether the connection holds a write transaction on `main` (`sqlite3_txn_state` is
  /// `SQLITE_TXN_WRITE`): from then until it ends, no other connection can write.
  public var isInWriteTransaction: Bool {
    sqlite3_txn_state(database, "main") == SQLITE_TXN_WRITE
  }

  private static func isBlank(_ bytes: Substring.UTF8View) -> Bool {
    var iterator = bytes.makeIterator()
    var inLineComment = false
    var previous: UInt8 = 0
    while let byte = iterator.next() {
      if inLineComment {
        if byte == 0x0A { inLineComment = false }
        continue
      }
      if byte == UInt8(ascii: "-"), previous == UInt8(ascii: "-") {
        inLineComment = true
        continue
      }
      if byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09, byte != UInt8(ascii: ";"),
        byte != UInt8(ascii: "-")
      {
        return false
      }
      previous = byte
    }
    return true
  }

  public mutating func query(_ sql: String, _ parameters: [String?]) throws(DriverError)
    -> [[String?]]
  {
    var statement: OpaquePointer?
    let prepared = sqlite3_prepare_v2(database, sql, -1, &statement, nil)
    guard prepared == SQLITE_OK, let statement else { throw error(prepared, sql: sql) }
    defer { sqlite3_finalize(statement) }
    for (offset, value) in parameters.enumerated() {
      let position = Int32(offset + 1)
      let code: Int32
      if let value {
        code = sqlite3_bind_text(statement, position, value, -1, Self.transient)
      } else {
        code = sqlite3_bind_null(statement, position)
      }
      guard code == SQLITE_OK else { throw error(code, sql: sql) }
    }
    var rows: [[String?]] = []
    while true {
      let step = sqlite3_step(statement)
      if step == SQLITE_DONE { break }
      guard step == SQLITE_ROW else { throw error(step, sql: sql) }
      let columns = sqlite3_column_count(statement)
      var row: [String?] = []
      for column in 0..<columns {
        if let text = sqlite3_column_text(statement, column) {
          row.append(String(cString: text))
        } else {
          row.append(nil)
        }
      }
      rows.append(row)
    }
    return rows
  }

  /// `SQLITE_TRANSIENT` is a cast macro that Swift cannot import: -1 as a destructor
  /// tells SQLite to copy the bound bytes before `sqlite3_bind_text` returns.
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
