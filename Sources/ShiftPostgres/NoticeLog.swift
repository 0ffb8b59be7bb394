import CLibPQ

/// The NOTICE and WARNING messages a connection received, kept for the caller to read.
///
/// Owned by one ``PostgresConnection`` and written only from libpq's notice receiver, which
/// libpq calls on the thread running the connection's command; so it is used from one task
/// at a time, like the connection itself.
final class NoticeLog {
  /// Severity and primary message of each notice, oldest first.
  var entries: [PostgresNotice] = []

  /// At most this many notices are kept; older ones are dropped.
  static let capacity = 1_000

  func append(_ notice: PostgresNotice) {
    if entries.count >= Self.capacity { entries.removeFirst(entries.count - Self.capacity + 1) }
    entries.append(notice)
  }
}

@available(*, unavailable)
extension NoticeLog: Sendable {}

/// A notice from the server (`NOTICE`, `WARNING`, `INFO` …).
public struct PostgresNotice: Sendable, Hashable {
  /// The non-localized severity (`NOTICE`, `WARNING`).
  public var severity: String
  /// The SQLSTATE (`00000` for plain notices, `01xxx` for warnings).
  public var sqlstate: String
  /// The primary message.
  public var message: String

  /// Creates a notice.
  public init(severity: String, sqlstate: String, message: String) {
    self.severity = severity
    self.sqlstate = sqlstate
    self.message = message
  }
}

/// Asks the server to cancel the statement a connection is running, from any thread.
///
/// Wraps libpq's `PGcancel`, which the libpq documentation states is safe to use from a
/// thread other than the one running the query (`PQcancel` is thread-safe), and which stays
/// valid independently of the connection; so sharing it across tasks is sound.
public final class PostgresCanceller: @unchecked Sendable {
  private let handle: OpaquePointer

  init?(_ connection: OpaquePointer) {
    guard let handle = PQgetCancel(connection) else { return nil }
    self.handle = handle
  }

  deinit { PQfreeCancel(handle) }

  /// Sends the cancel request; `true` when the server got it (the statement may still have
  /// finished first).
  @discardableResult
  public func cancel() -> Bool {
    var buffer = [CChar](repeating: 0, count: 256)
    return PQcancel(handle, &buffer, Int32(buffer.count)) == 1
  }
}
