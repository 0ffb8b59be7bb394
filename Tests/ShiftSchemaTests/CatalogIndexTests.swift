import Foundation
import ShiftCore
import ShiftSyntax
import ShiftTestSupport
import Testing

@testable import ShiftSchema

/// The catalog answers "who refers to this table" from reverse indexes it keeps up to date
/// on every change. After replaying real migrations, each index must say exactly what a
/// scan of the whole catalog finds.
@Suite struct CatalogIndexTests {
  static let directories = ["fixtures/postgres", "migrations-examples/postgres"]

  @Test(arguments: directories)
  func reverseIndexesMatchAScanAfterEveryStatement(_ directory: String) throws {
    var builder = CatalogBuilder(dialect: .postgres)
    for url in Fixtures.files(in: directory) {
      let source = SourceFile(path: url.lastPathComponent, bytes: try Fixtures.bytes(url))
      builder.replay(SQLParser.parse(source, dialect: .postgres)) { _, _, catalog in
        Self.check(catalog)
      }
    }
    Self.check(builder.catalog)
  }

  @Test func renamesDropsAndMovesKeepTheIndexes() {
    var builder = CatalogBuilder(dialect: .postgres)
    let sql = """
      CREATE SCHEMA archive;
      CREATE TABLE parent (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, code serial UNIQUE);
      CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id));
      CREATE TABLE events (at date NOT NULL, parent_id bigint) PARTITION BY RANGE (at);
      CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE special () INHERITS (parent);
      CREATE VIEW parent_codes AS SELECT id, code FROM parent;
      ALTER TABLE parent RENAME TO ancestor;
      ALTER TABLE ancestor RENAME COLUMN code TO label;
      ALTER TABLE ancestor SET SCHEMA archive;
      ALTER TABLE events RENAME TO happenings;
      ALTER TABLE archive.ancestor DROP COLUMN label;
      DROP TABLE happenings CASCADE;
      ALTER SCHEMA archive RENAME TO vault;
      """
    builder.replay(SQLParser.parse(sql, dialect: .postgres)) { _, _, catalog in
      Self.check(catalog)
    }
    let catalog = builder.catalog
    Self.check(catalog)
    let ancestor = ObjectName(schema: "vault", name: "ancestor")
    #expect(catalog.table(named: ancestor) != nil)
    #expect(catalog.tablesReferencing(ancestor).map(\.name) == ["child"])
    #expect(catalog.childTables(of: ancestor).map(\.name) == ["special"])
    #expect(catalog.views(referencing: ancestor).map(\.name) == ["parent_codes"])
    // The identity sequence moved with the table; the serial's went with its column.
    #expect(catalog.sequences(ownedBy: ancestor).count == 1)
    #expect(catalog.childTables(of: ObjectName(schema: "public", name: "happenings")).isEmpty)
  }

  /// Compares every reverse index of `catalog` with a scan.
  static func check(_ catalog: Catalog, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for (key, table) in catalog.tables {
      for index in table.indexes {
        #expect(
          catalog.indexOwner(index.name, in: key.schema) == key,
          "owner of index \(index.name)",
          sourceLocation: sourceLocation
        )
      }
      for name in table.constraints.compactMap(\.name) {
        #expect(
          catalog.constraintExists(name, in: key.schema),
          "constraint \(name) of \(key)",
          sourceLocation: sourceLocation
        )
      }
    }
    for key in Set(catalog.tables.keys).union(catalog.views.keys) {
      let referencing = catalog.tables.values.filter { table in
        table.constraints.contains { $0.kind == .foreignKey && $0.reference?.table == key }
      }.map(\.name)
      #expect(
        Set(catalog.tablesReferencing(key)) == Set(referencing),
        "tables referencing \(key)",
        sourceLocation: sourceLocation
      )
      let children = catalog.tables.values.filter {
        $0.partitionParent == key || $0.inherits.contains(key)
      }.map(\.name)
      #expect(
        catalog.childTables(of: key) == children.sorted(),
        "children of \(key)",
        sourceLocation: sourceLocation
      )
      let readers = catalog.views.values.filter { $0.referencedRelations.contains(key) }.map(\.name)
      #expect(
        catalog.views(referencing: key) == readers.sorted(),
        "views reading \(key)",
        sourceLocation: sourceLocation
      )
      let owned = catalog.sequences.values.filter { $0.ownedBy?.table == key }.map(\.name)
      #expect(
        catalog.sequences(ownedBy: key) == owned.sorted(),
        "sequences owned by \(key)",
        sourceLocation: sourceLocation
      )
    }
  }
}
