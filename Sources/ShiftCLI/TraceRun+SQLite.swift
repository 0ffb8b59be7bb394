import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftReport
import ShiftSQLite
import ShiftSchema
import ShiftSyntax

extension TraceRun {
  /// SQLite: a copy of `--sqlite-database` (made with `VACUUM INTO`, which copies a
  /// consistent snapshot even in WAL mode), or a new file built from `--schema`, in a
  /// temporary directory deleted at the end.
  mutating func traceSQLite(_ inputs: [Input], schemas: [ParsedFile]) -> ShiftExitCode {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "safeshift-trace-\(UUID().uuidString)"
    )
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      console.error("error: cannot create a temporary directory: \(error.localizedDescription)")
      return .failure
    }
    defer { try? FileManager.default.removeItem(at: directory) }
    let copy = directory.appendingPathComponent("trace.db").path
    var notes: [String] = []
    let target: String
    if let original = options.sqliteDatabase {
      guard FileSystem.kind(of: original) == .file else {
        console.error("error: --sqlite-database: \(original): no such database file")
        return .failure
      }
      do {
        var source = try SQLiteConnection(path: original)
        _ = try source.query("VACUUM INTO ?", [copy])
      } catch {
        console.error("error: --sqlite-database: \(original): cannot copy it: \(error)")
        return .failure
      }
      target = "a copy of \(original) (deleted)"
    } else {
      target = "a new database file built from --schema (deleted)"
    }
    var connection: SQLiteConnection
    do {
      connection = try SQLiteConnection(path: copy)
      for schema in schemas {
        var cursor = LocationCursor(schema.source)
        for statement in schema.statements {
          do {
            try connection.execute(schema.source.text(statement.range))
          } catch {
            let location = cursor.location(at: statement.range.start)
            console.error(
              "\(schema.source.path):\(location.line):\(location.column): loading the schema "
                + "failed: \(error.message)"
            )
            return .failure
          }
        }
      }
    } catch {
      console.error("error: \(error)")
      return .failure
    }
    var tablesWithRows: Set<String> = []
    let catalog: Catalog
    do {
      catalog = try SQLiteIntrospector.catalog(from: &connection)
    } catch {
      console.error("error: preparing the SQLite copy: \(error)")
      return .failure
    }
    var linter = Linter(settings: LintSettings(), catalog: catalog)
    var tracer = SQLiteTracer()
    var stopped = false
    var files: [TraceDocument.File] = []
    for (fileIndex, input) in inputs.enumerated() {
      if !stopped {
        // Tables created by earlier files are filled too, so this file's scans show.
        do {
          let report = try SQLitePopulator.populate(&connection, rows: options.rows)
          tablesWithRows = report.tablesWithRows
          if !report.populated.isEmpty {
            notes.append(
              "filled \(report.populated.joined(separator: ", ")) with \(options.rows) "
                + "generated rows each"
            )
          }
          for skipped in report.skipped {
            let note = "could not fill \(skipped.table) (left empty): \(skipped.reason)"
            if !notes.contains(note) { notes.append(note) }
          }
        } catch {
          console.error("error: filling the SQLite copy: \(error)")
          stopped = true
        }
      }
      let statements = Self.lintedStatements(input, linter: &linter)
      var cursor = LocationCursor(input.source)
      var entries: [TraceStatement] = []
      var completion: String?
      for (statement, lintedStatement) in statements {
        let shared = Self.sharedFields(
          statement,
          source: input.source,
          cursor: &cursor,
          linted: lintedStatement,
          traced: nil
        )
        if stopped {
          entries.append(TraceStatement(statement: shared, execution: .notRun))
          continue
        }
        if let reason = Self.skipReason(statement) {
          entries.append(TraceStatement(statement: shared, execution: .skipped, notes: [reason]))
          continue
        }
        let sql = input.source.text(statement.range)
        var notes: [String] = []
        do throws(DriverError) {
          var outside = false
          if case .vacuum = statement.kind {
            outside = true
            if tracer.isInTransaction {
              try tracer.end(commit: true, on: &connection)
              completion = "committed"
              notes.append(
                "the statements before it were committed on the copy first: VACUUM cannot "
                  + "run inside a transaction"
              )
            }
          } else if !tracer.isInTransaction {
            try tracer.begin(on: &connection)
          }
          let traced = try tracer.trace(
            sql,
            tables: TraceComparison.isDataStatement(statement)
              ? statement.tablesTouched.map(\.name.value) : [],
            on: &connection
          )
          entries.append(
            tracedEntry(
              statement,
              input: input,
              cursor: &cursor,
              linted: lintedStatement,
              traced: traced,
              execution: outside ? .outsideTransaction : .transaction,
              notes: notes,
              dialect: .sqlite,
              tablesWithRows: tablesWithRows
            )
          )
        } catch {
          stopped = true
          entries.append(failedEntry(error, statement: shared, path: input.source.path))
          completion = "rolled_back"
        }
      }
      if tracer.isInTransaction {
        let commit = fileIndex < inputs.count - 1
        do {
          try tracer.end(commit: commit, on: &connection)
          completion = commit ? "committed" : "rolled_back"
        } catch {
          console.error("error: \(input.source.path): ending the transaction: \(error)")
          stopped = true
        }
      }
      files.append(input.reportFile(dialect: .sqlite, completion: completion, statements: entries))
    }
    let version = Int(SQLiteConnection.libraryVersionNumber)
    let document = TraceDocument(
      files: files,
      engine: "SQLite \(version / 1_000_000).\(version / 1000 % 1000).\(version % 1000)",
      target: target,
      rowsPerTable: options.rows,
      notes: notes,
      compared: options.compare
    )
    return finish(document, failed: stopped)
  }
}
