import ShiftDatabase
import ShiftPostgres
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
}
