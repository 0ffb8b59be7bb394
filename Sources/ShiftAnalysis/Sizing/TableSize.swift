/// What is known of a table's size: rows, bytes, or both.
public struct TableSize: Sendable, Hashable {
  /// The number of rows, when known.
  public var rows: Int?
  /// The size of the table's data in bytes, when known.
  public var bytes: Int?

  /// Creates a size.
  public init(rows: Int? = nil, bytes: Int? = nil) {
    self.rows = rows
    self.bytes = bytes
  }

  /// Whether anything is known.
  public var isKnown: Bool { rows != nil || bytes != nil }
}
