import Foundation
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftSyntax
import ShiftTestSupport
import Testing

/// Checks the front end against the real PostgreSQL parser.
///
/// Each statement the splitter produces is sent alone through the extended query protocol,
/// which refuses text holding two statements and reports a cut statement as a syntax
/// error (SQLSTATE 42601). So if PostgreSQL reports no 42601, the splitter's boundaries are
/// exactly PostgreSQL's. Statements run in file order in a fresh database, so most also
/// succeed; only 42601 is a disagreement (other errors come after parsing).
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct SplitterAgreesWithPostgresTests {
  static let files: [URL] =
    Fixtures.files(in: "fixtures/postgres") + Fixtures.files(in: "migrations-examples/postgres")

  @Test(
    "every statement the splitter produces is one valid PostgreSQL statement",
    .timeLimit(.minutes(1)),
    arguments: files
  )
  func statementsAreWholeAndValid(file: URL) throws {
    let source = SourceFile(path: file.lastPathComponent, bytes: try Fixtures.bytes(file))
    let parsed = SQLParser.parse(source, dialect: .postgres)
    #expect(
      parsed.errors.isEmpty,
      "SafeShift reported \(parsed.errors) in \(file.lastPathComponent)"
    )
    let name =
      "fx_"
      + String(
        file.deletingPathExtension().lastPathComponent.filter { $0.isLetter || $0.isNumber }.prefix(
          40
        )
      ).lowercased()
    var connection = try PostgresConnection(connectingTo: TestDatabase.createScratchDatabase(name))
    var executed = 0
    for statement in parsed.statements {
      switch statement.kind {
      case .psqlMeta, .copy(_, isFromStdin: true): continue
      default: break
      }
      let sql = source.text(statement.range)
      do {
        try connection.executeSingleStatement(sql)
      } catch {
        #expect(
          error.sqlstate != "42601",
          "PostgreSQL rejects the statement at \(source.location(at: statement.range.start)) of \(file.lastPathComponent) as a syntax error: \(error.message)\n\(sql)"
        )
      }
      executed += 1
    }
    #expect(
      executed > 0
        || parsed.statements.allSatisfy { if case .psqlMeta = $0.kind { true } else { false } }
    )
  }

  struct InvalidCase: Sendable, CustomTestStringConvertible {
    let sql: String
    var testDescription: String { sql }
  }

  static let invalidStatements: [InvalidCase] = [
    "ALTER TABLE users ADD COLUMN",
    "CREATE INDEX ON",
    "ALTER TABLE users ALTER COLUMN email SET NOT",
    "CREATE TABLE t (a int,)",
    "ALTER TABLE users RENAME COLUMN a b",
    "ALTER TABLE users ADD CONSTRAINT c CHECK a > 0",
    "CREATE UNIQUE INDEX i users (email)",
    "UPDATE users SET WHERE id = 1",
    "CREATE TABLE t (a int",
    "ALTER TABLE users DROP",
    "DROP TABLE",
    "ALTER TABLE users ALTER COLUMN email TYPE",
    "CREATE TYPE mood AS ENUM ('a' 'b'",
    "ALTER TYPE mood ADD VALUE",
    "LOCK TABLE users IN SOMETHING MODE",
    "CREATE TRIGGER t BEFORE INSERT ON users",
    "ALTER TABLE users ADD FOREIGN KEY (a) REFERENCES",
    "CREATE INDEX CONCURRENTLY i ON users (",
  ].map(InvalidCase.init)

  @Test(
    "statements PostgreSQL rejects as syntax errors are rejected with a location",
    .timeLimit(.minutes(1)),
    arguments: invalidStatements
  )
  func invalidStatementsAreRejectedByBoth(_ testCase: InvalidCase) throws {
    var connection = try TestDatabase.connect()
    var serverState: String?
    do {
      try connection.executeSingleStatement(testCase.sql)
    } catch {
      serverState = error.sqlstate
    }
    #expect(serverState == "42601", "PostgreSQL did not report a syntax error")
    let parsed = SQLParser.parse(testCase.sql + ";\nSELECT 1;")
    let error = try #require(parsed.errors.first, "SafeShift accepted invalid SQL")
    #expect(error.location.line == 1)
    #expect(parsed.statements.count == 2, "the statement after the error is still parsed")
  }
}
