import ArgumentParser
import ShiftBackfill
import ShiftCore
import ShiftDatabase
import ShiftPlanner
import ShiftPostgres
import ShiftSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `safeshift backfill`: run a backfill spec (or an ad-hoc update) in resumable keyset
/// batches, with throttling, progress and parallel workers.
struct BackfillCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "backfill",
    abstract: "Change the rows of a big table in short, resumable, throttled batches.",
    discussion: """
      Runs a backfill spec written by `safeshift plan` (backfills/NAME.json), or an ad-hoc one
      given with --table and --set/--delete. Each batch is one short transaction: the change
      of the rows in a key range and the checkpoint in the ledger (schema `safeshift`, or
      `safeshift_*` tables on SQLite). Kill it at any moment and run the same command again:
      it resumes after the last committed batch. Several processes (or Kubernetes Job pods)
      running the same command share the work, each key range done exactly once.

      --set expressions and --where are SQL over the table's own columns and go into the
      statements as written. --database-url takes a PostgreSQL URL or key=value string, or
      sqlite:PATH for a SQLite file. See docs/backfill.md.

      Exit codes: 0 done (or nothing left for this process), 2 the backfill failed or could
      not start (it can be resumed), 64 usage error.
      """
  )

  @Argument(help: "A backfill spec (backfills/NAME.json from `safeshift plan`).")
  var spec: String?

  @Option(help: "The database: a PostgreSQL URL or key=value string, or sqlite:PATH.")
  var databaseURL: String

  @Option(help: "Ad hoc: the table (schema.table or table).")
  var table: String?

  @Option(name: .customLong("set"), help: "Ad hoc: `column = SQL expression` (repeatable).")
  var assignments: [String] = []

  @Option(name: .customLong("where"), help: "Ad hoc: only rows matching this SQL condition.")
  var rowFilter: String?

  @Flag(help: "Ad hoc: delete the matching rows instead of updating them.")
  var delete = false

  @Option(name: .customLong("key"), help: "Ad hoc: key column (repeatable; default: primary key).")
  var keyColumns: [String] = []

  @Option(help: "Ad hoc: the backfill's name in the ledger (default: derived from the change).")
  var name: String?

  @Flag(help: "Print the plan of work and each batch's SQL; change nothing.")
  var dryRun = false

  @Option(help: "Workers in this process, each with its own connection.")
  var workers = 1

  @Option(help: "This process's worker name in the ledger (default: host:pid).")
  var workerID: String?

  @Option(help: "Split new work into at least this many key ranges (for more processes).")
  var minRanges = 1

  @Option(help: "Target time of one batch in milliseconds (default: the spec's, else 200).")
  var targetBatchMs: Int?

  @Option(help: "First batch size in keys (default: the spec's, else 1000).")
  var batchSize: Int?

  @Option(help: "Smallest batch in keys (default: the spec's, else 100).")
  var minBatchSize: Int?

  @Option(help: "Largest batch in keys (default: the spec's, else 10000).")
  var maxBatchSize: Int?

  @Option(help: "lock_timeout of each batch (default: the spec's, else 2s).")
  var lockTimeout: String?

  @Option(help: "statement_timeout of each batch (default: the spec's, else 30s).")
  var statementTimeout: String?

  @Option(help: "Attempts of a failing batch before its keys count as failed.")
  var maxAttempts = 8

  @Option(help: "Share of keys that may fail before the run fails (0 to 1).")
  var maxErrorRatio = 0.0

  @Option(help: "Most rows changed per second (default: no limit).")
  var maxRowsPerSecond: Double?

  @Option(help: "Pause while a replica lags this many seconds.")
  var pauseReplicaLag = 10.0

  @Option(help: "Abort when a replica lags this many seconds (default: never).")
  var abortReplicaLag: Double?

  @Option(help: "Pause while another transaction is open this many seconds.")
  var pauseTransactionAge = 300.0

  @Option(help: "Abort when another transaction is open this many seconds (default: never).")
  var abortTransactionAge: Double?

  @Option(help: "Pause while this many other backends are active (default: never).")
  var pauseActiveBackends: Int?

  @Option(help: "Abort when this many other backends are active (default: never).")
  var abortActiveBackends: Int?

  @Flag(help: "Pause while autovacuum processes the table.")
  var pauseOnAutovacuum = false

  @Option(help: "Abort after pausing this many seconds in a row (default: wait forever).")
  var maxPause: Double?

  @Option(help: "Rest this fraction of each batch's time after it (lets SQLite writers in).")
  var restRatio = 0.0

  @Option(help: "Pause while this file exists.")
  var pauseFile: String?

  @Option(help: "Progress display: auto (bar on a terminal, else lines), bar, lines or none.")
  var progress: ProgressArgument = .auto

  @Option(help: "Seconds between progress updates (default: 1 for the bar, 5 for lines).")
  var progressInterval: Double?

  func validate() throws {
    if spec == nil, table == nil {
      throw ValidationError("Give a backfill spec file, or --table with --set or --delete.")
    }
    if spec != nil, table != nil || !assignments.isEmpty || delete || rowFilter != nil {
      throw ValidationError("Give either a spec file or --table/--set/--where/--delete, not both.")
    }
    if table != nil, assignments.isEmpty == !delete {
      throw ValidationError("--table needs either --set (one or more) or --delete.")
    }
    for assignment in assignments where Self.assignment(assignment) == nil {
      throw ValidationError("--set must read `column = expression`, got `\(assignment)`.")
    }
    if workers < 1 || workers > 64 { throw ValidationError("--workers must be 1 to 64.") }
    if minRanges < 1 { throw ValidationError("--min-ranges must be at least 1.") }
    if !(0...1).contains(maxErrorRatio) {
      throw ValidationError("--max-error-ratio must be between 0 and 1.")
    }
    for value in [batchSize, minBatchSize, maxBatchSize, targetBatchMs].compactMap({ $0 })
    where value < 1 {
      throw ValidationError("Batch sizes and times must be positive.")
    }
    if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1.") }
    if restRatio < 0 || restRatio > 100 { throw ValidationError("--rest-ratio must be 0 to 100.") }
  }

  /// `column = expression` split at the first `=` (the column unquoted).
  static func assignment(_ text: String) -> BackfillSpec.Assignment? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    var column = text[..<equals].trimmingCharacters(in: " \t")
    let expression = text[text.index(after: equals)...].trimmingCharacters(in: " \t")
    if column.count >= 2, column.first == "\"", column.last == "\"" {
      column = String(column.dropFirst().dropLast()).replacing("\"\"", with: "\"")
    }
    guard !column.isEmpty, !expression.isEmpty else { return nil }
    return .init(column: column, expression: expression)
  }

  /// The spec to run: the file's, or the ad-hoc one; with command-line batch overrides.
  func makeSpec(isSQLite: Bool) throws(BackfillError) -> BackfillSpec {
    var result: BackfillSpec
    if let spec {
      let bytes: [UInt8]
      do {
        bytes = try FileSystem.read(spec)
      } catch {
        throw BackfillError(.invalidSpec, message: "\(error)")
      }
      result = try BackfillSpecJSON.decode(String(decoding: bytes, as: UTF8.self))
    } else {
      let qualified = table ?? ""
      var schema = isSQLite ? "main" : "public"
      var tableName = qualified
      if let dot = qualified.firstIndex(of: ".") {
        schema = String(qualified[..<dot])
        tableName = String(qualified[qualified.index(after: dot)...])
      }
      result = BackfillSpec(
        name: "",
        schema: schema,
        table: tableName,
        keyColumns: keyColumns,
        operation: delete ? .delete : .update,
        assignments: assignments.compactMap(Self.assignment),
        rowFilter: rowFilter
      )
      result.name =
        name ?? "adhoc-\(tableName)-" + String(BackfillSpecJSON.checksum(result).prefix(8))
    }
    if let targetBatchMs { result.batch.targetBatchMilliseconds = targetBatchMs }
    if let batchSize { result.batch.initialBatchSize = batchSize }
    if let minBatchSize { result.batch.minBatchSize = minBatchSize }
    if let maxBatchSize { result.batch.maxBatchSize = maxBatchSize }
    if let lockTimeout { result.batch.lockTimeout = lockTimeout }
    if let statementTimeout { result.batch.statementTimeout = statementTimeout }
    return result
  }

  func makeOptions(for spec: BackfillSpec) -> BackfillOptions {
    let base = BackfillTuning(maxAttempts: maxAttempts, maxErrorRatio: maxErrorRatio)
    let policy = ThrottlePolicy(
      pauseReplicaLag: .seconds(double: pauseReplicaLag),
      abortReplicaLag: abortReplicaLag.map { .seconds(double: $0) },
      pauseTransactionAge: .seconds(double: pauseTransactionAge),
      abortTransactionAge: abortTransactionAge.map { .seconds(double: $0) },
      pauseActiveBackends: pauseActiveBackends,
      abortActiveBackends: abortActiveBackends,
      pausesForAutovacuum: pauseOnAutovacuum,
      maxRowsPerSecond: maxRowsPerSecond,
      maxPause: maxPause.map { .seconds(double: $0) }
    )
    let isBar = progressMode == .bar
    return BackfillOptions(
      workers: workers,
      workerName: workerID ?? "\(Self.hostName()):\(getpid())",
      tuning: BackfillOptions.tuning(for: spec.batch, base: base),
      policy: policy,
      pauseFile: pauseFile,
      minRanges: minRanges,
      progressInterval: .seconds(double: progressInterval ?? (isBar ? 1 : 5)),
      restRatio: restRatio,
      isWorkerGone: Self.isGone
    )
  }

  var progressMode: ProgressArgument {
    guard progress == .auto else { return progress }
    return Terminal.isTTY(2) ? .bar : .lines
  }

  var sqlitePath: String? {
    for prefix in ["sqlite://", "sqlite:"] where databaseURL.hasPrefix(prefix) {
      return String(databaseURL.dropFirst(prefix.count))
    }
    return nil
  }

  func execute(console: Console) -> ShiftExitCode {
    do {
      if let path = sqlitePath {
        let spec = try makeSpec(isSQLite: true)
        var session = try open { () throws(DriverError) in try SQLiteConnection(path: path) }
        let target = try SQLiteTarget.resolve(spec, on: &session)
        return try run(
          target,
          spec: spec,
          session: &session,
          connect: { () throws(DriverError) in try SQLiteConnection(path: path) },
          console: console
        )
      }
      let url = databaseURL
      let spec = try makeSpec(isSQLite: false)
      var session = try open { () throws(DriverError) in
        try PostgresConnection(connectingTo: url)
      }
      let target = try PostgresTarget.resolve(spec, on: &session)
      return try run(
        target,
        spec: spec,
        session: &session,
        connect: { () throws(DriverError) in try PostgresConnection(connectingTo: url) },
        console: console
      )
    } catch {
      console.error("error: backfill: \(error)")
      return .failure
    }
  }

  private func open<S: ~Copyable>(_ body: () throws(DriverError) -> S) throws(BackfillError) -> S {
    do {
      return try body()
    } catch {
      // Driver errors never contain the connection string.
      throw BackfillError(.database, message: "connecting", driverError: error)
    }
  }

  private func run<S: DatabaseSession & ~Copyable & SendableMetatype>(
    _ target: (sql: BackfillSQL, estimatedRows: Int),
    spec: BackfillSpec,
    session: inout S,
    connect: @escaping @Sendable () throws(DriverError) -> S,
    console: Console
  ) throws(BackfillError) -> ShiftExitCode {
    let job = BackfillJob(
      sql: target.sql,
      estimatedRows: target.estimatedRows,
      options: makeOptions(for: spec)
    )
    if dryRun {
      console.write(BackfillDryRun.describe(job, ledger: try? job.existingProgress(on: &session)))
      return .success
    }
    let mode = progressMode
    var lastWidth = 0
    let summary = try job.run(on: &session, connect: connect) { progress in
      switch mode {
      case .bar:
        let text = progress.bar()
        let padding = String(repeating: " ", count: max(0, lastWidth - text.count))
        lastWidth = text.count
        console.error("\r" + text + padding, newline: false)
      case .lines: console.error(progress.line)
      case .none, .auto: break
      }
    }
    if mode == .bar { console.error("") }
    let progress = summary.progress
    var text = "backfill \(spec.name): \(progress.state)"
    text += ", \(summary.keysWalked) rows walked and \(summary.rowsChanged) changed by this process"
    text += " in \(ProgressFormat.seconds(progress.elapsed))"
    if progress.elapsed.seconds > 0 {
      text += " (\(Int((Double(summary.keysWalked) / progress.elapsed.seconds).rounded())) rows/s)"
    }
    text += "; ledger: \(progress.keysDone) of ~\(progress.keysEstimated) rows,"
    text += " \(progress.rangesDone)/\(progress.ranges) ranges done"
    if !summary.failedRanges.isEmpty {
      text += "; failed key ranges: " + summary.failedRanges.joined(separator: ", ")
    }
    console.write(text + "\n")
    return .success
  }

  /// Whether a default worker name (`host:pid`, `/n` for its threads) names a process of this
  /// host that has ended.
  static func isGone(_ worker: String) -> Bool {
    let name = worker.split(separator: "/").first.map(String.init) ?? worker
    guard let colon = name.lastIndex(of: ":"), name[..<colon] == hostName(),
      let pid = Int32(name[name.index(after: colon)...]), pid > 0
    else { return false }
    return kill(pid, 0) == -1 && errno == ESRCH
  }

  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// How `backfill` shows progress.
enum ProgressArgument: String, ExpressibleByArgument, CaseIterable {
  case auto, bar, lines, none
}

private enum ProgressFormat {
  static func seconds(_ duration: Duration) -> String {
    let value = duration.seconds
    return "\(Double(Int(value * 10)) / 10)s"
  }
}

extension Duration {
  fileprivate var seconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) / 1e18
  }

  fileprivate static func seconds(double value: Double) -> Duration {
    .nanoseconds(Int64((value * 1e9).rounded()))
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: String) -> String {
    var text = self
    while let first = text.first, set.contains(first) { text.removeFirst() }
    while let last = text.last, set.contains(last) { text.removeLast() }
    return String(text)
  }
}
