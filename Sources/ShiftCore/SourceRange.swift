/// A half-open range of UTF-8 byte offsets into a source file.
///
/// Offsets are zero-based; ``SourceFile/location(at:)`` turns them into 1-based line and
/// column numbers for messages.
public struct SourceRange: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Offset of the first byte.
  public var start: Int
  /// Offset one past the last byte.
  public var end: Int

  /// Creates a range from `start` (inclusive) to `end` (exclusive).
  public init(start: Int, end: Int) {
    precondition(start <= end, "SourceRange start \(start) after end \(end)")
    self.start = start
    self.end = end
  }

  /// The number of bytes covered.
  public var length: Int { end - start }

  /// The smallest range covering both ranges.
  public func union(_ other: SourceRange) -> SourceRange {
    SourceRange(start: min(start, other.start), end: max(end, other.end))
  }

  public var description: String { "\(start)..<\(end)" }
}
