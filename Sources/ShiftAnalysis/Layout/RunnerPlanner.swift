import ShiftCore
import ShiftSyntax

/// Applies one runner's naming, ordering and transaction rules to a migration set.
struct RunnerPlanner {
  let paths: [String]
  let runner: MigrationRunner
  let direction: MigrationDirection
  let dialect: Dialect
  private var ignored: [String] = []

  init(paths: [String], runner: MigrationRunner, direction: MigrationDirection, dialect: Dialect) {
    self.paths = paths.sorted(by: VersionOrder.lexical)
    self.runner = runner
    self.direction = direction
    self.dialect = dialect
  }

  /// A unit before its bytes are attached.
  private struct Entry {
    var path: String
    var version: String?
    var description: String
    var mode: TransactionMode
    var reason: String
  }

  mutating func plan(contents: (String) throws -> [UInt8]) throws -> MigrationPlan {
    let units: [MigrationUnit]
    switch runner {
    case .plain: units = try plain(contents)
    case .golangMigrate: units = try golangMigrate(contents)
    case .goose: units = try goose(contents)
    case .dbmate: units = try dbmate(contents)
    case .flyway: units = try flyway(contents)
    case .diesel: units = try diesel(contents)
    case .prisma: units = try prisma(contents)
    case .sqitch: units = try sqitch(contents)
    case .atlas: units = try atlas(contents)
    }
    let used = Set(units.map(\.path))
    let rest = paths.filter { !used.contains($0) && !ignored.contains($0) }
    return MigrationPlan(
      runner: runner,
      direction: direction,
      units: units,
      ignored: ignored + rest
    )
  }

  private func whole(_ entries: [Entry], _ contents: (String) throws -> [UInt8]) throws
    -> [MigrationUnit]
  {
    let ordered = direction == .up ? entries : entries.reversed()
    return try ordered.map { entry in
      MigrationUnit(
        path: entry.path,
        version: entry.version,
        description: entry.description,
        direction: direction,
        transactionMode: entry.mode,
        transactionReason: entry.reason,
        bytes: try contents(entry.path)
      )
    }
  }

  private static func stem(_ name: String) -> String {
    name.lowercased().hasSuffix(".sql") ? String(name.dropLast(4)) : name
  }

  private static func splitVersion(_ name: String) -> (version: String?, description: String) {
    guard let underscore = name.firstIndex(of: "_") else { return (nil, name) }
    return (String(name[..<underscore]), String(name[name.index(after: underscore)...]))
  }

  private static func duplicate(_ path: String, _ other: String, _ version: String) -> LayoutError {
    LayoutError(
      .duplicateVersion,
      path: path,
      message: "\(path) and \(other) share version \(version)"
    )
  }

  // MARK: plain

  private func plain(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    let files = paths.filter {
      MigrationLayout.isSQL($0) && MigrationLayout.isRollbackScript($0) == (direction == .down)
    }
    let entries = files.map { path in
      let name = Self.stem(MigrationLayout.baseName(path))
      let digits = VersionOrder.leadingDigits(name)
      return Entry(
        path: path,
        version: digits.isEmpty ? nil : String(digits),
        description: name,
        mode: .unspecified,
        reason: "plain folder: how the files are applied is not known"
      )
    }
    return try whole(entries, contents)
  }

  // MARK: golang-migrate

  private mutating func golangMigrate(
    _ contents: (String) throws -> [UInt8]
  ) throws -> [MigrationUnit] {
    var entries: [(Substring, Entry)] = []
    for path in paths where MigrationLayout.isSQL(path) {
      guard let name = MigrationLayout.golangMigrateName(path) else {
        ignored.append(path)
        continue
      }
      guard name.direction == direction else { continue }
      entries.append(
        (
          name.version,
          Entry(
            path: path,
            version: String(name.version),
            description: name.description,
            mode: .implicitMultiStatement,
            reason: "golang-migrate's postgres driver sends the whole file in one Exec; "
              + "PostgreSQL runs it as one implicit transaction"
          )
        )
      )
    }
    entries.sort { VersionOrder.compareNumeric($0.0, $1.0) < 0 }
    for (left, right) in zip(entries, entries.dropFirst())
    where VersionOrder.compareNumeric(left.0, right.0) == 0 {
      throw Self.duplicate(right.1.path, left.1.path, String(right.0))
    }
    return try whole(entries.map(\.1), contents)
  }

  // MARK: goose

  private mutating func goose(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    var files: [(version: Substring, path: String)] = []
    for path in paths where MigrationLayout.isSQL(path) {
      guard !path.contains("/") else {
        ignored.append(path)
        continue
      }
      let version = VersionOrder.leadingDigits(path)
      guard !version.isEmpty, path.dropFirst(version.count).first == "_",
        version.contains(where: { $0 != "0" })
      else {
        throw LayoutError(
          .invalidName,
          path: path,
          message: "goose: file names start with a positive version and '_' "
            + "(00001_name.sql or 20240101120000_name.sql)"
        )
      }
      files.append((version, path))
    }
    files.sort { VersionOrder.compareNumeric($0.version, $1.version) < 0 }
    for (left, right) in zip(files, files.dropFirst())
    where VersionOrder.compareNumeric(left.version, right.version) == 0 {
      throw Self.duplicate(right.path, left.path, String(right.version))
    }
    var units: [MigrationUnit] = []
    for file in files {
      let bytes = try contents(file.path)
      let parsed = try GooseFile(bytes: bytes, path: file.path)
      let section = direction == .up ? parsed.up : parsed.down
      let masked = SourceLines.mask(bytes, keeping: section)
      let groups = parsed.groups.filter { section.contains($0.range.lowerBound) }
      units.append(
        MigrationUnit(
          path: file.path,
          version: String(file.version),
          description: Self.splitVersion(Self.stem(file.path)).description,
          direction: direction,
          transactionMode: parsed.noTransaction ? .autocommit : .perFile,
          transactionReason: parsed.noTransaction
            ? "-- +goose NO TRANSACTION: goose runs each statement on its own"
            : "goose default: each file runs in its own transaction",
          section: section,
          statementGroups: statementGroups(groups, in: masked, path: file.path),
          bytes: masked
        )
      )
    }
    return direction == .up ? units : units.reversed()
  }

  private func statementGroups(
    _ groups: [(range: Range<Int>, line: Int)],
    in masked: [UInt8],
    path: String
  ) -> [StatementGroup] {
    guard !groups.isEmpty else { return [] }
    var starts: [Int] = []
    SQLParser.forEachStatement(
      in: SourceFile(path: path, bytes: masked),
      dialect: dialect
    ) { starts.append($0.range.start) }
    return groups.map { group in
      StatementGroup(
        range: group.range,
        beginLine: group.line,
        statementCount: starts.filter { group.range.contains($0) }.count
      )
    }
  }

  // MARK: dbmate

  private mutating func dbmate(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    var units: [MigrationUnit] = []
    for path in paths where MigrationLayout.isSQL(path) {
      guard !path.contains("/"), path.first?.isNumber == true else {
        ignored.append(path)
        continue
      }
      let bytes = try contents(path)
      let parsed = try DbmateFile(bytes: bytes, path: path)
      if direction == .down, !parsed.hasDown {
        throw LayoutError(
          .malformedMarker,
          path: path,
          message: "dbmate: no '-- migrate:down' directive to roll back with"
        )
      }
      let section = direction == .up ? parsed.up : parsed.down
      let transaction = direction == .up ? parsed.upTransaction : parsed.downTransaction
      units.append(
        MigrationUnit(
          path: path,
          version: String(VersionOrder.leadingDigits(path)),
          description: Self.splitVersion(Self.stem(path)).description,
          direction: direction,
          transactionMode: transaction ? .perFile : .implicitMultiStatement,
          transactionReason: transaction
            ? "dbmate default: each migration runs in its own transaction"
            : "-- migrate:\(direction.rawValue) transaction:false: dbmate sends the section "
              + "in one Exec, which PostgreSQL runs as one implicit transaction",
          section: section,
          bytes: SourceLines.mask(bytes, keeping: section)
        )
      )
    }
    return direction == .up ? units : units.reversed()
  }

  // MARK: Flyway

  private mutating func flyway(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    var versioned: [(version: String, entry: Entry)] = []
    var repeatable: [Entry] = []
    let names = Set(paths)
    for path in paths where MigrationLayout.isSQL(path) {
      guard let name = MigrationLayout.flywayName(MigrationLayout.baseName(path)) else {
        ignored.append(path)
        continue
      }
      let wanted: MigrationLayout.FlywayKind = direction == .up ? .versioned : .undo
      guard name.kind == wanted || (direction == .up && name.kind == .repeatable) else {
        continue
      }
      var entry = Entry(
        path: path,
        version: name.kind == .repeatable ? nil : name.version,
        description: name.description,
        mode: .perFile,
        reason: "Flyway default: each script runs in its own transaction"
      )
      if names.contains(path + ".conf") {
        ignored.append(path + ".conf")
        if try Self.flywayNoTransaction(contents(path + ".conf")) {
          entry.mode = .autocommit
          entry.reason = "\(MigrationLayout.baseName(path)).conf: executeInTransaction=false"
        }
      }
      if entry.mode == .perFile, dialect == .postgres,
        try Self.hasNonTransactionalStatement(contents(path))
      {
        entry.mode = .autocommit
        entry.reason =
          "Flyway runs a script outside a transaction when it holds a statement PostgreSQL "
          + "refuses in one (CONCURRENTLY, VACUUM)"
      }
      if name.kind == .repeatable {
        repeatable.append(entry)
      } else {
        versioned.append((name.version, entry))
      }
    }
    versioned.sort { VersionOrder.compareFlyway($0.version, $1.version) < 0 }
    for (left, right) in zip(versioned, versioned.dropFirst())
    where VersionOrder.compareFlyway(left.version, right.version) == 0 {
      throw Self.duplicate(right.entry.path, left.entry.path, right.version)
    }
    if direction == .down, versioned.isEmpty {
      throw LayoutError(
        .noDownMigrations,
        path: "",
        message: "flyway: no U<version>__<name>.sql undo scripts to lint"
      )
    }
    repeatable.sort { VersionOrder.lexical($0.description, $1.description) }
    return try whole(versioned.map(\.entry) + repeatable, contents)
  }

  private static func flywayNoTransaction(_ bytes: [UInt8]) -> Bool {
    let lines = SourceLines(bytes)
    return lines.lines.contains { line in
      let text = lines.text(line).filter { $0 != " " && $0 != "\t" }
      return text.lowercased() == "executeintransaction=false"
    }
  }

  private static func hasNonTransactionalStatement(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      var lexer = Lexer(bytes: buffer, dialect: .postgres)
      while let token = lexer.next() {
        if token.kind == .word, token.keyword == .concurrently || token.keyword == .vacuum {
          return true
        }
      }
      return false
    }
  }

  // MARK: diesel

  private mutating func diesel(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    var entries: [(version: String, entry: Entry)] = []
    let names = Set(paths)
    let file = direction == .up ? "up.sql" : "down.sql"
    for path in paths where MigrationLayout.baseName(path) == "up.sql" {
      guard let (folder, _) = MigrationLayout.folderFile(path) else {
        ignored.append(path)
        continue
      }
      let (version, description) = Self.splitVersion(folder)
      guard let version, version.first?.isNumber == true else {
        throw LayoutError(
          .invalidName,
          path: path,
          message: "diesel: migration folders are named {version}_{name}, not '\(folder)'"
        )
      }
      let target = folder + "/" + file
      guard names.contains(target) else { continue }
      var entry = Entry(
        path: target,
        version: version,
        description: description,
        mode: .perFile,
        reason: "diesel default: each migration runs in its own transaction"
      )
      let metadata = folder + "/metadata.toml"
      if names.contains(metadata) {
        ignored.append(metadata)
        if try Self.tomlFlag(contents(metadata), key: "run_in_transaction") == false {
          entry.mode = .implicitMultiStatement
          entry.reason =
            "metadata.toml: run_in_transaction = false (diesel sends the file as one "
            + "multi-statement query, which PostgreSQL runs as one implicit transaction)"
        }
      }
      entries.append((String(version.filter { $0 != "-" }), entry))
    }
    entries.sort { VersionOrder.lexical($0.version, $1.version) }
    for (left, right) in zip(entries, entries.dropFirst()) where left.version == right.version {
      throw Self.duplicate(right.entry.path, left.entry.path, right.entry.version ?? "")
    }
    return try whole(entries.map(\.entry), contents)
  }

  private static func tomlFlag(_ bytes: [UInt8], key: String) -> Bool? {
    let lines = SourceLines(bytes)
    for line in lines.lines {
      let text = lines.text(line).filter { $0 != " " && $0 != "\t" }
      if text.hasPrefix(key + "=") {
        let value = text.dropFirst(key.count + 1).prefix { $0 != "#" }
        if value == "false" { return false }
        if value == "true" { return true }
      }
    }
    return nil
  }

  // MARK: Prisma

  private mutating func prisma(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    guard direction == .up else {
      throw LayoutError(
        .noDownMigrations,
        path: "",
        message: "prisma: Prisma Migrate keeps no down migrations to lint"
      )
    }
    let entries = paths.compactMap { path -> Entry? in
      guard let (folder, file) = MigrationLayout.folderFile(path), file == "migration.sql" else {
        return nil
      }
      let (version, description) = Self.splitVersion(folder)
      return Entry(
        path: path,
        version: version,
        description: description,
        mode: .implicitMultiStatement,
        reason: "Prisma sends migration.sql as one multi-statement query, which PostgreSQL "
          + "runs as one implicit transaction"
      )
    }
    return try whole(entries, contents)
  }

  // MARK: Sqitch

  private mutating func sqitch(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    let folder = direction == .up ? "deploy/" : "revert/"
    let names = Set(paths)
    var scripts: [(path: String, name: String)] = []
    if names.contains("sqitch.plan") {
      for change in try Self.sqitchPlan(contents("sqitch.plan")) {
        let path = folder + change.file + ".sql"
        guard names.contains(path) else {
          throw LayoutError(
            .invalidName,
            path: "sqitch.plan",
            line: change.line,
            message: "sqitch: change '\(change.name)' has no \(path)"
          )
        }
        scripts.append((path, change.name))
      }
    } else {
      scripts = paths.filter { $0.hasPrefix(folder) && MigrationLayout.isSQL($0) }.map {
        ($0, Self.stem(String($0.dropFirst(folder.count))))
      }
    }
    let entries = scripts.map { script in
      Entry(
        path: script.path,
        version: nil,
        description: script.name,
        mode: .autocommit,
        reason: "sqitch runs the script with psql and adds no transaction; the script's own "
          + "BEGIN/COMMIT (as sqitch's templates write) groups statements"
      )
    }
    return try whole(entries, contents)
  }

  /// The changes of a `sqitch.plan` in order: name, script file stem, line.
  ///
  /// A change that is reworked later reads its earlier script from `name@tag` (the first
  /// tag after it).
  static func sqitchPlan(_ bytes: [UInt8]) -> [(name: String, file: String, line: Int)] {
    let lines = SourceLines(bytes)
    var changes: [(name: String, line: Int, tag: String?)] = []
    for (offset, line) in lines.lines.enumerated() {
      let text = lines.text(line).drop { $0 == " " || $0 == "\t" }
      guard let first = text.first, first != "%", first != "#" else { continue }
      if first == "@" {
        let tag = String(text.dropFirst().prefix { $0 != " " && $0 != "\t" })
        for index in changes.indices where changes[index].tag == nil {
          changes[index].tag = tag
        }
        continue
      }
      var name = String(text.prefix { $0 != " " && $0 != "\t" && $0 != "[" })
      if name.hasPrefix("+") || name.hasPrefix("-") { name.removeFirst() }
      guard !name.isEmpty else { continue }
      changes.append((name, offset + 1, nil))
    }
    return changes.enumerated().map { index, change in
      let reworked = changes[(index + 1)...].contains { $0.name == change.name }
      let file = reworked ? change.name + "@" + (change.tag ?? "HEAD") : change.name
      return (change.name, file, change.line)
    }
  }

  // MARK: Atlas

  private mutating func atlas(_ contents: (String) throws -> [UInt8]) throws -> [MigrationUnit] {
    guard direction == .up else {
      throw LayoutError(
        .noDownMigrations,
        path: "",
        message: "atlas: 'atlas migrate down' computes rollbacks from the database; "
          + "there are no down files to lint"
      )
    }
    var entries: [Entry] = []
    for path in paths where MigrationLayout.isSQL(path) {
      guard !path.contains("/") else {
        ignored.append(path)
        continue
      }
      let (version, description) = Self.splitVersion(Self.stem(path))
      var entry = Entry(
        path: path,
        version: version ?? Self.stem(path),
        description: version == nil ? "" : description,
        mode: .perFile,
        reason: "Atlas default (--tx-mode file): each file runs in its own transaction"
      )
      if let mode = try Self.atlasTxMode(contents(path), path: path) {
        switch mode.value {
        case "none":
          entry.mode = .autocommit
          entry.reason = "-- atlas:txmode none: Atlas runs each statement on its own"
        case "file":
          entry.reason = "-- atlas:txmode file: the file runs in its own transaction"
        default:
          entry.reason =
            "-- atlas:txmode all: one transaction around all pending files "
            + "(locks are held at least to the end of this file)"
        }
      }
      entries.append(entry)
    }
    return try whole(entries, contents)
  }

  /// The `-- atlas:txmode` directive of a file's header (the leading comment lines).
  static func atlasTxMode(_ bytes: [UInt8], path: String) throws(LayoutError)
    -> (value: String, line: Int)?
  {
    let lines = SourceLines(bytes)
    for (offset, line) in lines.lines.enumerated() {
      if lines.isBlank(line) { continue }
      guard lines.isLineComment(line) else { break }
      guard let directive = MigrationLayout.atlasDirective(lines.text(line)),
        directive.name == "txmode"
      else { continue }
      guard ["none", "file", "all"].contains(directive.value) else {
        throw LayoutError(
          .malformedMarker,
          path: path,
          line: offset + 1,
          message: "atlas: txmode takes none, file or all, not '\(directive.value)'"
        )
      }
      return (directive.value, offset + 1)
    }
    return nil
  }
}
