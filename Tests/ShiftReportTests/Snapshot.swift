import Foundation
import Testing

/// Compares text with a golden file `Snapshots/<name>.txt` beside this file, in full.
///
/// With `RECORD_SNAPSHOTS=1` in the environment the file is (re)written instead and the
/// test records an issue so a recording run is never mistaken for a passing one. A missing
/// golden file is recorded too and fails the same way.
func assertSnapshot(
  _ actual: String,
  named name: String,
  filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")
  let url = directory.appendingPathComponent(name + ".txt")
  let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  let expected = try? String(contentsOf: url, encoding: .utf8)
  if recording || expected == nil {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
    } catch {
      Issue.record("could not write \(url.path): \(error)", sourceLocation: sourceLocation)
      return
    }
    Issue.record(
      "recorded \(url.lastPathComponent); run again without RECORD_SNAPSHOTS",
      sourceLocation: sourceLocation
    )
    return
  }
  guard let expected, expected != actual else { return }
  let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let firstDifference =
    zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    ?? min(actualLines.count, expectedLines.count)
  Issue.record(
    """
    \(name) differs from \(url.lastPathComponent) at line \(firstDifference + 1)
    expected: \(firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end>")
    actual:   \(firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end>")
    (re-record with RECORD_SNAPSHOTS=1)
    """,
    sourceLocation: sourceLocation
  )
}
