import Foundation

/// The files `--since GIT_REF` reports on: changed between the ref and the working tree,
/// plus untracked files.
enum GitChanges {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Absolute, standardized paths of the files changed since `ref`.
  static func files(since ref: String) throws -> Set<String> {
    let changed = try git(["diff", "--name-only", "--relative", "--no-renames", ref, "--"])
    let untracked = try git(["ls-files", "--others", "--exclude-standard"])
    let base = FileManager.default.currentDirectoryPath
    var paths: Set<String> = []
    for line in (changed + "\n" + untracked).split(separator: "\n") where !line.isEmpty {
      paths.insert(normalize(String(line), base: base))
    }
    return paths
  }

  /// An absolute, standardized form of a path as given on the command line.
  static func normalize(_ path: String, base: String = FileManager.default.currentDirectoryPath)
    -> String
  {
    let absolute = path.hasPrefix("/") ? path : base + "/" + path
    return URL(fileURLWithPath: absolute).standardizedFileURL.path
  }

  private static func git(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    do {
      try process.run()
    } catch {
      throw Failure(description: "--since needs git: \(error.localizedDescription)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let text = String(decoding: message, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      throw Failure(description: "--since: git \(arguments.first ?? "") failed: \(text)")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
