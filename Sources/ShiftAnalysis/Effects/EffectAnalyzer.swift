public import ShiftCore
public import ShiftSchema
public import ShiftSyntax

/// Walks migration files in order, replaying each statement into the catalog and
/// computing its ``StatementEffect`` against the catalog just before it.
///
/// It also follows the transaction a statement runs in: explicit `BEGIN … COMMIT` blocks,
/// or the whole file with ``EffectSettings/assumeInTransaction``. Inside a transaction
/// every lock is held until COMMIT, so each effect lists the locks earlier statements of
/// the transaction still hold (``TransactionContext/heldLocks``), and statements that
/// cannot run in a transaction block are marked. `SET TimeZone` in a file changes the
/// session time zone the type-change rules use, for the rest of the file.
///
/// ```swift
/// var analyzer = EffectAnalyzer(settings: EffectSettings(pgVersion: 15))
/// analyzer.replaySchema(schemaFile)
/// for analyzed in analyzer.analyze(migration) {
///   print(analyzed.effect.locks, analyzed.effect.phase)
/// }
/// ```
public struct EffectAnalyzer: Sendable {
  /// Version and session settings.
  public var settings: EffectSettings
  /// The catalog builder; its catalog is the schema after everything analyzed so far.
  public private(set) var builder: CatalogBuilder
  /// Every file seen so far, by path (checks in the catalog are read back from them).
  public private(set) var sources: [String: SourceFile] = [:]

  /// Creates an analyzer.
  /// - Parameters:
  ///   - settings: version and session settings.
  ///   - builder: the catalog to start from (an empty one of `.postgres` by default).
  public init(
    settings: EffectSettings = EffectSettings(),
    builder: CatalogBuilder = CatalogBuilder()
  ) {
    self.settings = settings
    self.builder = builder
  }

  /// Creates an analyzer over an empty catalog of `dialect`.
  public init(settings: EffectSettings = EffectSettings(), dialect: Dialect) {
    self.init(settings: settings, builder: CatalogBuilder(dialect: dialect))
  }

  /// The catalog after everything replayed so far.
  public var catalog: Catalog { builder.catalog }

  /// Replays a context file (`--schema`) without computing effects.
  public mutating func replaySchema(_ file: ParsedFile) {
    sources[file.source.path] = file.source
    builder.replay(file, isSchemaFile: true)
  }

  /// Analyzes files in order (earlier files build the catalog for later ones).
  public mutating func analyze(_ files: [ParsedFile]) -> [AnalyzedStatement] {
    var result: [AnalyzedStatement] = []
    for file in files { analyze(file) { result.append($0) } }
    return result
  }

  /// Analyzes one file.
  public mutating func analyze(_ file: ParsedFile) -> [AnalyzedStatement] {
    var result: [AnalyzedStatement] = []
    analyze(file) { result.append($0) }
    return result
  }

  /// Analyzes one file, handing each statement to `visit` as soon as it is judged.
  public mutating func analyze(_ file: ParsedFile, _ visit: (AnalyzedStatement) -> Void) {
    var state = beginFile(file.source, outline: FileOutline(statements: file.statements))
    for (index, statement) in file.statements.enumerated() {
      analyze(statement, at: index, in: &state, visit)
    }
    finishFile(state)
  }

  /// A file being analyzed statement by statement.
  public struct FileState: Sendable {
    let source: SourceFile
    var tracker: TransactionTracker
  }

  /// Starts analyzing a file statement by statement, for callers that parse as they go.
  /// - Parameters:
  ///   - source: the file.
  ///   - outline: its outline (``SQLParser/outline(_:dialect:)``).
  /// - Returns: the state to pass to ``analyze(_:at:in:_:)`` and ``finishFile(_:)``.
  public mutating func beginFile(_ source: SourceFile, outline: FileOutline) -> FileState {
    sources[source.path] = source
    builder.beginFile(rollbackBlocks: outline.rollbackBlocks)
    return FileState(
      source: source,
      tracker: TransactionTracker(
        isInTransaction: settings.assumeInTransaction,
        timeZoneIsUTC: settings.sessionTimeZoneIsUTC
      )
    )
  }

  /// Judges the statement at `index` of a file against the catalog just before it, hands it
  /// to `visit`, then replays it into the catalog.
  ///
  /// The catalog `visit` sees must not outlive the call: kept, it would be copied by the
  /// next change.
  public mutating func analyze(
    _ statement: Statement,
    at index: Int,
    in file: inout FileState,
    _ visit: (AnalyzedStatement) -> Void
  ) {
    let path = file.source.path
    file.tracker.begin(statement, settings: settings)
    do {
      let catalogBefore = builder.catalog
      let model = EffectModel(
        catalog: catalogBefore,
        settings: settings,
        origin: .migration(
          StatementSite(
            path: path,
            statementIndex: index,
            transactionBlock: statement.transactionBlock,
            range: statement.range
          )
        ),
        sources: sources,
        timeZoneIsUTC: file.tracker.timeZoneIsUTC
      )
      let effect = model.effect(of: statement, transaction: file.tracker.context)
      file.tracker.end(statement, effect: effect, settings: settings)
      visit(
        AnalyzedStatement(
          path: path,
          index: index,
          statement: statement,
          catalogBefore: catalogBefore,
          effect: effect
        )
      )
    }
    builder.replay(statement, at: index, in: file.source)
  }

  /// Ends a file begun with ``beginFile(_:outline:)``.
  public mutating func finishFile(_ file: FileState) {
    builder.finishFile()
  }
}

/// Follows the transaction state and session time zone through one file.
struct TransactionTracker: Sendable {
  var isInTransaction: Bool
  var isExplicitBlock = false
  var held: [RelationLock] = []
  var timeZoneIsUTC: Bool

  init(isInTransaction: Bool, timeZoneIsUTC: Bool) {
    self.isInTransaction = isInTransaction
    self.timeZoneIsUTC = timeZoneIsUTC
  }

  /// Time zones with a zero UTC offset and no daylight saving time.
  static let utcZones: Set<String> = [
    "utc", "etc/utc", "gmt", "etc/gmt", "etc/gmt0", "etc/gmt+0", "etc/gmt-0", "gmt0", "gmt+0",
    "gmt-0", "uct", "etc/uct", "universal", "etc/universal", "zulu", "etc/zulu", "greenwich",
    "etc/greenwich", "z", "0", "+00", "+00:00",
  ]

  var context: TransactionContext {
    TransactionContext(
      isInTransaction: isInTransaction,
      isExplicitBlock: isExplicitBlock,
      heldLocks: isInTransaction ? held : []
    )
  }

  mutating func begin(_ statement: Statement, settings: EffectSettings) {
    switch statement.kind {
    case .transaction(.begin):
      if !isInTransaction { held = [] }
      isInTransaction = true
      isExplicitBlock = true
    case .set(let parameter) where parameter.name == "timezone" || parameter.name == "time zone":
      if parameter.isReset || parameter.value == nil {
        timeZoneIsUTC = settings.sessionTimeZoneIsUTC
      } else if let value = parameter.value {
        timeZoneIsUTC = Self.utcZones.contains(value.lowercased())
      }
    default:
      if statement.isInTransactionBlock, !isInTransaction {
        isInTransaction = true
        isExplicitBlock = true
      }
    }
  }

  mutating func end(_ statement: Statement, effect: StatementEffect, settings: EffectSettings) {
    switch statement.kind {
    case .transaction(.commit), .transaction(.rollback), .transaction(.prepareTransaction):
      isInTransaction = false
      isExplicitBlock = false
      held = []
      return
    default:
      break
    }
    guard isInTransaction else { return }
    for lock in effect.locks {
      if let position = held.firstIndex(where: { $0.target == lock.target }) {
        held[position].mode = max(held[position].mode, lock.mode)
      } else {
        var kept = lock
        kept.isCreatedByStatement = false
        held.append(kept)
      }
    }
  }
}
