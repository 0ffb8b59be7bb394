/// The bytes of one SQL source, with a line index for turning offsets into locations.
///
/// The text is kept as UTF-8 bytes: the lexer works on bytes, and strings are made only
/// for the identifiers and literals that the AST keeps.
public struct SourceFile: Sendable {
  /// The path shown in messages (as given on the command line, or a label such as `<stdin>`).
  public let path: String
  /// The raw bytes of the file.
  public let bytes: [UInt8]
  /// Offsets at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]

  /// Creates a source from raw bytes.
  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    var starts: [Int] = [0]
    starts.reserveCapacity(bytes.count / 40 + 1)
    bytes.withUnsafeBufferPointer { buffer in
      var index = 0
      let count = buffer.count
      while index < count {
        if buffer[index] == 0x0A { starts.append(index + 1) }
        index += 1
      }
    }
    self.lineStarts = starts
  }

  /// Creates a source from a string (used by tests and `--stdin`).
  public init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  /// Whether the file starts with a UTF-8 byte order mark, which editors do not show and
  /// columns therefore do not count.
  public var hasByteOrderMark: Bool {
    bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  /// The number of lines (a trailing newline does not start a counted line of its own).
  public var lineCount: Int {
    if let last = lineStarts.last, last == bytes.count, lineStarts.count > 1 {
      return lineStarts.count - 1
    }
    return lineStarts.count
  }

  /// The 0-based index of the line that contains `offset`.
  public func lineIndex(containing offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// The 1-based line and column of a byte offset.
  ///
  /// The column counts Unicode scalars (UTF-8 lead bytes) between the line start and the
  /// offset; an offset inside a multi-byte scalar is reported at that scalar.
  public func location(at offset: Int) -> SourceLocation {
    let clamped = max(0, min(offset, bytes.count))
    let line = lineIndex(containing: clamped)
    var column = 1
    var index = lineStarts[line]
    while index < clamped {
      if bytes[index] & 0xC0 != 0x80 { column += 1 }
      index += 1
    }
    if clamped < bytes.count, bytes[clamped] & 0xC0 == 0x80 { column -= 1 }
    if line == 0, clamped >= 3, hasByteOrderMark { column -= 1 }
    return SourceLocation(line: line + 1, column: max(1, column))
  }

  /// The text of a 1-based line, without its line terminator (invalid UTF-8 is repaired).
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] : bytes.count
    while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The text covered by a range (invalid UTF-8 is repaired).
  public func text(_ range: SourceRange) -> String {
    let start = max(0, min(range.start, bytes.count))
    let end = max(start, min(range.end, bytes.count))
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }
}

/// Turns increasing offsets into locations without a binary search per call: the cursor
/// remembers the last line and column it computed and walks forward from there, so a whole
/// file costs one pass even when it is a single very long line.
public struct LocationCursor: Sendable {
  private let source: SourceFile
  private var line = 0
  private var offset = 0
  private var column = 1

  /// Creates a cursor at the start of `source`.
  public init(_ source: SourceFile) {
    self.source = source
  }

  /// The location of `target`; fastest when targets grow from call to call.
  public mutating func location(at target: Int) -> SourceLocation {
    let bytes = source.bytes
    let clamped = max(0, min(target, bytes.count))
    let starts = source.lineStarts
    if clamped < offset {
      line = source.lineIndex(containing: clamped)
      offset = starts[line]
      column = 1
    } else if line + 1 < starts.count, starts[line + 1] <= clamped {
      while line + 1 < starts.count, starts[line + 1] <= clamped { line += 1 }
      offset = starts[line]
      column = 1
    }
    while offset < clamped {
      if bytes[offset] & 0xC0 != 0x80 { column += 1 }
      offset += 1
    }
    var reported = column
    if clamped < bytes.count, bytes[clamped] & 0xC0 == 0x80 { reported -= 1 }
    if line == 0, clamped >= 3, source.hasByteOrderMark { reported -= 1 }
    return SourceLocation(line: line + 1, column: max(1, reported))
  }
}
