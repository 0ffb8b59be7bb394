public import ShiftSchema
public import ShiftSyntax

/// The `CREATE INDEX` statements of a file by table, found once per file so rules that look
/// ahead for an index do not scan the rest of the file for every statement.
public struct IndexLookahead: Sendable {
  /// One plain (non-partial) index of a file.
  private struct Entry: Sendable {
    /// The statement's position in the file.
    var position: Int
    /// The normalized leading columns, up to the first element that is not a column.
    var leadingColumns: [String]
  }

  /// Entries by normalized table name (without schema), in file order.
  private var entries: [String: [Entry]] = [:]

  /// Collects the plain indexes of `statements`, normalizing names as `catalog` does.
  public init(statements: [Statement], catalog: Catalog) {
    self.init(indexes: statements.enumerated().map { ($0.offset, $0.element) }, catalog: catalog)
  }

  /// Collects the plain indexes among `indexes` (statements with their positions in the
  /// file, such as ``FileOutline/indexes``), normalizing names as `catalog` does.
  public init(indexes: [(position: Int, statement: Statement)], catalog: Catalog) {
    for (position, statement) in indexes {
      guard case .createIndex(let index) = statement.kind, index.predicate == nil else {
        continue
      }
      var leading: [String] = []
      for element in index.elements {
        guard let column = element.column else { break }
        leading.append(catalog.normalize(column))
      }
      entries[catalog.normalize(index.table.name), default: []].append(
        Entry(position: position, leadingColumns: leading)
      )
    }
  }

  /// Whether a statement after `position` creates an index on `table` (normalized name)
  /// whose leading columns are exactly `columns`, in any order.
  public func hasIndex(on table: String, leading columns: Set<String>, after position: Int)
    -> Bool
  {
    guard let candidates = entries[table] else { return false }
    for entry in candidates
    where entry.position > position && entry.leadingColumns.count >= columns.count {
      if Set(entry.leadingColumns.prefix(columns.count)) == columns { return true }
    }
    return false
  }
}
