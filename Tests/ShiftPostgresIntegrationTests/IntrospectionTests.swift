import Foundation
import ShiftCore
import ShiftDatabase
import ShiftSchema
import ShiftSyntax
import ShiftTestSupport
import Testing

@testable import ShiftPostgres

/// Introspecting a database built by the example migrations gives the catalog that
/// replaying the same migrations gives.
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct IntrospectionTests {
  static let directory = "migrations-examples/postgres"

  /// The example files parsed, in order.
  static func parsedExamples() throws -> [ParsedFile] {
    try Fixtures.files(in: directory).map { file in
      SQLParser.parse(
        SourceFile(path: file.lastPathComponent, bytes: try Fixtures.bytes(file)),
        dialect: .postgres
      )
    }
  }

  /// A scratch database with the example migrations applied.
  static func migratedDatabase(_ name: String) throws -> PostgresConnection {
    var connection = try PostgresConnection(
      connectingTo: try TestDatabase.createScratchDatabase(name)
    )
    for file in try parsedExamples() {
      for statement in file.statements {
        try connection.executeSingleStatement(file.source.text(statement.range))
      }
    }
    return connection
  }

  /// A comparable description of a catalog, one line per fact.
  ///
  /// Defaults are compared by presence, the functions they call and whether they are
  /// volatile: the server prints them normalized (`'free'::text` for `'free'`,
  /// `'{}'::jsonb` for `'{}'`), so the expressions themselves differ legitimately.
  static func facts(_ catalog: Catalog) -> [String] {
    var lines: [String] = []
    for (key, table) in catalog.tables {
      lines.append("table \(key) unlogged=\(table.isUnlogged)")
      for (position, column) in table.columns.enumerated() {
        let type = column.type?.description ?? "-"
        let calls = column.defaultValue?.functionCalls.map(\.name.description) ?? []
        lines.append(
          "column \(key) \(position) \(column.name) \(type) notNull=\(column.isNotNull) "
            + "identity=\(column.identity?.rawValue ?? "-") "
            + "default=\(column.defaultValue != nil) calls=\(calls) "
            + "volatile=\(column.defaultVolatility?.isVolatile ?? false)"
        )
      }
      for constraint in table.constraints {
        let reference = constraint.reference.map { "\($0.table)\($0.columns)" } ?? "-"
        lines.append(
          "constraint \(key) \(constraint.name ?? "-") \(constraint.kind.rawValue) "
            + "\(constraint.columns) references=\(reference) valid=\(constraint.isValidated)"
        )
      }
      for index in table.indexes {
        lines.append(
          "index \(key) \(index.name) unique=\(index.isUnique) valid=\(index.isValid) "
            + "columns=\(index.columns) partial=\(index.predicate != nil)"
        )
      }
      for trigger in table.triggers {
        lines.append(
          "trigger \(key) \(trigger.name) \(trigger.timing) \(trigger.events) "
            + "row=\(trigger.isForEachRow) function=\(trigger.function?.description ?? "-")"
        )
      }
      lines.append("referrers \(key) \(catalog.tablesReferencing(key).sorted())")
    }
    for (key, type) in catalog.types {
      lines.append("type \(key) labels=\(type.enumLabels ?? [])")
    }
    for (key, sequence) in catalog.sequences {
      let owner = sequence.ownedBy.map { "\($0.table).\($0.column)" } ?? "-"
      lines.append("sequence \(key) owner=\(owner) identity=\(sequence.isIdentity)")
    }
    for (key, functions) in catalog.functions {
      for function in functions {
        lines.append("function \(key) \(function.volatility.rawValue)")
      }
    }
    for (key, view) in catalog.views {
      lines.append("view \(key) materialized=\(view.isMaterialized)")
    }
    return lines.sorted()
  }

  @Test("introspection agrees with replaying the example migrations")
  func agreesWithReplay() throws {
    var connection = try Self.migratedDatabase("safeshift_introspection")
    let introspected = try PostgresIntrospector.introspect(&connection)
    var builder = CatalogBuilder(dialect: .postgres)
    for file in try Self.parsedExamples() { builder.replay(file) }

    let live = Self.facts(introspected.catalog)
    let replayed = Self.facts(builder.catalog)
    let missing = replayed.filter { !live.contains($0) }
    let extra = live.filter { !replayed.contains($0) }
    #expect(
      missing.isEmpty && extra.isEmpty,
      "replay only:\n\(missing)\nintrospection only:\n\(extra)"
    )
    #expect(introspected.catalog.tables.values.allSatisfy { $0.origin == .introspected })
    #expect(
      introspected.catalog.type(named: "order_status")?.enumLabels
        == ["pending", "paid", "refunded", "shipped", "cancelled"]
    )
    #expect(introspected.serverVersionNumber >= 120_000)
    #expect(!introspected.timeZone.isEmpty)
  }

  @Test("row estimates and sizes appear after ANALYZE")
  func rowEstimates() throws {
    var connection = try Self.migratedDatabase("safeshift_introspection_rows")
    try connection.execute(
      "INSERT INTO accounts (name) SELECT 'a' || g FROM generate_series(1, 500) g"
    )
    try connection.execute("ANALYZE accounts")
    let catalog = try PostgresIntrospector.catalog(from: &connection, schemas: ["public"])
    let accounts = try #require(catalog.table(named: "accounts"))
    #expect(accounts.estimatedRows == 500)
    #expect((accounts.sizeBytes ?? 0) > 0)
    let other = try PostgresIntrospector.catalog(from: &connection, schemas: ["no_such_schema"])
    #expect(other.tables.isEmpty)
  }

  @Test("introspection reads one snapshot and leaves a caller's transaction open")
  func snapshotAndCallerTransaction() throws {
    var connection = try Self.migratedDatabase("safeshift_introspection_snapshot")
    // Idle: the read runs in its own transaction and ends it.
    _ = try PostgresIntrospector.introspect(&connection)
    let isIdle = connection.isIdle
    #expect(isIdle)
    // Inside the caller's transaction: no COMMIT or ROLLBACK of it.
    try connection.execute("BEGIN")
    try connection.execute("CREATE TABLE made_in_transaction (id int)")
    let inside = try PostgresIntrospector.catalog(from: &connection, schemas: ["public"])
    #expect(inside.table(named: "made_in_transaction") != nil)
    try connection.execute("ROLLBACK")
    let after = try PostgresIntrospector.catalog(from: &connection, schemas: ["public"])
    #expect(after.table(named: "made_in_transaction") == nil)
  }

  @Test("a relation dropped during the read is retried, other errors are not")
  func concurrentDropIsRecognized() {
    let dropped = DriverError(
      .statementFailed(sqlstate: "XX000"),
      message: "could not open relation with OID 16384",
      sqlstate: "XX000"
    )
    #expect(PostgresIntrospector.isConcurrentDrop(dropped))
    #expect(
      PostgresIntrospector.isConcurrentDrop(
        DriverError(
          .statementFailed(sqlstate: "42P01"),
          message: "relation does not exist",
          sqlstate: "42P01"
        )
      )
    )
    #expect(
      !PostgresIntrospector.isConcurrentDrop(
        DriverError(
          .statementFailed(sqlstate: "42501"),
          message: "permission denied",
          sqlstate: "42501"
        )
      )
    )
  }
}
