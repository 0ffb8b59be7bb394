public import ShiftCore
public import ShiftSyntax

extension Catalog {
  /// Replays one statement into the catalog.
  ///
  /// Every DDL statement kind is modelled (tables with all `ALTER TABLE` actions, indexes,
  /// types, views, sequences, functions, triggers, schemas, extensions, `SET search_path`);
  /// statements that change no schema (DML, `SELECT`, `COMMENT`, `GRANT`, transaction
  /// control) leave the catalog unchanged. Never throws: a statement that refers to an
  /// unknown object is replayed as if the object existed, and the returned notes say what
  /// was assumed; a statement the database would reject is replayed as far as it makes
  /// sense, and noted.
  ///
  /// Transaction control is not interpreted here (a `ROLLBACK` does not undo anything);
  /// ``CatalogBuilder`` does that.
  /// - Parameters:
  ///   - statement: the parsed statement.
  ///   - origin: where the statement was written; objects it creates get this origin.
  ///   - source: the file the statement was parsed from, when available: it lets the
  ///     catalog read the few details the syntax tree does not keep (`OWNED BY` of
  ///     sequences, `RENAME TO` of `ALTER VIEW/SEQUENCE/FUNCTION`, `DROP IDENTITY`,
  ///     exclusion constraint columns).
  /// - Returns: what had to be assumed, skipped or noted, in statement order.
  @discardableResult
  public mutating func apply(
    _ statement: Statement,
    origin: Origin,
    source: SourceFile? = nil
  ) -> [Assumption] {
    var replayer = Replayer(catalog: Catalog(dialect: dialect), origin: origin, source: source)
    swap(&self, &replayer.catalog)
    replayer.apply(statement)
    swap(&self, &replayer.catalog)
    return replayer.notes
  }

  /// Replays every statement of `file` in order.
  ///
  /// Transaction control is interpreted as ``CatalogBuilder`` does; use the builder for
  /// per-statement notes.
  /// - Parameters:
  ///   - file: the parsed file.
  ///   - isSchemaFile: whether the file is context (`--schema`) rather than a migration.
  /// - Returns: the notes of all statements, in order.
  @discardableResult
  public mutating func apply(_ file: ParsedFile, isSchemaFile: Bool = false) -> [Assumption] {
    var builder = CatalogBuilder(catalog: self)
    let notes = builder.replay(file, isSchemaFile: isSchemaFile).flatMap(\.self)
    self = builder.catalog
    return notes
  }

  /// Replays migration files in order into an empty catalog of their dialect (the first
  /// file's; PostgreSQL when there is none), honouring `ROLLBACK`.
  /// - Parameter files: the parsed files, in the order they run.
  /// - Returns: the catalog after the last file.
  public static func replay(_ files: [ParsedFile]) -> Catalog {
    var builder = CatalogBuilder(dialect: files.first?.dialect ?? .postgres)
    for file in files { builder.replay(file) }
    return builder.catalog
  }
}
