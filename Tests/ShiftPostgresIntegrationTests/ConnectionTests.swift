import Foundation
import ShiftDatabase
import ShiftPostgres
import Synchronization
import Testing

@Suite(.enabled(if: TestDatabase.isAvailable))
struct ConnectionTests {
  @Test("the test server is reachable and reports its version", .timeLimit(.minutes(1)))
  func serverIsReachable() throws {
    var connection = try TestDatabase.connect()
    #expect(connection.serverVersion >= 100_000)
    let rows = try connection.query("SELECT $1::int + 1", ["41"])
    #expect(rows == [["42"]])
  }

  @Test("values are bound, never spliced", .timeLimit(.minutes(1)))
  func valuesAreBound() throws {
    var connection = try TestDatabase.connect()
    let hostile = "x'); DROP TABLE pg_class; --"
    let rows = try connection.query("SELECT $1::text", [hostile])
    #expect(rows == [[hostile]])
  }

  @Test("SQLSTATEs map to error kinds", .timeLimit(.minutes(1)))
  func sqlstateKinds() throws {
    var connection = try TestDatabase.connect()
    let syntax = #expect(throws: DriverError.self) { try connection.execute("SELEC 1") }
    #expect(syntax?.kind == .syntaxError)
    #expect(syntax?.sqlstate == "42601")
    let missing = #expect(throws: DriverError.self) {
      try connection.execute("SELECT * FROM no_such_table_anywhere")
    }
    #expect(missing?.sqlstate == "42P01")
  }

  @Test("a failed connection never shows the password", .timeLimit(.minutes(1)))
  func passwordIsRedacted() {
    let url = "postgresql://alice:Sup3r-Secret@127.0.0.1:1/nodb?connect_timeout=2"
    let error = #expect(throws: DriverError.self) { _ = try PostgresConnection(connectingTo: url) }
    #expect(error?.kind == .connectionFailed)
    #expect(error.map { !"\($0)".contains("Sup3r-Secret") } == true)
    #expect(
      ConnectionString.redacted(url) == "postgresql://alice:***@127.0.0.1:1/nodb?connect_timeout=2"
    )
    #expect(
      ConnectionString.redacted("host=db password='a b' user=x") == "host=db password=*** user=x"
    )
  }

  @Test("notices are captured, not printed", .timeLimit(.minutes(1)))
  func noticesAreCaptured() throws {
    var connection = try TestDatabase.connect()
    try connection.execute("DROP TABLE IF EXISTS no_such_table_for_notices")
    let notices = connection.takeNotices()
    #expect(notices.count == 1)
    #expect(notices.first?.severity == "NOTICE")
    #expect(notices.first?.sqlstate == "00000")
    #expect(notices.first?.message.contains("does not exist, skipping") == true)
    #expect(connection.takeNotices().isEmpty)
  }

  @Test("a running statement is cancelled from another thread", .timeLimit(.minutes(1)))
  func cancelFromAnotherThread() throws {
    var connection = try TestDatabase.connect()
    let made = connection.makeCanceller()
    let canceller = try #require(made)
    // A dedicated thread, not a task: the test's own thread is blocked inside libpq, and
    // the cooperative pool may have no other thread free.
    let sent = Mutex(false)
    let thread = Thread {
      Thread.sleep(forTimeInterval: 0.3)
      sent.withLock { $0 = canceller.cancel() }
    }
    thread.start()
    let start = ContinuousClock.now
    let error = #expect(throws: DriverError.self) { try connection.execute("SELECT pg_sleep(20)") }
    #expect(error?.kind == .queryCanceled)
    #expect(error?.sqlstate == "57014")
    #expect(ContinuousClock.now - start < .seconds(10))
    #expect(sent.withLock { $0 })
    // The connection is still usable afterwards.
    #expect(try connection.query("SELECT 1", []) == [["1"]])
  }
}
