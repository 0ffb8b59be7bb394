public import Foundation

/// Locates the repository's shared `fixtures/` and `migrations-examples/` folders.
public enum Fixtures {
  /// The repository root (the folder holding Package.swift), found from this file.
  public static let root: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url
      }
    }
    preconditionFailure("Package.swift not found above \(#filePath)")
  }()

  /// Every file in `relativeDirectory` (under the root) with extension `ext`, sorted.
  public static func files(in relativeDirectory: String, ext: String = "sql") -> [URL] {
    let directory = root.appendingPathComponent(relativeDirectory)
    guard
      let enumerator = FileManager.default.enumerator(
        at: directory,
        includingPropertiesForKeys: nil
      )
    else { return [] }
    var urls: [URL] = []
    for case let url as URL in enumerator where url.pathExtension == ext {
      urls.append(url)
    }
    return urls.sorted { $0.path < $1.path }
  }

  /// The bytes of a file.
  public static func bytes(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
  }
}
