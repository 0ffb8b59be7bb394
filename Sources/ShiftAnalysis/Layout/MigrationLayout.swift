public import ShiftSyntax

/// Recognises the migration runner a folder is laid out for and lists its migrations the
/// way that runner applies them.
///
/// Pure: the caller passes the folder's files as `/`-separated paths relative to the
/// migration set's root and a closure that returns a file's bytes. The rules of each
/// runner, with the sources they were checked against, are in `docs/migration-runners.md`.
public enum MigrationLayout {
  /// Whether a file name is a rollback script in a plain folder (`down.sql`, `*.down.sql`,
  /// `*_down.sql`, `*-down.sql`).
  public static func isRollbackScript(_ path: String) -> Bool {
    let name = baseName(path).lowercased()
    return name == "down.sql" || name.hasSuffix(".down.sql") || name.hasSuffix("_down.sql")
      || name.hasSuffix("-down.sql")
  }

  /// Finds the runners whose signs the migration set shows: control files (`sqitch.plan`,
  /// `atlas.sum`, `migration_lock.toml`), file and folder naming that only one runner uses,
  /// and section markers inside the `.sql` files (`-- +goose Up`, `-- migrate:up`,
  /// `-- atlas:`).
  ///
  /// - Parameters:
  ///   - paths: the set's files, relative to its root.
  ///   - contents: returns a file's bytes.
  /// - Returns: the candidates; more than one means the caller must choose.
  /// - Throws: whatever `contents` throws.
  public static func detect(
    paths: [String],
    contents: (String) throws -> [UInt8]
  ) rethrows -> RunnerDetection {
    var evidence: [MigrationRunner: String] = [:]
    let names = Set(paths)
    let sql = paths.filter(isSQL).sorted(by: VersionOrder.lexical)
    let topLevel = sql.filter { !$0.contains("/") }

    if names.contains("sqitch.plan") {
      evidence[.sqitch] = "sqitch.plan"
    } else if paths.contains(where: { $0.hasPrefix("deploy/") }),
      paths.contains(where: { $0.hasPrefix("revert/") })
    {
      evidence[.sqitch] = "deploy/ and revert/ folders"
    }
    if names.contains("atlas.sum") { evidence[.atlas] = "atlas.sum" }
    if names.contains("migration_lock.toml") {
      evidence[.prisma] = "migration_lock.toml"
    } else if !sql.isEmpty, sql.allSatisfy({ folderFile($0)?.file == "migration.sql" }) {
      evidence[.prisma] = "one folder per migration with migration.sql"
    }
    if !sql.isEmpty,
      sql.allSatisfy({ path in
        guard let (folder, file) = folderFile(path) else { return false }
        return (file == "up.sql" || file == "down.sql") && folder.first?.isNumber == true
      }),
      sql.contains(where: { baseName($0) == "up.sql" })
    {
      evidence[.diesel] = "one folder per migration with up.sql and down.sql"
    }
    if !topLevel.isEmpty, topLevel.count == sql.count,
      topLevel.allSatisfy({ golangMigrateName($0) != nil }),
      topLevel.contains(where: { golangMigrateName($0)?.direction == .up })
    {
      evidence[.golangMigrate] = "NNN_name.up.sql / .down.sql files"
    }
    if !sql.isEmpty, sql.allSatisfy({ flywayName(baseName($0)) != nil }),
      sql.contains(where: { flywayName(baseName($0))?.kind != .undo })
    {
      evidence[.flyway] = "V<version>__<name>.sql files"
    }
    for path in sql {
      let bytes = try contents(path)
      let lines = SourceLines(bytes)
      for (offset, line) in lines.lines.enumerated() {
        let text = lines.text(line)
        guard text.hasPrefix("--") else { continue }
        if evidence[.goose] == nil, GooseFile.annotation(text) == "up" {
          evidence[.goose] = "\(path):\(offset + 1): -- +goose Up"
        }
        if evidence[.dbmate] == nil, DbmateFile.directive(text)?.0 == "up" {
          evidence[.dbmate] = "\(path):\(offset + 1): -- migrate:up"
        }
        if evidence[.atlas] == nil, !path.contains("/"), atlasDirective(text) != nil {
          evidence[.atlas] = "\(path):\(offset + 1): -- atlas: directive"
        }
      }
    }
    let candidates = MigrationRunner.allCases.filter { evidence[$0] != nil }
    return RunnerDetection(candidates: candidates, evidence: evidence)
  }

  /// Lists the migrations of a set in the order `runner` applies them in `direction`, with
  /// each unit's transaction mode and, for files that hold both directions, the bytes of
  /// the chosen section alone (the rest blanked, so positions stay true).
  ///
  /// - Parameters:
  ///   - paths: the set's files, relative to its root.
  ///   - runner: the runner whose rules apply; `nil` detects it (see ``detect(paths:contents:)``).
  ///   - direction: `.up` (default) or `.down` (rollbacks, in reverse order).
  ///   - dialect: the dialect used to count the statements of goose `StatementBegin` blocks.
  ///   - contents: returns a file's bytes.
  /// - Returns: the plan.
  /// - Throws: ``LayoutError`` when the set breaks the runner's rules or detection is
  ///   ambiguous; otherwise whatever `contents` throws.
  public static func plan(
    paths: [String],
    runner: MigrationRunner? = nil,
    direction: MigrationDirection = .up,
    dialect: Dialect = .postgres,
    contents: (String) throws -> [UInt8]
  ) throws -> MigrationPlan {
    let chosen: MigrationRunner
    if let runner {
      chosen = runner
    } else {
      let detection = try detect(paths: paths, contents: contents)
      if detection.isAmbiguous {
        let signs = detection.candidates.map {
          "\($0.rawValue) (\(detection.evidence[$0] ?? ""))"
        }
        throw LayoutError(
          .ambiguousRunner,
          path: "",
          message: "the folder fits several migration runners: "
            + signs.joined(separator: ", ") + "; choose one with --runner"
        )
      }
      chosen = detection.runner
    }
    var planner = RunnerPlanner(
      paths: paths,
      runner: chosen,
      direction: direction,
      dialect: dialect
    )
    return try planner.plan(contents: contents)
  }

  // MARK: - Names

  static func isSQL(_ path: String) -> Bool { path.lowercased().hasSuffix(".sql") }

  static func baseName(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }

  /// `(folder, file)` for a path exactly one folder deep.
  static func folderFile(_ path: String) -> (folder: String, file: String)? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty else { return nil }
    return (String(parts[0]), String(parts[1]))
  }

  /// golang-migrate's `^([0-9]+)_(.*)\.(down|up)\.(.*)$` on a top-level `.sql` file.
  static func golangMigrateName(
    _ name: String
  ) -> (version: Substring, description: String, direction: MigrationDirection)? {
    guard !name.contains("/"), name.lowercased().hasSuffix(".sql") else { return nil }
    let stem = name.dropLast(4)
    let version = stem.prefix { $0.isASCII && $0.isNumber }
    guard !version.isEmpty, stem.dropFirst(version.count).first == "_" else { return nil }
    let rest = stem.dropFirst(version.count + 1)
    if rest.hasSuffix(".up") { return (version, String(rest.dropLast(3)), .up) }
    if rest.hasSuffix(".down") { return (version, String(rest.dropLast(5)), .down) }
    return nil
  }

  /// The kinds of Flyway SQL migration.
  enum FlywayKind {
    case versioned
    case undo
    case repeatable
  }

  /// Flyway's default naming: `V<version>__<description>.sql`, `U<version>__….sql`,
  /// `R__<description>.sql`; version parts are digits separated by `.` or `_`.
  static func flywayName(
    _ name: String
  ) -> (kind: FlywayKind, version: String, description: String)? {
    guard name.hasSuffix(".sql"), let prefix = name.first else { return nil }
    let stem = name.dropLast(4).dropFirst()
    let characters = Array(stem)
    guard
      let separator = characters.indices.dropLast().first(where: {
        characters[$0] == "_" && characters[$0 + 1] == "_"
      })
    else { return nil }
    let version = String(characters[..<separator])
    let description = String(characters[(separator + 2)...].map { $0 == "_" ? " " : $0 })
    switch prefix {
    case "R":
      return version.isEmpty ? (.repeatable, "", description) : nil
    case "V", "U":
      let parts = version.split(
        separator: ".",
        omittingEmptySubsequences: false
      ).flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
      guard parts.allSatisfy(VersionOrder.isDigits) else { return nil }
      return (prefix == "V" ? .versioned : .undo, version, description)
    default:
      return nil
    }
  }

  /// The value of an Atlas `-- atlas:txmode <mode>` (or any `-- atlas:<name>`) directive:
  /// `(name, value)`.
  static func atlasDirective(_ text: String) -> (name: String, value: String)? {
    guard text.hasPrefix("--") else { return nil }
    let rest = text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    guard rest.hasPrefix("atlas:") else { return nil }
    let words = String(rest.dropFirst(6)).layoutWords
    guard let name = words.first else { return nil }
    return (String(name), words.dropFirst().joined(separator: " "))
  }
}
