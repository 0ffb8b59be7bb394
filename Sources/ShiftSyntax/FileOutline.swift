/// What a linter must know about a whole file before it judges the first statement: which
/// transaction blocks roll back, and where indexes are created (a foreign key is indexed
/// when a later statement of the file builds the index).
///
/// ``SQLParser/outline(_:dialect:)`` finds it in a quick pass that splits the whole file but
/// parses only transaction control and `CREATE INDEX`, so a caller can then parse and lint
/// the file statement by statement without holding every statement at once.
public struct FileOutline: Sendable {
  /// The transaction blocks (``Statement/transactionBlock``) holding a `ROLLBACK` or
  /// `ROLLBACK TO SAVEPOINT`.
  public var rollbackBlocks: Set<Int> = []
  /// The `CREATE INDEX` statements with their positions in the file.
  public var indexes: [(position: Int, statement: Statement)] = []
  /// How many statements the file has.
  public var statementCount = 0

  /// An empty outline.
  public init() {}

  /// The outline of already parsed statements.
  public init(statements: [Statement]) {
    for (position, statement) in statements.enumerated() { note(statement, at: position) }
    statementCount = statements.count
  }

  mutating func note(_ statement: Statement, at position: Int) {
    switch statement.kind {
    case .transaction(let control):
      guard let block = statement.transactionBlock else { return }
      switch control {
      case .rollback, .rollbackToSavepoint: rollbackBlocks.insert(block)
      default: break
      }
    case .createIndex:
      indexes.append((position, statement))
    default:
      break
    }
  }
}
