import Foundation
import ShiftCore
import ShiftDatabase
import ShiftSQLite
import ShiftSchema
import ShiftSyntax
import ShiftTestSupport
import Testing

/// Introspecting a SQLite database built by the example migrations gives the catalog
/// that replaying the same migrations gives.
@Suite
struct SQLiteIntrospectionTests {
  /// A comparable description of a catalog, one line per fact (defaults by presence).
  static func facts(_ catalog: Catalog) -> [String] {
    var lines: [String] = []
    for (key, table) in catalog.tables {
      lines.append("table \(key) strict=\(table.isStrict) withoutRowID=\(table.isWithoutRowID)")
      for (position, column) in table.columns.enumerated() {
        lines.append(
          "column \(key) \(position) \(column.name) \(column.type?.description ?? "-") "
            + "notNull=\(column.isNotNull) default=\(column.defaultValue != nil)"
        )
      }
      for constraint in table.constraints {
        let reference = constraint.reference.map { "\($0.table)\($0.columns)" } ?? "-"
        lines.append(
          "constraint \(key) \(constraint.name ?? "-") \(constraint.kind.rawValue) "
            + "\(constraint.columns) references=\(reference)"
        )
      }
      for index in table.indexes {
        lines.append(
          "index \(key) \(index.name) unique=\(index.isUnique) columns=\(index.columns)"
        )
      }
      for trigger in table.triggers {
        lines.append("trigger \(key) \(trigger.name) \(trigger.timing) \(trigger.events)")
      }
      lines.append("referrers \(key) \(catalog.tablesReferencing(key).sorted())")
    }
    for key in catalog.views.keys { lines.append("view \(key)") }
    return lines.sorted()
  }

  @Test("introspection agrees with replaying the example migrations")
  func agreesWithReplay() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("safeshift-\(UUID().uuidString).db").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var connection = try SQLiteConnection(path: path)
    var builder = CatalogBuilder(dialect: .sqlite)
    for file in Fixtures.files(in: "migrations-examples/sqlite") {
      let source = SourceFile(path: file.lastPathComponent, bytes: try Fixtures.bytes(file))
      let parsed = SQLParser.parse(source, dialect: .sqlite)
      for statement in parsed.statements {
        try connection.executeSingleStatement(source.text(statement.range))
      }
      builder.replay(parsed)
    }
    let catalog = try SQLiteIntrospector.catalog(from: &connection)
    let live = Self.facts(catalog)
    let replayed = Self.facts(builder.catalog)
    let missing = replayed.filter { !live.contains($0) }
    let extra = live.filter { !replayed.contains($0) }
    #expect(
      missing.isEmpty && extra.isEmpty,
      "replay only:\n\(missing)\nintrospection only:\n\(extra)"
    )
    #expect(!catalog.tables.isEmpty)
    #expect(catalog.tables.values.allSatisfy { $0.origin == .introspected })
  }
}
