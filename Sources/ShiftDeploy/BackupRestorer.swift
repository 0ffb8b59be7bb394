import Foundation
public import ShiftSyntax

/// Restores a recorded backup after checking its SHA-256 against the ledger.
public struct BackupRestorer: Sendable {
  /// The backup's dialect.
  public var dialect: Dialect
  /// Directory of `pg_restore`, or `nil` for `PATH`.
  public var postgresBinDirectory: String?

  /// Creates a restorer.
  public init(dialect: Dialect, postgresBinDirectory: String? = nil) {
    self.dialect = dialect
    self.postgresBinDirectory = postgresBinDirectory
  }

  /// Restores `backup` (its file at `path`) into `target`.
  ///
  /// - Parameters:
  ///   - backup: the ledger's record (its SHA-256 is checked first).
  ///   - path: the backup file.
  ///   - target: a PostgreSQL connection string, or a SQLite file.
  ///   - clean: PostgreSQL: drop the objects the backup holds first; SQLite: overwrite an
  ///     existing file.
  /// - Throws: ``DeployError`` `.backupFailed` when the file is missing, its checksum differs
  ///   from the ledger's, or pg_restore fails.
  public func restore(_ backup: BackupRecord, path: String, to target: String, clean: Bool) throws {
    let (_, digest) = try BackupTaker.digest(path: path)
    if let expected = backup.sha256, expected != digest {
      throw DeployError(
        .backupFailed,
        "backup #\(backup.id) (\(path)) does not match its recorded SHA-256 "
          + "(\(expected.prefix(12))… recorded, \(digest.prefix(12))… on disk); not restoring"
      )
    }
    switch dialect {
    case .postgres:
      let credentials = PostgresCredentials(target)
      let tool = postgresBinDirectory.map { ($0.hasSuffix("/") ? $0 : $0 + "/") + "pg_restore" }
      var arguments = ["--no-owner", "--no-password", "--exit-on-error"]
      if clean { arguments += ["--clean", "--if-exists"] }
      if backup.kind == "pg_dump_table" {
        // A table dump is restored as the table and its rows only: its triggers, indexes
        // and foreign keys (post-data) name objects a scratch database does not have.
        arguments += ["--section=pre-data", "--section=data"]
      }
      arguments += ["--dbname=\(credentials.connectionString)", path]
      let result = try ProcessRunner().run(
        tool ?? "pg_restore",
        arguments,
        environment: credentials.environment
      )
      guard result.status == 0 else {
        throw DeployError(
          .backupFailed,
          "pg_restore of backup #\(backup.id) failed: "
            + BackupTaker.redacted(result.errorOutput, credentials)
        )
      }
    case .sqlite:
      var destination = target
      for prefix in ["sqlite://", "sqlite:", "file:"] where destination.hasPrefix(prefix) {
        destination = String(destination.dropFirst(prefix.count))
        break
      }
      let manager = FileManager.default
      if manager.fileExists(atPath: destination) {
        guard clean else {
          throw DeployError(
            .backupFailed,
            "\(destination) exists; pass --clean to replace it (stop the application first)"
          )
        }
        try? manager.removeItem(atPath: destination)
        for suffix in ["-wal", "-shm", "-journal"] {
          try? manager.removeItem(atPath: destination + suffix)
        }
      }
      do {
        try manager.copyItem(atPath: path, toPath: destination)
      } catch {
        throw DeployError(.backupFailed, "cannot copy \(path) to \(destination)")
      }
    }
  }
}
