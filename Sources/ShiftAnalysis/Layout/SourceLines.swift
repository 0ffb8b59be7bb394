/// The lines of a file as byte ranges, for the line-based markers runners use.
struct SourceLines {
  /// One line: where it starts, where its text ends (before `\r\n` or `\n`), and where the
  /// next line starts.
  struct Line {
    var start: Int
    var textEnd: Int
    var next: Int
  }

  let bytes: [UInt8]
  let lines: [Line]

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
    var lines: [Line] = []
    var start = 0
    var index = 0
    let count = bytes.count
    while index < count {
      if bytes[index] == 0x0A {
        var end = index
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        lines.append(Line(start: start, textEnd: end, next: index + 1))
        start = index + 1
      }
      index += 1
    }
    if start < count { lines.append(Line(start: start, textEnd: count, next: count)) }
    self.lines = lines
  }

  /// The text of a line (invalid UTF-8 repaired).
  func text(_ line: Line) -> String {
    String(decoding: bytes[line.start..<line.textEnd], as: UTF8.self)
  }

  /// Whether the line is empty or whitespace only.
  func isBlank(_ line: Line) -> Bool {
    bytes[line.start..<line.textEnd].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }

  /// Whether the line, after leading whitespace, is a `--` comment.
  func isLineComment(_ line: Line) -> Bool {
    var index = line.start
    while index < line.textEnd, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    return index + 1 < line.textEnd && bytes[index] == 0x2D && bytes[index + 1] == 0x2D
  }

  /// A copy of `bytes` where everything outside `keep` is a space, except line breaks.
  static func mask(_ bytes: [UInt8], keeping keep: Range<Int>) -> [UInt8] {
    var masked = bytes
    for index in masked.indices where !keep.contains(index) {
      let byte = masked[index]
      if byte != 0x0A && byte != 0x0D { masked[index] = 0x20 }
    }
    return masked
  }
}

extension String {
  /// The words of the string, split on spaces and tabs.
  var layoutWords: [Substring] {
    split(whereSeparator: { $0 == " " || $0 == "\t" })
  }
}
