import ArgumentParser
import Foundation
import ShiftCore
import ShiftDatabase
import ShiftDeploy
import ShiftSyntax

/// `safeshift backup list|restore`.
struct BackupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup",
    abstract: "List the backups deploy took, or restore one.",
    subcommands: [BackupListCommand.self, BackupRestoreCommand.self]
  )
}

/// Reads backup records on an open session.
struct BackupListWork: SessionWork {
  var dialect: Dialect
  var migrationID: String?

  /// The backups recorded in the ledger of the database at `url`.
  static func backups(
    at url: String,
    dialect: Dialect,
    migrationID: String?
  ) throws -> [BackupRecord] {
    var work = BackupListWork(dialect: dialect, migrationID: migrationID)
    return try DatabaseTarget.open(url, dialect: dialect, &work)
  }

  mutating func run(_ session: inout some DatabaseSession & ~Copyable) throws -> [BackupRecord] {
    let ledger = Ledger(dialect: dialect)
    guard try ledger.exists(&session) else { return [] }
    return try ledger.backups(migrationID: migrationID, &session)
  }
}

struct BackupListCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List backups recorded in the ledger, newest first."
  )

  @Option(help: "The database (as for deploy). Default: $SAFESHIFT_DATABASE_URL.")
  var databaseURL: String?

  @Option(help: "Only this migration's backups.")
  var migrationID: String?

  func execute(console: Console) -> ShiftExitCode {
    guard let url = DatabaseTarget.resolve(databaseURL, console: console) else {
      return .usage
    }
    do {
      let dialect = DatabaseTarget.dialect(of: url, fallback: nil)
      let backups = try BackupListWork.backups(at: url, dialect: dialect, migrationID: migrationID)
      if backups.isEmpty { console.write("No backups recorded.\n") }
      for backup in backups {
        var line = "#\(backup.id) \(backup.migrationID) before \(backup.phase): \(backup.kind)"
        if let object = backup.object { line += " \(object)" }
        if let path = backup.path { line += " \(path)" }
        if let size = backup.sizeBytes { line += " \(size) bytes" }
        if let digest = backup.sha256 { line += " sha256:\(digest)" }
        line += backup.verified ? " verified" : ""
        line += " \(backup.createdAt)"
        console.write(line + "\n")
      }
      return .success
    } catch {
      return DatabaseTarget.report(error, console: console)
    }
  }
}

struct BackupRestoreCommand: ConsoleCommand {
  static let configuration = CommandConfiguration(
    commandName: "restore",
    abstract: "Restore a recorded backup into a database (checksum verified first).",
    discussion: """
      PostgreSQL: pg_restore into --target-url (a fresh database, or the original one with \
      --clean, which drops the objects the backup holds before recreating them). SQLite: the \
      backup file is copied to --target-url (refused if it exists, unless --clean). The \
      password reaches pg_restore only through PGPASSWORD.
      """
  )

  @Argument(help: "The backup's id (see `safeshift backup list`).")
  var id: Int

  @Option(help: "The database whose ledger records the backup. Default: $SAFESHIFT_DATABASE_URL.")
  var databaseURL: String?

  @Option(help: "Where to restore (database URL, or SQLite file).")
  var targetURL: String

  @Flag(help: "Drop the backed-up objects in the target first (pg_restore --clean --if-exists).")
  var clean = false

  @Option(help: "Directory of pg_restore (default: found on PATH).")
  var pgBinDir: String?

  func execute(console: Console) -> ShiftExitCode {
    guard let url = DatabaseTarget.resolve(databaseURL, console: console) else {
      return .usage
    }
    do {
      let dialect = DatabaseTarget.dialect(of: url, fallback: nil)
      let backups = try BackupListWork.backups(at: url, dialect: dialect, migrationID: nil)
      guard let backup = backups.first(where: { $0.id == id }), let path = backup.path else {
        console.error("error: no backup #\(id) with a file in the ledger")
        return .failure
      }
      let restorer = BackupRestorer(dialect: dialect, postgresBinDirectory: pgBinDir)
      try restorer.restore(backup, path: path, to: targetURL, clean: clean)
      console.write(
        "restored backup #\(id) (\(path)) into \(ConnectionString.redacted(targetURL))\n"
      )
      return .success
    } catch {
      return DatabaseTarget.report(error, console: console)
    }
  }
}
