import Foundation
import ShiftCore
import ShiftDatabase
import ShiftSQLite
import ShiftSyntax
import ShiftTestSupport
import Testing

/// Checks the SQLite front end against libsqlite3 itself.
///
/// Every statement the splitter produces is prepared alone with `sqlite3_prepare_v2`, which
/// compiles exactly one statement and reports where it ended: SQLite must accept it as a
/// single, complete statement (a statement cut short is "incomplete input", two glued
/// together leave a tail). Statements run in file order on a fresh database file.
@Suite
struct SplitterAgreesWithSQLiteTests {
  static let files: [URL] =
    Fixtures.files(in: "fixtures/sqlite") + Fixtures.files(in: "migrations-examples/sqlite")

  @Test("every statement the splitter produces is one complete SQLite statement", arguments: files)
  func statementsAreWholeAndValid(file: URL) throws {
    let source = SourceFile(path: file.lastPathComponent, bytes: try Fixtures.bytes(file))
    let parsed = SQLParser.parse(source, dialect: .sqlite)
    #expect(parsed.errors.isEmpty, "SafeShift reported \(parsed.errors)")
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("safeshift-\(UUID().uuidString).db").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var connection = try SQLiteConnection(path: path)
    for statement in parsed.statements {
      let sql = source.text(statement.range)
      do {
        let consumed = try connection.executeSingleStatement(sql)
        #expect(consumed >= sql.utf8.count, "SQLite ended the statement early:\n\(sql)")
      } catch {
        let message = error.message.lowercased()
        #expect(
          !message.contains("syntax error") && !message.contains("incomplete input")
            && !message.contains("more than one statement"),
          "SQLite disagrees at \(source.location(at: statement.range.start)): \(error.message)\n\(sql)"
        )
      }
    }
  }

  @Test("the example migration set builds the expected SQLite schema")
  func examplesBuildSchema() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("safeshift-\(UUID().uuidString).db").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var connection = try SQLiteConnection(path: path)
    for file in Fixtures.files(in: "migrations-examples/sqlite") {
      let source = SourceFile(path: file.lastPathComponent, bytes: try Fixtures.bytes(file))
      for statement in SQLParser.parse(source, dialect: .sqlite).statements {
        try connection.executeSingleStatement(source.text(statement.range))
      }
    }
    let columns = try connection.query(
      "SELECT name FROM pragma_table_info('users') ORDER BY cid",
      []
    )
    let names = columns.compactMap { $0.first ?? nil }
    #expect(names.contains("full_name"))
    #expect(!names.contains("first_name"))
    #expect(try connection.query("PRAGMA integrity_check", []) == [["ok"]])
  }

  @Test("values are bound as parameters, never spliced")
  func valuesAreBound() throws {
    var connection = try SQLiteConnection(path: ":memory:")
    try connection.execute("CREATE TABLE t (v text)")
    let hostile = "'); DROP TABLE t; --"
    _ = try connection.query("INSERT INTO t (v) VALUES (?)", [hostile])
    #expect(try connection.query("SELECT v FROM t", []) == [[hostile]])
  }
}
