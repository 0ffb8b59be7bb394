public import ShiftCore
public import ShiftSyntax

/// Replays migration files into a ``Catalog`` statement by statement, the way the database
/// would run them: objects get the origin of the statement that created them, `ROLLBACK`
/// (and `ROLLBACK TO SAVEPOINT`) undo what their transaction did, `SET LOCAL search_path`
/// ends with its transaction, and every file starts with the default search path (each
/// file runs in a session of its own).
///
/// ```swift
/// var builder = CatalogBuilder(dialect: .postgres)
/// for file in schemaFiles { builder.replay(file, isSchemaFile: true) }
/// for file in migrations {
///   builder.replay(file) { index, statement, catalogBefore in
///     // judge `statement` against `catalogBefore`
///   }
/// }
/// ```
public struct CatalogBuilder: Sendable {
  /// The catalog after the statements replayed so far.
  public private(set) var catalog: Catalog
  /// The catalog at the start of the open `BEGIN … COMMIT` block, for `ROLLBACK`.
  private var transactionStart: Catalog?
  /// Open savepoints with the catalog at each.
  private var savepoints: [(name: String, catalog: Catalog)] = []
  /// The transaction blocks of the file being replayed that roll back.
  ///
  /// Only blocks with a `ROLLBACK` or `ROLLBACK TO SAVEPOINT` need snapshots; `nil` means
  /// unknown (statements applied one by one), so every block gets one.
  private var blocksWithRollback: Set<Int>?
  /// The search path to restore when the transaction (or file) that ran `SET LOCAL` ends.
  private var searchPathBeforeLocal: [String]?

  /// Creates a builder over an empty catalog.
  public init(dialect: Dialect = .postgres) {
    self.catalog = Catalog(dialect: dialect)
  }

  /// Creates a builder that continues from `catalog`, such as an introspected one.
  public init(catalog: Catalog) {
    self.catalog = catalog
  }

  /// Replays every statement of `file`.
  /// - Parameters:
  ///   - file: the parsed file.
  ///   - isSchemaFile: whether the file is context (`--schema`): objects get a
  ///     `.schemaFile` origin instead of `.migration`.
  /// - Returns: the notes of each statement, parallel to `file.statements`.
  @discardableResult
  public mutating func replay(_ file: ParsedFile, isSchemaFile: Bool = false) -> [[Assumption]] {
    replay(file, isSchemaFile: isSchemaFile) { _, _, _ in }
  }

  /// Replays every statement of `file`, first showing each statement with the catalog as
  /// it is just before the statement runs.
  /// - Parameters:
  ///   - file: the parsed file.
  ///   - isSchemaFile: whether the file is context (`--schema`).
  ///   - visit: called with the statement's index, the statement and the catalog before it.
  /// - Returns: the notes of each statement, parallel to `file.statements`.
  @discardableResult
  public mutating func replay(
    _ file: ParsedFile,
    isSchemaFile: Bool = false,
    _ visit: (Int, Statement, Catalog) -> Void
  ) -> [[Assumption]] {
    beginFile(rollbackBlocks: FileOutline(statements: file.statements).rollbackBlocks)
    var notes: [[Assumption]] = []
    notes.reserveCapacity(file.statements.count)
    for (index, statement) in file.statements.enumerated() {
      visit(index, statement, catalog)
      notes.append(
        replay(statement, at: index, in: file.source, isSchemaFile: isSchemaFile)
      )
    }
    finishFile()
    return notes
  }

  /// Starts replaying a file statement by statement (``replay(_:at:in:isSchemaFile:)``),
  /// for callers that parse as they go and never hold the whole file.
  ///
  /// - Parameter rollbackBlocks: the file's transaction blocks that roll back
  ///   (``FileOutline/rollbackBlocks``); only they get catalog snapshots, so files of many
  ///   small `BEGIN … COMMIT` blocks stay linear in their length.
  public mutating func beginFile(rollbackBlocks: Set<Int>) {
    startFile()
    blocksWithRollback = rollbackBlocks
  }

  /// Replays the statement at `index` of the file begun with ``beginFile(rollbackBlocks:)``.
  /// - Returns: what had to be assumed, skipped or noted.
  @discardableResult
  public mutating func replay(
    _ statement: Statement,
    at index: Int,
    in source: SourceFile,
    isSchemaFile: Bool = false
  ) -> [Assumption] {
    let site = StatementSite(
      path: source.path,
      statementIndex: index,
      transactionBlock: statement.transactionBlock,
      range: statement.range
    )
    return apply(
      statement,
      origin: isSchemaFile ? .schemaFile(site) : .migration(site),
      source: source
    )
  }

  /// Ends the file begun with ``beginFile(rollbackBlocks:)``.
  public mutating func finishFile() {
    endFile()
    blocksWithRollback = nil
  }

  /// Replays one statement, interpreting transaction control.
  /// - Parameters:
  ///   - statement: the statement.
  ///   - origin: where it was written.
  ///   - source: its file, so details the syntax tree does not keep can be read.
  /// - Returns: what had to be assumed, skipped or noted.
  @discardableResult
  public mutating func apply(
    _ statement: Statement,
    origin: Origin,
    source: SourceFile? = nil
  ) -> [Assumption] {
    switch statement.kind {
    case .transaction(let control):
      transaction(control, block: statement.transactionBlock)
      return []
    case .set(let parameter) where parameter.isLocal && parameter.name == "search_path":
      if searchPathBeforeLocal == nil { searchPathBeforeLocal = catalog.searchPath }
      return catalog.apply(statement, origin: origin, source: source)
    default:
      return catalog.apply(statement, origin: origin, source: source)
    }
  }

  /// Resets the per-session state a new file starts with.
  public mutating func startFile() {
    catalog.searchPath = catalog.defaultSearchPath
    transactionStart = nil
    savepoints = []
    searchPathBeforeLocal = nil
  }

  /// Ends a file: an unterminated transaction block is kept (as `psql` commits nothing,
  /// the runner decides; SafeShift assumes it succeeded), `SET LOCAL` ends.
  public mutating func endFile() {
    transactionStart = nil
    savepoints = []
    restoreLocalSettings()
  }

  private mutating func transaction(_ control: TransactionControl, block: Int?) {
    let needsSnapshot =
      blocksWithRollback.map { blocks in block.map(blocks.contains) ?? true } ?? true
    switch control {
    case .begin:
      transactionStart = needsSnapshot ? catalog : nil
      savepoints = []
    case .commit, .prepareTransaction:
      transactionStart = nil
      savepoints = []
      restoreLocalSettings()
    case .rollback:
      if let start = transactionStart {
        let searchPath = searchPathBeforeLocal ?? start.searchPath
        catalog = start
        catalog.searchPath = searchPath
      }
      transactionStart = nil
      savepoints = []
      restoreLocalSettings()
    case .savepoint(let name):
      if needsSnapshot { savepoints.append((name.lowercased(), catalog)) }
    case .rollbackToSavepoint(let name):
      if let position = savepoints.lastIndex(where: { $0.name == name.lowercased() }) {
        let searchPath = catalog.searchPath
        catalog = savepoints[position].catalog
        catalog.searchPath = searchPath
        savepoints.removeSubrange((position + 1)...)
      }
    case .release(let name):
      if let position = savepoints.lastIndex(where: { $0.name == name.lowercased() }) {
        savepoints.removeSubrange(position...)
      }
    case .commitPrepared, .rollbackPrepared, .setTransaction:
      break
    }
  }

  private mutating func restoreLocalSettings() {
    if let searchPath = searchPathBeforeLocal {
      catalog.searchPath = searchPath
      searchPathBeforeLocal = nil
    }
  }
}
