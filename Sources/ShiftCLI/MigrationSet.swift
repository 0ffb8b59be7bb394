import ShiftAnalysis
import ShiftSyntax

/// One file to lint: its display path, and for files of a migration set, the bytes the
/// runner applies (the chosen section, the rest blanked) and how the runner wraps it.
struct LintInput {
  /// The path shown in messages (as given, or the directory joined with the file).
  var path: String
  /// The bytes to lint; `nil` means read `path` (or standard input for `-`).
  var bytes: [UInt8]?
  /// The migration unit this input came from, for files of a directory.
  var unit: MigrationUnit?
}

/// Resolves the paths given on the command line into the migration files to lint, in the
/// order their migration runner applies them (see `docs/migration-runners.md`).
enum MigrationSet {
  /// Whether a file name is a rollback script (`down.sql`, `*.down.sql`, `*_down.sql`).
  static func isDownMigration(_ path: String) -> Bool {
    MigrationLayout.isRollbackScript(path)
  }

  /// Expands directories into their migration units (the runner detected or chosen, the
  /// direction chosen); files are taken as given, and `-` stands for standard input.
  static func resolve(
    _ paths: [String],
    runner: MigrationRunner? = nil,
    direction: MigrationDirection = .up,
    dialect: Dialect? = nil
  ) -> (files: [LintInput], errors: [String]) {
    var files: [LintInput] = []
    var errors: [String] = []
    for path in paths {
      if path == "-" {
        files.append(LintInput(path: path))
        continue
      }
      switch FileSystem.kind(of: path) {
      case nil:
        errors.append("\(InputError(path: path, message: FileSystem.errorText()))")
      case .file:
        files.append(LintInput(path: path))
      case .directory:
        do throws(DirectoryError) {
          files += try expand(path, runner: runner, direction: direction, dialect: dialect)
        } catch {
          errors.append(error.description)
        }
      case .other:
        errors.append("\(InputError(path: path, message: "not a regular file or directory"))")
      }
    }
    return (files, errors)
  }

  /// An input or layout problem in a directory, already phrased with its full path.
  private struct DirectoryError: Error, CustomStringConvertible {
    var description: String
  }

  private static func join(_ directory: String, _ relative: String) -> String {
    directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
  }

  private static func expand(
    _ directory: String,
    runner: MigrationRunner?,
    direction: MigrationDirection,
    dialect: Dialect?
  ) throws(DirectoryError) -> [LintInput] {
    let listed: [String]
    do {
      listed = try FileSystem.listFiles(directory)
    } catch {
      throw DirectoryError(description: error.description)
    }
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    let relative = listed.map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
    guard relative.contains(where: { $0.lowercased().hasSuffix(".sql") }) else {
      throw DirectoryError(description: "\(directory): directory contains no .sql migration files")
    }
    let plan: MigrationPlan
    do {
      plan = try MigrationLayout.plan(
        paths: relative,
        runner: runner,
        direction: direction,
        dialect: dialect ?? .postgres
      ) { try FileSystem.read(join(directory, $0)) }
    } catch let error as LayoutError {
      let place = error.path.isEmpty ? directory : join(directory, error.path)
      let line = error.line.map { ":\($0)" } ?? ""
      throw DirectoryError(description: "\(place)\(line): \(error.message)")
    } catch {
      throw DirectoryError(description: "\(error)")
    }
    if plan.units.isEmpty {
      let message =
        plan.runner == .plain && direction == .up
        ? "directory contains no .sql migration files"
        : "no \(direction.rawValue) migrations found for runner \(plan.runner.rawValue)"
      throw DirectoryError(description: "\(directory): \(message)")
    }
    return plan.units.map { unit in
      LintInput(path: join(directory, unit.path), bytes: unit.bytes, unit: unit)
    }
  }
}
