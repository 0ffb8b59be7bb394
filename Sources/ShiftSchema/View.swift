public import ShiftCore

/// A view or materialized view.
public struct View: Sendable, Hashable {
  /// The view's name.
  public var name: ObjectName
  /// `MATERIALIZED VIEW`.
  public var isMaterialized: Bool
  /// The column names, when known (written after the view's name); `nil` otherwise.
  public var columns: [String]?
  /// Tables and views named in the defining query.
  public var referencedRelations: [ObjectName]
  /// Where the defining query was written, in the file that created the view.
  public var query: SourceRange?
  /// Whether a materialized view holds data (`WITH NO DATA` leaves it unpopulated).
  public var isPopulated: Bool
  /// Indexes on a materialized view.
  public var indexes: [Index]
  /// Where the view was created.
  public var origin: Origin

  /// Creates a view.
  public init(
    name: ObjectName,
    isMaterialized: Bool = false,
    columns: [String]? = nil,
    referencedRelations: [ObjectName] = [],
    query: SourceRange? = nil,
    isPopulated: Bool = true,
    indexes: [Index] = [],
    origin: Origin
  ) {
    self.name = name
    self.isMaterialized = isMaterialized
    self.columns = columns
    self.referencedRelations = referencedRelations
    self.query = query
    self.isPopulated = isPopulated
    self.indexes = indexes
    self.origin = origin
  }
}
