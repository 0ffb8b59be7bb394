import Dispatch
import ShiftAnalysis
import ShiftCore
import ShiftReport
import ShiftSchema
import ShiftSyntax

/// One `lint` invocation: schema context, one linter per migration set, and the report.
///
/// JSON is streamed file by file; the other formats are rendered from the whole document
/// at the end.
struct LintRun {
  let configuration: Configuration
  let format: ReportFormat
  let console: Console
  private var schemaFiles: [ParsedFile] = []
  private var document = ReportDocument(files: [])
  private var writer = JSONReportWriter()
  private var failed = false
  private var worstFinding: Severity?
  private var fileCount = 0
  /// The reported files by path, for the source lines of text-like reports.
  private var sources: [String: SourceFile] = [:]
  /// With `--database-url`: the live database's catalog, the starting point of every
  /// migration set of its dialect.
  var liveCatalog: Catalog?
  /// With `--since`: the absolute paths to report; other files are only replayed.
  var reportOnly: Set<String>?

  init(configuration: Configuration, format: ReportFormat, console: Console) {
    self.configuration = configuration
    self.format = format
    self.console = console
    document.rules = allRules.map { rule in
      let description = type(of: rule).description
      return RuleInfo(
        id: description.id,
        summary: description.summary,
        description: description.rationale,
        defaultSeverity: description.defaultSeverity
      )
    }
  }

  private var lintSettings: LintSettings {
    LintSettings(
      effect: EffectSettings(
        pgVersion: configuration.pgVersion ?? ShiftAnalysis.newestPostgresVersion,
        sessionTimeZoneIsUTC: configuration.sessionTimeZone.map {
          EffectSettings.isUTC(timeZone: $0)
        }
          ?? false,
        assumeInTransaction: configuration.assumeInTransaction ?? false
      ),
      ruleLevels: configuration.rules,
      sizes: configuration.sizes
    )
  }

  mutating func inputFailed(_ message: String) {
    console.error("error: \(message)")
    failed = true
  }

  /// Reads a `--schema` file; it is replayed before every migration set.
  mutating func addSchema(_ path: String) {
    do {
      let source = SourceFile(path: path, bytes: try FileSystem.read(path))
      let dialect = configuration.dialect ?? DialectGuess.guess(path: path, source: source)
      let parsed = SQLParser.parse(source, dialect: dialect)
      for problem in parsed.errors { console.error(problem.render(in: source)) }
      if !parsed.errors.isEmpty { failed = true }
      schemaFiles.append(parsed)
    } catch {
      inputFailed("\(error)")
    }
  }

  /// Lints the files of one migration set in order, each judged against the schema the
  /// earlier ones built.
  mutating func lintSet(_ inputs: [LintInput]) {
    var linter: Linter?
    for input in inputs {
      let bytes: [UInt8]
      do {
        if let given = input.bytes {
          bytes = given
        } else {
          bytes =
            input.path == "-" ? try FileSystem.readStandardInput() : try FileSystem.read(input.path)
        }
      } catch {
        inputFailed("\(error)")
        continue
      }
      let source = SourceFile(path: input.path == "-" ? "<stdin>" : input.path, bytes: bytes)
      let dialect = configuration.dialect ?? DialectGuess.guess(path: input.path, source: source)
      if linter == nil {
        var fresh =
          liveCatalog.map { $0.dialect == dialect } ?? false
          ? Linter(settings: lintSettings, catalog: liveCatalog ?? Catalog())
          : Linter(settings: lintSettings, dialect: dialect)
        for schema in schemaFiles where schema.dialect == dialect { fresh.replay(schema) }
        linter = fresh
      }
      let assume: Bool? =
        switch input.unit?.transactionMode {
        case .perFile?, .implicitMultiStatement?: true
        case .autocommit?: false
        default: nil
        }
      guard var current = linter else { continue }
      let reports = reportOnly?.contains(GitChanges.normalize(source.path)) ?? true
      // The file is parsed twice: a quick outline first (what the rules look ahead for),
      // then statement by statement as it is linted, so the syntax trees of a whole file
      // are never held at once. The full parse runs on another thread, ahead of the
      // linter. Report entries are made as statements are linted.
      let pipe = StatementPipe.parse(source, dialect: dialect)
      var state = current.beginFile(
        source,
        dialect: dialect,
        outline: SQLParser.outline(source, dialect: dialect),
        assumeInTransaction: assume
      )
      var cursor = LocationCursor(source)
      var statements: [ReportStatement] = []
      var index = 0
      // JSON of a file without suppression comments is written as it is linted: no finding
      // can arrive later for a statement already written.
      let streams = reports && format == .json && !state.hasSuppressions
      var streamer: JSONStreamer?
      if streams {
        writer.beginFile(
          path: source.path,
          dialect: dialect.rawValue,
          transactionMode: input.unit?.transactionMode.rawValue
        )
        streamer = JSONStreamer.start(writer: writer, console: console, source: source)
      }
      var linted: [LintedStatement] = []
      while let batch = pipe.next() {
        for statement in batch {
          let entry = current.lint(statement, at: index, in: &state)
          index += 1
          guard reports else { continue }
          guard streams else {
            statements.append(
              Self.reportStatement(entry, source: source, cursor: &cursor)
            )
            continue
          }
          linted.append(entry)
        }
        if let streamer, !linted.isEmpty {
          streamer.items.send(linted)
          linted = []
        }
      }
      if let streamer {
        let result = streamer.finish()
        writer = result.writer
        if let worst = result.worst { note(worst) }
      }
      let errors = pipe.errors
      let fileFindings = current.finishFile(state)
      linter = current
      for problem in errors { console.error(problem.render(in: source)) }
      if !errors.isEmpty { failed = true }
      guard reports else { continue }
      if streams {
        writer.endFile(errors: errors.map { Self.reportError($0, in: source) })
        console.write(bytes: writer.takeBytes())
        fileCount += 1
        continue
      }
      report(
        statements,
        fileFindings: fileFindings,
        source: source,
        errors: errors,
        dialect: dialect,
        unit: input.unit
      )
    }
  }

  /// Writes the JSON of a file's statements on another thread while the linter goes on:
  /// report entries and JSON text cost about a tenth of a lint.
  ///
  /// The writer and the console belong to the streamer until ``finish()`` returns; the
  /// linting thread does not touch them meanwhile.
  final class JSONStreamer: @unchecked Sendable {
    let items = BatchPipe<LintedStatement>()
    private var writer: JSONReportWriter
    private let console: Console
    private var worst: Finding?
    private let done = DispatchSemaphore(value: 0)

    private init(writer: JSONReportWriter, console: Console) {
      self.writer = writer
      self.console = console
    }

    static func start(writer: JSONReportWriter, console: Console, source: SourceFile)
      -> JSONStreamer
    {
      let streamer = JSONStreamer(writer: writer, console: console)
      DispatchQueue.global().async { streamer.run(source) }
      return streamer
    }

    private func run(_ source: SourceFile) {
      var cursor = LocationCursor(source)
      while let batch = items.next() {
        for linted in batch {
          let entry = LintRun.reportStatement(
            linted,
            source: source,
            cursor: &cursor
          )
          for finding in entry.findings where worst.map({ finding.severity > $0.severity }) ?? true
          {
            worst = finding
          }
          writer.addStatement(
            entry,
            source: source.bytes,
            sqlRange: entry.range.start..<entry.range.end
          )
          if writer.pendingByteCount >= 1 << 16 { console.write(bytes: writer.takeBytes()) }
        }
      }
      done.signal()
    }

    /// Waits until every statement sent is written; hands back the writer and the most
    /// severe finding.
    func finish() -> (writer: JSONReportWriter, worst: Finding?) {
      items.finish()
      done.wait()
      return (writer, worst)
    }
  }

  fileprivate static func reportStatement(
    _ entry: LintedStatement,
    source: SourceFile,
    cursor: inout LocationCursor
  ) -> ReportStatement {
    let statement = entry.analyzed.statement
    let effect = entry.analyzed.effect
    let start = cursor.location(at: statement.range.start)
    let last = cursor.location(at: max(statement.range.start, statement.range.end - 1))
    return ReportStatement(
      range: statement.range,
      location: start,
      endLocation: SourceLocation(line: last.line, column: last.column + 1),
      // Filled by `report` for statements with findings only (JSON writes the text from the
      // file's bytes): every statement's text would be a second copy of the file.
      sql: "",
      kind: statement.kindName,
      tables: statement.tablesTouched.map(\.description),
      locks: effect.locks.map { ReportLock(relation: Self.display($0), mode: $0.mode) },
      rewritesTable: effect.rewritesTable,
      scansTable: effect.scansTable,
      compatibility: effect.compatibility.rawValue,
      phase: effect.phase.rawValue,
      inTransactionBlock: statement.isInTransactionBlock,
      findings: entry.findings
    )
  }

  private mutating func report(
    _ linted: [ReportStatement],
    fileFindings: [Finding],
    source: SourceFile,
    errors syntaxErrors: [SyntaxError],
    dialect: Dialect,
    unit: MigrationUnit?
  ) {
    var statements = linted
    var fileFindings = fileFindings.sorted { $0.range.start < $1.range.start }
    for position in statements.indices {
      // Findings not tied to a statement (unused suppressions) go to the statement they
      // precede.
      let end = statements[position].range.end
      var taken = 0
      while taken < fileFindings.count, fileFindings[taken].range.end <= end { taken += 1 }
      if taken > 0 {
        statements[position].findings += fileFindings[..<taken]
        fileFindings.removeFirst(taken)
      }
    }
    if !fileFindings.isEmpty, !statements.isEmpty {
      statements[statements.count - 1].findings += fileFindings
    }
    for position in statements.indices where !statements[position].findings.isEmpty {
      for finding in statements[position].findings { note(finding) }
      if format != .json { statements[position].sql = source.text(statements[position].range) }
    }
    let errors = syntaxErrors.map { Self.reportError($0, in: source) }
    fileCount += 1
    if format == .json {
      writer.beginFile(
        path: source.path,
        dialect: dialect.rawValue,
        transactionMode: unit?.transactionMode.rawValue
      )
      for statement in statements {
        writer.addStatement(
          statement,
          source: source.bytes,
          sqlRange: statement.range.start..<statement.range.end
        )
      }
      writer.endFile(errors: errors)
      console.write(bytes: writer.takeBytes())
    } else {
      sources[source.path] = source
      document.files.append(
        ReportFile(
          path: source.path,
          dialect: dialect.rawValue,
          transactionMode: unit?.transactionMode.rawValue,
          statements: statements,
          // Text output shows syntax errors on standard error already.
          errors: format == .text ? [] : errors
        )
      )
    }
  }

  private static func reportError(_ error: SyntaxError, in source: SourceFile) -> ReportError {
    ReportError(
      location: error.location,
      message: error.message,
      sourceLine: source.lineText(error.location.line)
    )
  }

  private mutating func note(_ finding: Finding) {
    if worstFinding.map({ finding.severity > $0 }) ?? true { worstFinding = finding.severity }
  }

  static func display(_ lock: RelationLock) -> String {
    guard let name = lock.relation else { return "*" }
    return name.schema == "public" || name.schema == "main" ? name.name : name.description
  }

  /// Writes the report and returns the exit code.
  mutating func finish(color: Bool) -> ShiftExitCode {
    let threshold = configuration.failOn ?? .warning
    if format == .json {
      writer.finish()
      console.write(bytes: writer.takeBytes())
    } else {
      var lines: [String: [Int: String]] = [:]
      for file in document.files { lines[file.path] = [:] }
      let options = ReportOptions(
        color: color,
        sourceLines: { [sources] path, line in sources[path]?.lineText(line) },
        sourceRoot: nil,
        failureThreshold: threshold,
        toolVersion: SafeShiftCommand.version
      )
      console.write(render(document, format: format, options: options))
    }
    if failed { return .failure }
    if let worst = worstFinding, worst >= threshold { return .findings }
    return .success
  }
}
