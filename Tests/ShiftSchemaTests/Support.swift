import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Replays `sql` (one file) into an empty catalog of `dialect`.
func replay(
  _ sql: String,
  dialect: Dialect = .postgres,
  path: String = "test.sql"
) -> (catalog: Catalog, notes: [[Assumption]]) {
  var builder = CatalogBuilder(dialect: dialect)
  let file = SQLParser.parse(sql, dialect: dialect, path: path)
  let notes = builder.replay(file)
  return (builder.catalog, notes)
}

/// Replays several files in order.
func replay(files: [(path: String, sql: String)], dialect: Dialect = .postgres) -> Catalog {
  Catalog.replay(files.map { SQLParser.parse($0.sql, dialect: dialect, path: $0.path) })
}

/// The catalog after `sql`.
func catalog(_ sql: String, dialect: Dialect = .postgres) -> Catalog {
  replay(sql, dialect: dialect).catalog
}

/// Every note of `sql`, flattened.
func notes(_ sql: String, dialect: Dialect = .postgres) -> [Assumption] {
  replay(sql, dialect: dialect).notes.flatMap(\.self)
}

/// An expression parsed in `dialect` (as the value of an UPDATE assignment).
func expression(_ text: String, dialect: Dialect = .postgres) -> Expression {
  let file = SQLParser.parse("UPDATE t SET c = \(text)", dialect: dialect)
  guard case .dataChange(let change)? = file.statements.first?.kind,
    let value = change.assignments.first?.value
  else { fatalError("could not parse expression \(text): \(file.errors)") }
  return value
}

extension Catalog {
  /// Constraint names of a table, in order.
  func constraintNames(_ table: String) -> [String] {
    constraints(on: table).compactMap(\.name)
  }

  /// Index names of a table, in order.
  func indexNames(_ table: String) -> [String] {
    indexes(on: table).map(\.name)
  }
}
