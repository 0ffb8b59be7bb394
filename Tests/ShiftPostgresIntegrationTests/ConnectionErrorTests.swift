import Foundation
import ShiftDatabase
import ShiftPostgres
import Synchronization
import Testing

/// The error paths of a PostgreSQL session against the real server: each gives its typed
/// kind, and no error text ever contains a password.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct ConnectionErrorTests {
  /// Every way an error can be printed.
  static func texts(_ error: DriverError) -> [String] {
    [String(describing: error), String(reflecting: error), error.message, error.sql ?? ""]
  }

  struct BadURL: Sendable, CustomTestStringConvertible {
    let url: String
    let secret: String
    var testDescription: String { ConnectionString.redacted(url) }
  }

  static let badURLs: [BadURL] = [
    BadURL(url: "postgresql://u:Secret-Port-1@127.0.0.1:notaport/db", secret: "Secret-Port-1"),
    BadURL(url: "postgresql://u:Secret-Pct-2@127.0.0.1/d%zzb", secret: "Secret-Pct-2"),
    BadURL(url: "postgresql://u:Secret-Ssl-3@127.0.0.1/db?sslmode=bogus", secret: "Secret-Ssl-3"),
    BadURL(url: "postgresql://u:Secret-Opt-4@127.0.0.1/db?nosuchoption=1", secret: "Secret-Opt-4"),
    BadURL(url: "host=127.0.0.1 password=Secret-KV-5 port", secret: "Secret-KV-5"),
    BadURL(url: "host=127.0.0.1 password='Secret KV 6", secret: "Secret KV 6"),
  ]

  @Test(
    "a malformed URL fails to connect, naming the problem but not the password",
    .timeLimit(.minutes(1)),
    arguments: badURLs
  )
  func badURLSyntax(_ testCase: BadURL) {
    let error = #expect(throws: DriverError.self) {
      _ = try PostgresConnection(connectingTo: testCase.url)
    }
    #expect(error?.kind == .connectionFailed)
    #expect(error.map { !$0.message.isEmpty } == true)
    for text in error.map(Self.texts) ?? [] {
      #expect(!text.contains(testCase.secret), "\(text)")
    }
  }

  @Test("a wrong password is an authentication failure that never shows either password")
  func wrongPassword() throws {
    let url = try #require(
      TestDatabase.passwordURL,
      "SAFESHIFT_TEST_PASSWORD_DATABASE_URL is not set; run the suite with Scripts/test.sh"
    )
    // The right password works…
    var connection = try PostgresConnection(connectingTo: url)
    #expect(try connection.query("SELECT current_user", []) == [["safeshift_password_user"]])
    // …a wrong one does not.
    let scheme = try #require(url.range(of: "://"))
    let colon = try #require(url.range(of: ":", range: scheme.upperBound..<url.endIndex))
    let at = try #require(url.range(of: "@"))
    let right = String(url[colon.upperBound..<at.lowerBound])
    let wrongPassword = "Wr0ng-Pa55word"
    let wrong = url.replacingCharacters(in: colon.upperBound..<at.lowerBound, with: wrongPassword)
    let error = #expect(throws: DriverError.self) {
      _ = try PostgresConnection(connectingTo: wrong)
    }
    #expect(error?.kind == .connectionFailed)
    for text in error.map(Self.texts) ?? [] {
      #expect(!text.contains(wrongPassword), "\(text)")
      #expect(!text.contains(right), "\(text)")
    }
    // No password at all, with no .pgpass entry: also a failure, not a hang.
    let none = url.replacingCharacters(in: colon.lowerBound..<at.lowerBound, with: "")
    let missing = #expect(throws: DriverError.self) {
      let separator = none.contains("?") ? "&" : "?"
      _ = try PostgresConnection(connectingTo: none + separator + "passfile=/nonexistent")
    }
    #expect(missing?.kind == .connectionFailed)
  }

  @Test(
    "a backend terminated mid-statement is a lost connection, and the session says so",
    .timeLimit(.minutes(1))
  )
  func serverGoneMidStatement() throws {
    let url = try #require(TestDatabase.url)
    var connection = try TestDatabase.connect()
    let pid = try #require(try connection.query("SELECT pg_backend_pid()::text", []).first?[0])
    let usableBefore = connection.isUsable
    #expect(usableBefore)
    // A dedicated thread, not a task: this thread is blocked inside libpq meanwhile.
    let terminated = Mutex<String?>(nil)
    let thread = Thread {
      Thread.sleep(forTimeInterval: 0.3)
      do {
        var other = try PostgresConnection(connectingTo: url)
        let rows = try other.query("SELECT pg_terminate_backend($1::int)::text", [pid])
        terminated.withLock { $0 = rows.first?[0] ?? nil }
      } catch {
        terminated.withLock { $0 = "\(error)" }
      }
    }
    thread.start()
    let start = ContinuousClock.now
    let error = #expect(throws: DriverError.self) { try connection.execute("SELECT pg_sleep(20)") }
    #expect(error?.kind == .connectionLost, "\(String(describing: error))")
    #expect(ContinuousClock.now - start < .seconds(10))
    while terminated.withLock({ $0 }) == nil { Thread.sleep(forTimeInterval: 0.05) }
    #expect(terminated.withLock { $0 } == "true")
    let usableAfter = connection.isUsable
    #expect(!usableAfter)
    let after = #expect(throws: DriverError.self) { _ = try connection.query("SELECT 1", []) }
    #expect(after?.kind == .connectionLost)
  }

  @Test(
    "a lock held by another session gives lock_not_available after lock_timeout",
    .timeLimit(.minutes(1))
  )
  func lockTimeout() throws {
    var setup = try TestDatabase.connect()
    try setup.execute(
      "DROP TABLE IF EXISTS connection_lock_probe; CREATE TABLE connection_lock_probe (id int)"
    )
    defer { try? setup.execute("DROP TABLE IF EXISTS connection_lock_probe") }
    var holder = try TestDatabase.connect()
    try holder.execute("BEGIN; LOCK TABLE connection_lock_probe IN ACCESS EXCLUSIVE MODE")
    var waiter = try TestDatabase.connect()
    try waiter.execute("SET lock_timeout = '300ms'")
    let start = ContinuousClock.now
    let error = #expect(throws: DriverError.self) {
      _ = try waiter.query("SELECT count(*) FROM connection_lock_probe", [])
    }
    let waited = ContinuousClock.now - start
    #expect(error?.kind == .lockTimeout)
    #expect(error?.sqlstate == "55P03")
    #expect(waited >= .milliseconds(250), "gave up after \(waited)")
    #expect(waited < .seconds(10))
    // The waiter's session survives the error; once the holder is done it reads.
    let usable = waiter.isUsable
    #expect(usable)
    try holder.execute("ROLLBACK")
    #expect(try waiter.query("SELECT count(*) FROM connection_lock_probe", []) == [["0"]])
  }
}
