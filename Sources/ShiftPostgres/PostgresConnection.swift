import CLibPQ
public import ShiftDatabase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A libpq connection; the only owner of its `PGconn*`, closed in `deinit`.
public struct PostgresConnection: ~Copyable, DatabaseSession {
  private let connection: OpaquePointer
  private let notices: NoticeLog

  /// Connects with a URL (`postgres://…`) or a key/value string, honouring libpq's
  /// environment variables and `.pgpass`.
  ///
  /// - Throws: `DriverError` of kind `.connectionFailed`; its message never contains the
  ///   connection string.
  public init(connectingTo connectionString: String) throws(DriverError) {
    // PQconnectdb always returns a connection object (NULL only when out of memory),
    // which must be freed with PQfinish even when the connection failed.
    try self.init(handle: PQconnectdb(connectionString))
  }

  /// Connects like ``init(connectingTo:)`` but to another database of the same server: every
  /// setting of `connectionString` (host, port, user, password, TLS, …) except the database.
  ///
  /// - Parameters:
  ///   - connectionString: a URL or key/value string naming the server.
  ///   - database: the database to open instead of the one `connectionString` names.
  /// - Throws: `DriverError` of kind `.connectionFailed`, without the connection string.
  public init(connectingTo connectionString: String, database: String) throws(DriverError) {
    // PQconnectdbParams with expand_dbname = 1 expands only the first `dbname` value as a
    // connection string; later keywords override what it set ("when key words are
    // repeated, the last processed value is retained").
    let keywords = ["dbname", "dbname"]
    let values = [connectionString, database]
    let handle = Self.withCStrings(keywords) { keys in
      Self.withCStrings(values) { vals in
        (keys + [nil]).withUnsafeBufferPointer { keyPointer in
          (vals + [nil]).withUnsafeBufferPointer { valuePointer in
            PQconnectdbParams(keyPointer.baseAddress, valuePointer.baseAddress, 1)
          }
        }
      }
    }
    try self.init(handle: handle)
  }

  private init(handle: OpaquePointer?) throws(DriverError) {
    guard let handle else {
      throw DriverError(.connectionFailed, message: "out of memory creating a connection")
    }
    guard PQstatus(handle) == CONNECTION_OK else {
      let message = Self.lastError(handle)
      PQfinish(handle)
      throw DriverError(.connectionFailed, message: ConnectionString.redacted(message))
    }
    // libpq prints NOTICE/WARNING messages to stderr unless a receiver is installed;
    // migrations raise many (IF EXISTS skips, cascades). They are kept for the caller.
    // The receiver gets the PGresult of the notice, valid only during the call.
    let log = NoticeLog()
    PQsetNoticeReceiver(
      handle,
      { argument, result in
        guard let argument, let result else { return }
        let log = Unmanaged<NoticeLog>.fromOpaque(argument).takeUnretainedValue()
        func field(_ code: Int32) -> String {
          PQresultErrorField(result, code).map { String(cString: $0) } ?? ""
        }
        log.append(
          PostgresNotice(
            severity: field(SAFESHIFT_PG_DIAG_SEVERITY_NONLOCALIZED),
            sqlstate: field(SAFESHIFT_PG_DIAG_SQLSTATE),
            message: field(SAFESHIFT_PG_DIAG_MESSAGE_PRIMARY)
          )
        )
      },
      Unmanaged.passUnretained(log).toOpaque()
    )
    self.connection = handle
    self.notices = log
  }

  // PQfinish frees the connection, after which libpq calls the receiver no more; the log
  // (kept alive by this struct until here) can then go.
  deinit { PQfinish(connection) }

  /// The notices received since the last call, oldest first (at most 1,000 are kept).
  public mutating func takeNotices() -> [PostgresNotice] {
    let entries = notices.entries
    notices.entries = []
    return entries
  }

  /// A handle that cancels the statement this connection is running, usable from another
  /// task while this one waits; `nil` if libpq cannot make one.
  public func makeCanceller() -> PostgresCanceller? {
    PostgresCanceller(connection)
  }

  /// Whether the session can still run statements.
  ///
  /// False once the server ended it (`pg_terminate_backend`, shutdown, network loss), after
  /// which every call fails with ``DriverError/Kind/connectionLost``. libpq's `PQstatus`
  /// reports the state it last saw, without a round trip.
  public var isUsable: Bool { PQstatus(connection) == CONNECTION_OK }

  /// The server's version number (`150018` for 15.18).
  public var serverVersion: Int { Int(PQserverVersion(connection)) }

  private static func lastError(_ handle: OpaquePointer) -> String {
    guard let message = PQerrorMessage(handle) else { return "unknown libpq error" }
    return String(cString: message).trimmingNewlines()
  }

  public mutating func execute(_ sql: String) throws(DriverError) {
    try withResult(sql, parameters: []) { _ in }
  }

  /// Runs exactly one statement through the extended query protocol, which rejects text
  /// holding more than one statement (SQLSTATE 42601), unlike ``execute(_:)``.
  public mutating func executeSingleStatement(_ sql: String) throws(DriverError) {
    try withResult(sql, parameters: [], forceExtended: true) { _ in }
  }

  public mutating func query(_ sql: String, _ parameters: [String?]) throws(DriverError)
    -> [[String?]]
  {
    try withResult(sql, parameters: parameters, forceExtended: true) { result in
      let rows = Int(PQntuples(result))
      let columns = Int(PQnfields(result))
      var values: [[String?]] = []
      values.reserveCapacity(rows)
      for row in 0..<rows {
        var line: [String?] = []
        for column in 0..<columns {
          if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
            line.append(nil)
          } else {
            line.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
          }
        }
        values.append(line)
      }
      return values
    }
  }

  /// Runs `sql` and hands the result to `body`; the `PGresult*` never escapes and is
  /// cleared on every path.
  private func withResult<R>(
    _ sql: String,
    parameters: [String?],
    forceExtended: Bool = false,
    _ body: (OpaquePointer) throws(DriverError) -> R
  ) throws(DriverError) -> R {
    let result: OpaquePointer?
    if parameters.isEmpty, !forceExtended {
      // PQexec allows several statements separated by semicolons.
      result = PQexec(connection, sql)
    } else {
      result = Self.withCStrings(parameters) { pointers in
        PQexecParams(connection, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
      }
    }
    guard let result else {
      throw DriverError(.connectionLost, message: Self.lastError(connection), sql: sql)
    }
    defer { PQclear(result) }
    let status = PQresultStatus(result)
    if status == PGRES_COPY_IN || status == PGRES_COPY_OUT {
      Self.abandonCopy(connection, status: status)
      throw DriverError(
        .statementFailed(sqlstate: "0A000"),
        message: "COPY FROM STDIN / TO STDOUT is not supported through this session",
        sql: sql,
        sqlstate: "0A000"
      )
    }
    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
      throw Self.error(from: result, connection: connection, sql: sql)
    }
    return try body(result)
  }

  /// Leaves COPY mode so the connection stays usable: libpq requires ending the copy
  /// (`PQputCopyEnd` with an error message makes the server abort it) or draining the
  /// rows, then reading results until `PQgetResult` returns NULL.
  private static func abandonCopy(_ connection: OpaquePointer, status: ExecStatusType) {
    if status == PGRES_COPY_IN {
      _ = PQputCopyEnd(connection, "copy data is not supported here")
    } else {
      var buffer: UnsafeMutablePointer<CChar>?
      while PQgetCopyData(connection, &buffer, 0) > 0 {
        PQfreemem(buffer)
        buffer = nil
      }
    }
    while let next = PQgetResult(connection) { PQclear(next) }
  }

  private static func error(from result: OpaquePointer, connection: OpaquePointer, sql: String)
    -> DriverError
  {
    let sqlstate = PQresultErrorField(result, SAFESHIFT_PG_DIAG_SQLSTATE).map {
      String(cString: $0)
    }
    let primary = PQresultErrorField(result, SAFESHIFT_PG_DIAG_MESSAGE_PRIMARY).map {
      String(cString: $0)
    }
    let message = primary ?? lastError(connection)
    guard let sqlstate else {
      return DriverError(.connectionLost, message: message, sql: sql)
    }
    // A FATAL error ends the session whatever its SQLSTATE; libpq then marks the
    // connection CONNECTION_BAD.
    let kind: DriverError.Kind =
      PQstatus(connection) == CONNECTION_BAD
      ? .connectionLost : DriverError.kind(forSQLState: sqlstate)
    return DriverError(
      kind,
      message: message,
      sql: sql,
      sqlstate: sqlstate
    )
  }

  private static func withCStrings<R>(
    _ values: [String?],
    _ body: ([UnsafePointer<CChar>?]) -> R
  ) -> R {
    var storage: [UnsafeMutablePointer<CChar>?] = values.map { value in value.map { strdup($0) } }
    defer { for pointer in storage { free(pointer) } }
    let pointers = storage.map { $0.map { UnsafePointer($0) } }
    storage.reserveCapacity(storage.count)
    return body(pointers)
  }
}

extension String {
  fileprivate func trimmingNewlines() -> String {
    var text = Substring(self)
    while let last = text.last, last == "\n" || last == "\r" || last == " " { text.removeLast() }
    return String(text)
  }
}

extension PostgresConnection {
  /// Whether the session is idle outside a transaction block (libpq's `PQTRANS_IDLE`):
  /// `PQtransactionStatus` reports the state libpq last saw from the server, without a
  /// round trip.
  var isIdle: Bool { PQtransactionStatus(connection) == PQTRANS_IDLE }
}
