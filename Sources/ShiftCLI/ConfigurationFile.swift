#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds `.safeshift.yml` by walking up from the working directory.
enum ConfigurationFile {
  static let names = [".safeshift.yml", ".safeshift.yaml"]

  /// The path of the nearest configuration file, if any.
  static func find() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    var directory = String(
      decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
      as: UTF8.self
    )
    while true {
      for name in names {
        let path = directory == "/" ? "/" + name : directory + "/" + name
        if FileSystem.kind(of: path) == .file { return path }
      }
      if directory == "/" || directory.isEmpty { return nil }
      if let slash = directory.lastIndex(of: "/") {
        directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
      } else {
        return nil
      }
    }
  }
}

/// Facts about the process's terminal and environment.
enum Terminal {
  static func isTTY(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

  static var environment: [String: String] {
    var result: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
      let text = String(cString: entry)
      if let equals = text.firstIndex(of: "=") {
        result[String(text[..<equals])] = String(text[text.index(after: equals)...])
      }
      pointer += 1
    }
    return result
  }
}
