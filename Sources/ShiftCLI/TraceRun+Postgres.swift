import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftReport
import ShiftSchema
import ShiftSyntax

extension TraceRun {
  /// PostgreSQL: a scratch database (or, with `--use-real-data`, the live one).
  mutating func tracePostgres(_ inputs: [Input], schemas: [ParsedFile]) -> ShiftExitCode {
    var liveCatalog: Catalog?
    if let url = options.databaseURL {
      do {
        var connection = try PostgresConnection(connectingTo: url)
        liveCatalog = try PostgresIntrospector.introspect(&connection).catalog
      } catch {
        // DriverError descriptions never contain the connection string or its password.
        console.error("error: --database-url: \(error)")
        return .failure
      }
    }
    let watch = InterruptWatch()
    defer { watch.stop() }
    if options.useRealData, let url = options.databaseURL {
      do {
        var connection = try PostgresConnection(connectingTo: url)
        watch.watch(connection.makeCanceller())
        try connection.execute("SET client_min_messages = warning")
        var tablesWithRows: Set<String>?
        var notes: [String] = []
        let (files, failed) = traceFiles(
          inputs,
          schemas: [],
          liveCatalog: liveCatalog,
          connection: &connection,
          tablesWithRows: &tablesWithRows,
          notes: &notes,
          watch: watch
        )
        let document = TraceDocument(
          files: files,
          engine: Self.engineName(connection.serverVersion),
          target: "the live database (real data), rolled back",
          realData: true,
          notes: notes + interruptionNotes(watch),
          compared: options.compare
        )
        return finish(document, failed: failed || watch.signalReceived != nil)
      } catch {
        console.error("error: --database-url: \(error)")
        return .failure
      }
    }
    guard let server = options.scratchURL ?? options.databaseURL else {
      console.error(
        "error: trace needs a PostgreSQL server for its scratch database: give --scratch-url "
          + "(a database on a server where you may CREATE DATABASE) or --database-url"
      )
      return .usage
    }
    let scratch: ScratchDatabase
    do {
      scratch = try ScratchDatabase.create(on: server)
    } catch {
      let flag = options.scratchURL == nil ? "--database-url" : "--scratch-url"
      console.error("error: \(flag): cannot create a scratch database: \(error)")
      return .failure
    }
    let code = traceOnScratch(
      scratch,
      inputs: inputs,
      schemas: schemas,
      catalog: liveCatalog,
      watch: watch
    )
    do {
      try scratch.drop()
    } catch {
      console.error(
        "error: could not drop the scratch database \(scratch.name) (drop it by hand): \(error)"
      )
      return .failure
    }
    return code
  }

  private func interruptionNotes(_ watch: InterruptWatch) -> [String] {
    guard let signal = watch.signalReceived else { return [] }
    return ["interrupted by signal \(signal): the running statement was cancelled"]
  }

  static func engineName(_ version: Int) -> String {
    version >= 100_000
      ? "PostgreSQL \(version / 10_000).\(version % 10_000)"
      : "PostgreSQL \(version / 10_000).\(version / 100 % 100).\(version % 100)"
  }

  private mutating func traceOnScratch(
    _ scratch: ScratchDatabase,
    inputs: [Input],
    schemas: [ParsedFile],
    catalog: Catalog?,
    watch: InterruptWatch
  ) -> ShiftExitCode {
    var notes: [String] = []
    var connection: PostgresConnection
    do {
      connection = try prepareScratch(scratch, schemas: schemas, watch: watch, notes: &notes)
    } catch {
      console.error("error: \(error)")
      return .failure
    }
    var tablesWithRows: Set<String>? = []
    let (files, failed) = traceFiles(
      inputs,
      schemas: schemas,
      liveCatalog: catalog,
      connection: &connection,
      tablesWithRows: &tablesWithRows,
      notes: &notes,
      watch: watch
    )
    let document = TraceDocument(
      files: files,
      engine: Self.engineName(connection.serverVersion),
      target: "scratch database \(scratch.name) (dropped)",
      rowsPerTable: options.rows,
      notes: notes + interruptionNotes(watch),
      compared: options.compare
    )
    return finish(document, failed: failed || watch.signalReceived != nil)
  }

  /// Loads the schema into the scratch database and returns a fresh session on it (so the
  /// dump's `search_path` and other settings do not leak into the trace).
  private func prepareScratch(
    _ scratch: ScratchDatabase,
    schemas: [ParsedFile],
    watch: InterruptWatch,
    notes: inout [String]
  ) throws -> PostgresConnection {
    do {
      var loader = try scratch.connect()  // closed at the end of this block
      watch.watch(loader.makeCanceller())
      try loader.execute("SET client_min_messages = warning")
      if let url = options.databaseURL {
        let text = try SchemaDump.dump(url, program: options.pgDump)
        let dump = SQLParser.parse(text, dialect: .postgres, path: "<pg_dump --schema-only>")
        try load(dump, on: &loader)
        notes.append("schema copied from --database-url with pg_dump --schema-only (no rows)")
      }
      for schema in schemas {
        try load(schema, on: &loader)
      }
    }
    var connection = try scratch.connect()
    watch.watch(connection.makeCanceller())
    try connection.execute("SET client_min_messages = warning")
    return connection
  }

  /// Fills the scratch database's empty tables (``ScratchPopulator``) and records which
  /// tables hold rows.
  private func populate(
    _ connection: inout PostgresConnection,
    tablesWithRows: inout Set<String>?,
    notes: inout [String]
  ) throws(DriverError) {
    let report = try ScratchPopulator.populate(&connection, rows: options.rows)
    tablesWithRows = Set(report.tablesWithRows.map(TraceComparison.display))
    let filled = report.populated.map { TraceComparison.display($0.table) }
    if !filled.isEmpty {
      notes.append(
        "filled \(filled.joined(separator: ", ")) with \(options.rows) generated rows each"
      )
    }
    for skipped in report.skipped {
      let note =
        "could not fill \(TraceComparison.display(skipped.table)) (left empty, so its scans "
        + "are not observable): \(skipped.reason)"
      if !notes.contains(note) { notes.append(note) }
    }
  }

  /// Runs a schema file's statements (autocommit), stopping at the first error.
  private func load(_ file: ParsedFile, on connection: inout PostgresConnection) throws(Failure) {
    var cursor = LocationCursor(file.source)
    for statement in file.statements {
      if case .psqlMeta = statement.kind { continue }
      let sql = file.source.text(statement.range)
      do {
        try connection.execute(sql)
      } catch {
        let location = cursor.location(at: statement.range.start)
        throw Failure(
          description: "\(file.source.path):\(location.line):\(location.column): loading the "
            + "schema failed: \(error.message)" + (error.sqlstate.map { " (SQLSTATE \($0))" } ?? "")
        )
      }
    }
  }

  /// Traces every file in order; returns the report's files and whether a statement failed.
  private func traceFiles(
    _ inputs: [Input],
    schemas: [ParsedFile],
    liveCatalog: Catalog?,
    connection: inout PostgresConnection,
    tablesWithRows: inout Set<String>?,
    notes: inout [String],
    watch: InterruptWatch
  ) -> ([TraceDocument.File], Bool) {
    let timeZone =
      (try? connection.query("SELECT pg_catalog.current_setting('TimeZone')", []))?
      .first?.first ?? nil
    let settings = LintSettings(
      effect: EffectSettings(
        pgVersion: connection.serverVersion / 10_000,
        sessionTimeZoneIsUTC: timeZone.map { EffectSettings.isUTC(timeZone: $0) } ?? false
      )
    )
    var linter =
      liveCatalog.map { Linter(settings: settings, catalog: $0) }
      ?? Linter(settings: settings, dialect: .postgres)
    for schema in schemas { linter.replay(schema) }
    let realData = options.useRealData
    var tracer = TransactionTracer(
      settings: realData ? [StatementTracer.Setting("lock_timeout", options.lockTimeout)] : []
    )
    var stopped = false
    var files: [TraceDocument.File] = []
    for (fileIndex, input) in inputs.enumerated() {
      if !realData, !stopped, watch.signalReceived == nil {
        // Tables created by earlier files are filled too, so this file's scans show.
        do {
          try populate(&connection, tablesWithRows: &tablesWithRows, notes: &notes)
        } catch {
          console.error("error: filling the scratch tables: \(error)")
          stopped = true
        }
      }
      let statements = Self.lintedStatements(input, linter: &linter)
      var cursor = LocationCursor(input.source)
      var entries: [TraceStatement] = []
      var completion: String?
      // The runner applies this file statement by statement in autocommit mode (on real
      // data everything stays in the one rolled-back transaction).
      let autocommit = input.unit?.transactionMode == .autocommit && !realData
      for (statement, lintedStatement) in statements {
        let shared = Self.sharedFields(
          statement,
          source: input.source,
          cursor: &cursor,
          linted: lintedStatement,
          traced: nil
        )
        if stopped || watch.signalReceived != nil {
          entries.append(TraceStatement(statement: shared, execution: .notRun))
          continue
        }
        if let reason = Self.skipReason(statement) {
          var notes = [reason]
          // An autocommit runner runs the file's own BEGIN … COMMIT blocks as written.
          if autocommit, case .transaction(let control) = statement.kind, tracer.isOpen,
            control == .commit || control == .rollback
          {
            do {
              try tracer.end(control == .commit ? .commit : .rollback, on: &connection)
              completion = control == .commit ? "committed" : "rolled_back"
              notes.append("ended the file's own transaction block, as the runner would")
            } catch {
              console.error("error: \(input.source.path): ending the transaction: \(error)")
              stopped = true
            }
          }
          entries.append(TraceStatement(statement: shared, execution: .skipped, notes: notes))
          continue
        }
        let sql = input.source.text(statement.range)
        do throws(DriverError) {
          if StatementTracer.cannotRunInTransactionBlock(sql) {
            if realData {
              entries.append(
                TraceStatement(
                  statement: shared,
                  execution: .skipped,
                  notes: [
                    "not run on real data: it cannot run inside a transaction block, so it "
                      + "could not be rolled back"
                  ]
                )
              )
              continue
            }
            var notes: [String] = []
            if tracer.isOpen {
              try tracer.end(.commit, on: &connection)
              completion = "committed"
              notes.append(
                "the statements before it were committed on the scratch database first, as "
                  + "a runner must: it cannot run inside a transaction block"
              )
            }
            let result = try StatementTracer().trace(sql, on: &connection)
            let traced = TracedStatement(result: result, locksHeldBefore: [], locksHeldAfter: [])
            entries.append(
              tracedEntry(
                statement,
                input: input,
                cursor: &cursor,
                linted: lintedStatement,
                traced: traced,
                execution: .outsideTransaction,
                notes: notes,
                dialect: .postgres,
                tablesWithRows: tablesWithRows
              )
            )
            continue
          }
          if !tracer.isOpen { try tracer.begin(on: &connection) }
          let traced = try tracer.trace(sql, on: &connection)
          if autocommit, !statement.isInTransactionBlock {
            // The runner commits each statement outside the file's own blocks.
            try tracer.end(.commit, on: &connection)
            completion = "committed"
          }
          entries.append(
            tracedEntry(
              statement,
              input: input,
              cursor: &cursor,
              linted: lintedStatement,
              traced: traced,
              execution: .transaction,
              dialect: .postgres,
              tablesWithRows: tablesWithRows
            )
          )
        } catch {
          stopped = true
          entries.append(failedEntry(error, statement: shared, path: input.source.path))
          completion = "rolled_back"
        }
      }
      let isLast = fileIndex == inputs.count - 1
      if tracer.isOpen, !realData || isLast {
        // The scratch database keeps a file's changes for the files after it; the last
        // file, and everything on real data, is rolled back.
        let commit = !realData && !isLast
        do {
          try tracer.end(commit ? .commit : .rollback, on: &connection)
          completion = commit ? "committed" : "rolled_back"
        } catch {
          console.error("error: \(input.source.path): ending the transaction: \(error)")
          stopped = true
        }
      }
      files.append(
        input.reportFile(dialect: .postgres, completion: completion, statements: entries)
      )
    }
    if tracer.isOpen { try? tracer.end(.rollback, on: &connection) }
    return (files, stopped)
  }
}
