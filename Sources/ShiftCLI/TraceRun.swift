import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftReport
import ShiftSchema
import ShiftSyntax

/// One `trace` invocation: reads and parses the files, prepares the database the
/// statements run on, traces them, runs the effect model on the same catalog, and reports.
struct TraceRun {
  /// The command line's choices.
  struct Options {
    var dialect: Dialect?
    var json: Bool
    var compare: Bool
    var schemaFiles: [String]
    var databaseURL: String?
    var scratchURL: String?
    var sqliteDatabase: String?
    var useRealData: Bool
    var rows: Int
    var lockTimeout: String
    var pgDump: String
    var runner: MigrationRunner?
    var direction: MigrationDirection
  }

  /// One file to trace.
  struct Input {
    var parsed: ParsedFile
    var unit: MigrationUnit?

    var source: SourceFile { parsed.source }

    /// The runner's transaction wrapping, for the model (as `lint` reads it).
    var assumeInTransaction: Bool? {
      switch unit?.transactionMode {
      case .perFile?, .implicitMultiStatement?: true
      case .autocommit?: false
      default: nil
      }
    }

    /// This file's part of the report.
    func reportFile(
      dialect: Dialect,
      completion: String?,
      statements: [TraceStatement]
    ) -> TraceDocument.File {
      TraceDocument.File(
        path: source.path,
        dialect: dialect.rawValue,
        transactionMode: unit?.transactionMode.rawValue,
        completion: completion,
        statements: statements
      )
    }
  }

  /// A failure that ends the run with exit code 2, already phrased for the user.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  let options: Options
  let console: Console

  /// Traces the paths and writes the report.
  ///
  /// - Parameter paths: files and directories.
  /// - Returns: the exit code.
  mutating func run(_ paths: [String]) -> ShiftExitCode {
    var inputs: [Input] = []
    var schemas: [ParsedFile] = []
    var failed = false
    for path in paths {
      let (files, problems) = MigrationSet.resolve(
        [path],
        runner: options.runner,
        direction: options.direction,
        dialect: options.dialect
      )
      for problem in problems {
        console.error("error: \(problem)")
        failed = true
      }
      for file in files {
        guard let parsed = parse(file.path, bytes: file.bytes) else {
          failed = true
          continue
        }
        inputs.append(Input(parsed: parsed, unit: file.unit))
      }
    }
    for path in options.schemaFiles {
      guard let parsed = parse(path, bytes: nil) else {
        failed = true
        continue
      }
      schemas.append(parsed)
    }
    if failed { return .failure }
    let dialect = options.dialect ?? inputs.first?.parsed.dialect ?? .postgres
    if let other = inputs.first(where: { $0.parsed.dialect != dialect }) {
      console.error(
        "error: \(other.source.path): read as \(other.parsed.dialect.rawValue), but the run "
          + "traces \(dialect.rawValue); give --dialect"
      )
      return .failure
    }
    switch dialect {
    case .sqlite:
      if options.databaseURL != nil || options.scratchURL != nil || options.useRealData {
        console.error(
          "error: SQLite migrations are traced on a copy of --sqlite-database or a file "
            + "built from --schema; --database-url, --scratch-url and --use-real-data are "
            + "for PostgreSQL"
        )
        return .usage
      }
      return traceSQLite(inputs, schemas: schemas)
    case .postgres:
      if options.sqliteDatabase != nil {
        console.error("error: --sqlite-database is for SQLite migrations")
        return .usage
      }
      return tracePostgres(inputs, schemas: schemas)
    }
  }

  /// Reads and parses a file; syntax errors are printed and make it `nil`.
  private func parse(_ path: String, bytes: [UInt8]?) -> ParsedFile? {
    let source: SourceFile
    do {
      source = SourceFile(path: path, bytes: try bytes ?? FileSystem.read(path))
    } catch {
      console.error("error: \(error)")
      return nil
    }
    let dialect = options.dialect ?? DialectGuess.guess(path: path, source: source)
    let parsed = SQLParser.parse(source, dialect: dialect)
    for problem in parsed.errors { console.error(problem.render(in: source)) }
    return parsed.errors.isEmpty ? parsed : nil
  }

  /// Writes the document and returns the exit code.
  func finish(_ document: TraceDocument, failed: Bool) -> ShiftExitCode {
    console.write(options.json ? TraceRenderer.json(document) : TraceRenderer.text(document))
    if failed { return .failure }
    return options.compare && document.disagreements > 0 ? .findings : .success
  }

  // MARK: - Building report entries

  /// The fields shared with `lint --format json`: position, text and kind of the
  /// statement, `compatibility`, `phase` and `findings` from the model, and `locks`,
  /// `rewritesTable` and `scansTable` from the trace when it ran (else empty).
  static func sharedFields(
    _ statement: Statement,
    source: SourceFile,
    cursor: inout LocationCursor,
    linted: LintedStatement?,
    traced: TraceResult?
  ) -> ReportStatement {
    let start = cursor.location(at: statement.range.start)
    let last = cursor.location(at: max(statement.range.start, statement.range.end - 1))
    var locks: [ReportLock] = []
    if let traced {
      // In the model's order where it names the same relations, so the two line up.
      let order = (linted?.analyzed.effect.locks ?? []).map(TraceComparison.display)
      func rank(_ lock: ReportLock) -> (Int, String) {
        (order.firstIndex(of: lock.relation) ?? order.count, lock.relation)
      }
      locks = traced.locks.filter { $0.relation.kind.isTableLike }
        .map { ReportLock(relation: TraceComparison.display($0.relation.name), mode: $0.mode) }
        .sorted { rank($0) < rank($1) }
    }
    return ReportStatement(
      range: statement.range,
      location: start,
      endLocation: SourceLocation(line: last.line, column: last.column + 1),
      sql: source.text(statement.range),
      kind: statement.kindName,
      tables: statement.tablesTouched.map(\.description),
      locks: locks,
      rewritesTable: !(traced?.rewrittenTables.isEmpty ?? true),
      scansTable: !(traced?.scannedTables.isEmpty ?? true),
      compatibility: linted?.analyzed.effect.compatibility.rawValue ?? "compatible",
      phase: linted?.analyzed.effect.phase.rawValue ?? "expand",
      inTransactionBlock: statement.isInTransactionBlock,
      findings: linted?.findings ?? []
    )
  }

  /// A report entry for a statement that ran.
  static func entry(
    _ shared: ReportStatement,
    traced: TracedStatement,
    execution: TraceStatement.Execution
  ) -> TraceStatement {
    let result = traced.result
    func object(_ relation: ObservedRelation) -> TraceStatement.Object {
      TraceStatement.Object(
        name: TraceComparison.display(relation.name),
        kind: kindName(relation.kind),
        newName: relation.newName.map(TraceComparison.display)
      )
    }
    var held: [String: LockMode] = [:]
    for lock in traced.locksHeldAfter where lock.relation.kind.isTableLike {
      let name = TraceComparison.display(lock.relation.name)
      held[name] = max(held[name] ?? lock.mode, lock.mode)
    }
    let microseconds =
      result.duration.components.seconds * 1_000_000
      + result.duration.components.attoseconds / 1_000_000_000_000
    return TraceStatement(
      statement: shared,
      execution: execution,
      durationMs: Double(microseconds) / 1000,
      locksObserved: result.locksObserved,
      locksHeld: held.sorted { $0.key < $1.key }.map {
        ReportLock(relation: $0.key, mode: $0.value)
      },
      otherLocks: result.locks.filter { !$0.relation.kind.isTableLike && !$0.relation.kind.isTOAST }
        .map { ReportLock(relation: TraceComparison.display($0.relation.name), mode: $0.mode) },
      rewritten: result.rewrittenRelations.filter { !$0.kind.isTOAST }.map(object),
      scans: result.scans.map {
        TraceStatement.Scan(
          table: TraceComparison.display($0.table),
          sequentialScans: $0.sequentialScans,
          rowsRead: $0.rowsRead,
          indexScans: $0.indexScans
        )
      },
      created: result.createdRelations.filter { !$0.kind.isTOAST }.map(object),
      altered: result.alteredRelations.filter { !$0.kind.isTOAST }.map(object),
      dropped: result.droppedRelations.filter { !$0.kind.isTOAST }.map(object),
      notes: result.notes
    )
  }

  /// `partitioned table`, `materialized view`, … for reports.
  static func kindName(_ kind: RelationKind) -> String {
    switch kind {
    case .table: "table"
    case .partitionedTable: "partitioned table"
    case .index: "index"
    case .partitionedIndex: "partitioned index"
    case .toastTable: "toast table"
    case .toastIndex: "toast index"
    case .materializedView: "materialized view"
    case .sequence: "sequence"
    case .view: "view"
    case .foreignTable: "foreign table"
    case .compositeType: "composite type"
    }
  }

  /// Why a statement is not sent to the database, or `nil` when it is.
  static func skipReason(_ statement: Statement) -> String? {
    switch statement.kind {
    case .transaction:
      "transaction control: not sent; the trace runs the file in a transaction of its own"
    case .psqlMeta:
      "psql meta-command: not sent"
    case .copy(_, isFromStdin: true):
      "COPY … FROM stdin: not sent (the data is not part of the statement)"
    default:
      nil
    }
  }

  /// Adds the comparison to an entry, when asked.
  func compared(
    _ entry: TraceStatement,
    linted: LintedStatement?,
    traced: TracedStatement,
    dialect: Dialect,
    tablesWithRows: Set<String>?
  ) -> TraceStatement {
    guard options.compare, let linted else { return entry }
    var entry = entry
    let outcome = TraceComparison.compare(
      model: linted.analyzed.effect,
      traced: traced,
      statement: linted.analyzed.statement,
      dialect: dialect,
      tablesWithRows: tablesWithRows
    )
    entry.differences = outcome.differences
    entry.explained = outcome.explained
    return entry
  }

  /// The file's statements, each with its lint result (`nil` for a statement the linter
  /// did not analyze).
  static func lintedStatements(
    _ input: Input,
    linter: inout Linter
  ) -> [(statement: Statement, linted: LintedStatement?)] {
    let linted = linter.lint(input.parsed, assumeInTransaction: input.assumeInTransaction)
    var byIndex: [Int: LintedStatement] = [:]
    for entry in linted.statements { byIndex[entry.analyzed.index] = entry }
    return input.parsed.statements.enumerated().map { ($1, byIndex[$0]) }
  }

  /// The report entry for a statement that ran: the shared fields with the trace's
  /// locks, `notes` ahead of the trace's own, and the comparison when asked.
  func tracedEntry(
    _ statement: Statement,
    input: Input,
    cursor: inout LocationCursor,
    linted: LintedStatement?,
    traced: TracedStatement,
    execution: TraceStatement.Execution,
    notes: [String] = [],
    dialect: Dialect,
    tablesWithRows: Set<String>?
  ) -> TraceStatement {
    let shared = Self.sharedFields(
      statement,
      source: input.source,
      cursor: &cursor,
      linted: linted,
      traced: traced.result
    )
    var entry = Self.entry(shared, traced: traced, execution: execution)
    entry.notes = notes + entry.notes
    return compared(
      entry,
      linted: linted,
      traced: traced,
      dialect: dialect,
      tablesWithRows: tablesWithRows
    )
  }

  /// The report entry for a statement the database refused, after printing its error
  /// line (`path:line:col: error: …`).
  func failedEntry(
    _ error: DriverError,
    statement shared: ReportStatement,
    path: String
  ) -> TraceStatement {
    TraceStatement(
      statement: shared,
      execution: .failed,
      error: reportFailure(error, path: path, at: shared.location)
    )
  }

  /// The error line for a statement the database refused: `path:line:col: error: …`.
  private func reportFailure(
    _ error: DriverError,
    path: String,
    at location: SourceLocation
  ) -> TraceStatement.Failure {
    let code =
      error.sqlstate
      ?? {
        if case .sqliteError(let code) = error.kind { return "SQLITE_\(code)" }
        return nil
      }()
    console.error(
      "\(path):\(location.line):\(location.column): error: \(error.message)"
        + (code.map { " (\($0))" } ?? "")
    )
    return TraceStatement.Failure(code: code, message: error.message)
  }
}
