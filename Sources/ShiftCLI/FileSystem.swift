#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An input problem that stops one path from being read.
struct InputError: Error, CustomStringConvertible {
  var path: String
  var message: String
  var description: String { "\(path): \(message)" }
}

/// Minimal POSIX file access: reading whole files and listing migration directories.
enum FileSystem {
  enum Kind {
    case file
    case directory
    case other
  }

  static func kind(of path: String) -> Kind? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  static func errorText() -> String {
    guard let message = strerror(errno) else { return "error \(errno)" }
    return String(cString: message).lowercased()
  }

  /// Reads a whole file into memory.
  static func read(_ path: String) throws(InputError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw InputError(path: path, message: errorText()) }
    defer { close(descriptor) }
    return try readAll(descriptor, path: path)
  }

  /// Reads standard input to its end.
  static func readStandardInput() throws(InputError) -> [UInt8] {
    try readAll(0, path: "<stdin>")
  }

  private static func readAll(_ descriptor: Int32, path: String) throws(InputError) -> [UInt8] {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw InputError(path: path, message: errorText()) }
    var bytes: [UInt8] = []
    if info.st_mode & S_IFMT == S_IFREG { bytes.reserveCapacity(Int(info.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw InputError(path: path, message: errorText())
      }
      if count == 0 { break }
      bytes.append(contentsOf: chunk[0..<count])
    }
    return bytes
  }

  /// Every regular file under `directory` (recursively), as paths joined to it, sorted.
  static func listFiles(_ directory: String) throws(InputError) -> [String] {
    guard let handle = opendir(directory) else {
      throw InputError(path: directory, message: errorText())
    }
    defer { closedir(handle) }
    var files: [String] = []
    while let entry = readdir(handle) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." || name.hasPrefix(".") { continue }
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      switch kind(of: path) {
      case .file: files.append(path)
      case .directory: files += try listFiles(path)
      default: continue
      }
    }
    return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}
