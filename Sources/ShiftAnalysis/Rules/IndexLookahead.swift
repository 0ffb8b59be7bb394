public import ShiftSchema
public import ShiftSyntax

/// The `CREATE INDEX` statements of a file by table, found once per file so rules that look
/// ahead for an index do not scan the rest of the file for every statement.
public struct IndexLookahead: Sendable {
  /// A table and a set of leading columns an index covers.
  private struct Key: Hashable, Sendable {
    /// The normalized table name (without schema).
    var table: String
    /// The first columns of the index, sorted (their order does not matter here).
    var columns: [String]
  }

  /// For each table and each prefix of an index's leading columns, the last position in the
  /// file of an index starting with those columns: "is there one after position p" is then
  /// one lookup, however many indexes the file creates.
  private var lastPosition: [Key: Int] = [:]

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
      let table = catalog.normalize(index.table.name)
      for count in 1...max(1, leading.count) where count <= leading.count {
        let key = Key(table: table, columns: leading.prefix(count).sorted())
        lastPosition[key] = max(lastPosition[key] ?? position, position)
      }
    }
  }

  /// Whether a statement after `position` creates an index on `table` (normalized name)
  /// whose leading columns are exactly `columns`, in any order.
  public func hasIndex(on table: String, leading columns: Set<String>, after position: Int)
    -> Bool
  {
    guard !columns.isEmpty, let last = lastPosition[Key(table: table, columns: columns.sorted())]
    else { return false }
    return last > position
  }
}
