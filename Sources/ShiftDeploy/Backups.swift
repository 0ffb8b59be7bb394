import Foundation
public import ShiftDatabase
public import ShiftPlanner
public import ShiftSyntax

/// A backup file that was written and verified.
public struct TakenBackup: Sendable, Hashable {
  /// `pg_dump`, `pg_dump_table` or `sqlite`.
  public var kind: String
  /// What it holds, if not the whole database (`public.users`).
  public var object: String?
  /// The file.
  public var path: String
  /// Size in bytes.
  public var sizeBytes: Int
  /// SHA-256 of the file.
  public var sha256: String
  /// Whether verification passed.
  public var verified: Bool
}

/// Takes and verifies backups: PostgreSQL with `pg_dump` (custom format,
/// `--lock-wait-timeout`) checked by `pg_restore --list`; SQLite with `VACUUM INTO` checked
/// by `PRAGMA quick_check` on the copy.
public struct BackupTaker: Sendable {
  /// Where backup files go (created if missing).
  public var directory: String
  /// The target's dialect.
  public var dialect: Dialect
  /// The connection string (PostgreSQL URL or key/value string; SQLite path).
  ///
  /// The password is passed to pg_dump only through `PGPASSWORD`.
  public var connectionString: String
  /// Directory of `pg_dump`/`pg_restore`, or `nil` to use `PATH`.
  public var postgresBinDirectory: String?
  /// `pg_dump --lock-wait-timeout`: how long pg_dump waits for a table's share lock before
  /// giving up (so a backup never queues behind a long lock and blocks everyone after it).
  public var lockWaitTimeout: String
  /// The longest a dump may take, in seconds.
  public var timeoutSeconds: Double

  /// Creates a backup taker.
  public init(
    directory: String,
    dialect: Dialect,
    connectionString: String,
    postgresBinDirectory: String? = nil,
    lockWaitTimeout: String = "30s",
    timeoutSeconds: Double = 6 * 3600
  ) {
    self.directory = directory
    self.dialect = dialect
    self.connectionString = connectionString
    self.postgresBinDirectory = postgresBinDirectory
    self.lockWaitTimeout = lockWaitTimeout
    self.timeoutSeconds = timeoutSeconds
  }

  func tool(_ name: String) -> String {
    guard let dir = postgresBinDirectory, !dir.isEmpty else { return name }
    return dir.hasSuffix("/") ? dir + name : dir + "/" + name
  }

  /// A file name safe on any file system: letters, digits, `-`, `_`, `.`.
  static func fileSafe(_ text: String) -> String {
    String(
      text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }
        .prefix(80)
    )
  }

  private func prepareDirectory() throws {
    do {
      try FileManager.default.createDirectory(
        atPath: directory,
        withIntermediateDirectories: true
      )
    } catch {
      throw DeployError(.backupFailed, "cannot create the backup directory \(directory)")
    }
  }

  private func filePath(_ migrationID: String, _ label: String, _ suffix: String) -> String {
    let stamp = Self.stamp()
    let name = "\(Self.fileSafe(migrationID))-\(Self.fileSafe(label))-\(stamp)\(suffix)"
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  private static func stamp() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
    return formatter.string(from: Date())
  }

  /// Backs up the whole database before `phase`; finished (and verified) before it returns.
  public func backupDatabase(
    migrationID: String,
    phase: String,
    session: inout some DatabaseSession & ~Copyable
  ) throws -> TakenBackup {
    try prepareDirectory()
    switch dialect {
    case .postgres:
      let path = filePath(migrationID, "before-\(phase)", ".dump")
      try pgDump(["--format=custom"], to: path, what: "the database")
      return try finish(kind: "pg_dump", object: nil, path: path, verify: verifyDump)
    case .sqlite:
      let path = filePath(migrationID, "before-\(phase)", ".sqlite")
      do {
        _ = try session.query("VACUUM INTO ?1", [path])
      } catch {
        throw DeployError(.backupFailed, "VACUUM INTO \(path) failed: \(error)")
      }
      let check: String
      do {
        _ = try session.query("ATTACH DATABASE ?1 AS safeshift_backup_check", [path])
        defer { _ = try? session.query("DETACH DATABASE safeshift_backup_check", []) }
        check = try session.query("PRAGMA safeshift_backup_check.quick_check", [])
          .compactMap { $0.first ?? nil }.joined(separator: "; ")
      } catch {
        throw DeployError(.backupFailed, "cannot open the backup \(path) to check it: \(error)")
      }
      guard check == "ok" else {
        throw DeployError(.backupFailed, "PRAGMA quick_check of the backup \(path) says: \(check)")
      }
      return try finish(kind: "sqlite", object: nil, path: path) { _ in }
    }
  }

  /// Dumps the table holding what a contract step destroys (schema and data of that
  /// table; pg_dump cannot select columns, so a column drop dumps the whole table, key and
  /// dropped columns included).
  public func backupData(_ spec: BackupSpec, migrationID: String, stepID: String) throws
    -> TakenBackup?
  {
    guard dialect == .postgres else { return nil }
    try prepareDirectory()
    let object = "\(spec.schema).\(spec.table)"
    let path = filePath(migrationID, "\(stepID)-\(spec.schema)-\(spec.table)", ".dump")
    // pg_dump's -t takes a pattern; double-quoted parts match literally (no wildcards,
    // case kept), so the identifiers are quoted as in SQL.
    let pattern = SQLIdentifier.quoted(spec.schema) + "." + SQLIdentifier.quoted(spec.table)
    try pgDump(["--format=custom", "--table=\(pattern)"], to: path, what: object)
    return try finish(kind: "pg_dump_table", object: object, path: path, verify: verifyDump)
  }

  private func pgDump(_ options: [String], to path: String, what: String) throws {
    let credentials = PostgresCredentials(connectionString)
    let result = try ProcessRunner().run(
      tool("pg_dump"),
      options + [
        "--lock-wait-timeout=\(lockWaitTimeout)", "--no-password", "--file=\(path)",
        "--dbname=\(credentials.connectionString)",
      ],
      environment: credentials.environment,
      timeoutSeconds: timeoutSeconds
    )
    guard result.status == 0, !result.timedOut else {
      try? FileManager.default.removeItem(atPath: path)
      let reason =
        result.timedOut
        ? "it ran past \(Int(timeoutSeconds)) s"
        : Self.redacted(result.errorOutput, credentials)
      throw DeployError(
        .backupFailed,
        "pg_dump of \(what) failed: \(reason)",
        hint: "no phase runs without a backup; fix the cause (pg_dump must be at least the "
          + "server's version: --pg-bin-dir) or pass --no-backup to run without one (recorded)"
      )
    }
  }

  static func redacted(_ text: String, _ credentials: PostgresCredentials) -> String {
    var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if let password = credentials.password, !password.isEmpty {
      result = result.replacingOccurrences(of: password, with: "***")
    }
    return String(result.prefix(2000))
  }

  private func verifyDump(_ path: String) throws {
    let result = try ProcessRunner().run(
      tool("pg_restore"),
      ["--list", path],
      timeoutSeconds: 600
    )
    guard result.status == 0, result.output.contains("Archive created at") else {
      throw DeployError(
        .backupFailed,
        "pg_restore --list cannot read the backup \(path): "
          + result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
      )
    }
  }

  private func finish(
    kind: String,
    object: String?,
    path: String,
    verify: (String) throws -> Void
  ) throws -> TakenBackup {
    try verify(path)
    let (size, digest) = try Self.digest(path: path)
    guard size > 0 else { throw DeployError(.backupFailed, "the backup \(path) is empty") }
    return TakenBackup(
      kind: kind,
      object: object,
      path: path,
      sizeBytes: size,
      sha256: digest,
      verified: true
    )
  }

  /// Size and SHA-256 of a file, read in 1 MiB chunks.
  public static func digest(path: String) throws -> (size: Int, sha256: String) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw DeployError(.backupFailed, "cannot read the backup \(path)")
    }
    defer { try? handle.close() }
    var digest = SHA256()
    var size = 0
    while true {
      let chunk = handle.readData(ofLength: 1 << 20)
      if chunk.isEmpty { break }
      size += chunk.count
      digest.update(chunk)
    }
    return (size, digest.finalizeHex())
  }
}
