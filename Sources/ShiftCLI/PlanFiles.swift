#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes the files of a plan under the `--out` directory (POSIX calls only).
enum PlanFiles {
  /// Creates `directory` and its parents when missing.
  static func makeDirectory(_ directory: String) throws(InputError) {
    var path = directory.hasPrefix("/") ? "/" : ""
    for part in directory.split(separator: "/") {
      path += String(part)
      if FileSystem.kind(of: path) == nil, mkdir(path, 0o755) != 0, errno != EEXIST {
        throw InputError(path: path, message: FileSystem.errorText())
      }
      guard FileSystem.kind(of: path) == .directory else {
        throw InputError(path: path, message: "not a directory")
      }
      path += "/"
    }
  }

  /// Replaces `path` with `contents`: written to a temporary file beside it, then renamed,
  /// so a reader never sees half a file.
  static func write(_ contents: String, to path: String) throws(InputError) {
    let temporary = path + ".tmp"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw InputError(path: path, message: FileSystem.errorText()) }
    var bytes = Array(contents.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { raw in
        Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        let message = FileSystem.errorText()
        close(descriptor)
        unlink(temporary)
        throw InputError(path: path, message: message)
      }
      offset += written
    }
    guard close(descriptor) == 0, rename(temporary, path) == 0 else {
      let message = FileSystem.errorText()
      unlink(temporary)
      throw InputError(path: path, message: message)
    }
  }

  /// Removes the plan files of an earlier run that this one does not write (old backfill
  /// specs), so the directory holds exactly one plan.
  static func removeStale(in directory: String, keeping written: Set<String>) {
    let backfills = directory + "/backfills"
    guard FileSystem.kind(of: backfills) == .directory,
      let existing = try? FileSystem.listFiles(backfills)
    else { return }
    for path in existing where path.hasSuffix(".json") && !written.contains(path) {
      unlink(path)
    }
  }
}
