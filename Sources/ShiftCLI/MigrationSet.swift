/// Resolves the paths given on the command line into the migration files to lint, in the
/// order a migration runner applies them.
enum MigrationSet {
  /// Whether a file name is a rollback script (`down.sql`, `*.down.sql`, `*_down.sql`).
  static func isDownMigration(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? path
    return name == "down.sql" || name.hasSuffix(".down.sql") || name.hasSuffix("_down.sql")
      || name.hasSuffix("-down.sql")
  }

  /// Expands directories into their `.sql` files (lexical order, rollback scripts left
  /// out); files are taken as given, and `-` stands for standard input.
  static func resolve(_ paths: [String]) -> (files: [String], errors: [InputError]) {
    var files: [String] = []
    var errors: [InputError] = []
    for path in paths {
      if path == "-" {
        files.append(path)
        continue
      }
      switch FileSystem.kind(of: path) {
      case nil:
        errors.append(InputError(path: path, message: FileSystem.errorText()))
      case .file:
        files.append(path)
      case .directory:
        do {
          let found = try FileSystem.listFiles(path).filter {
            $0.lowercased().hasSuffix(".sql") && !isDownMigration($0)
          }
          if found.isEmpty {
            errors.append(
              InputError(path: path, message: "directory contains no .sql migration files")
            )
          }
          files += found
        } catch {
          errors.append(error)
        }
      case .other:
        errors.append(InputError(path: path, message: "not a regular file or directory"))
      }
    }
    return (files, errors)
  }
}
