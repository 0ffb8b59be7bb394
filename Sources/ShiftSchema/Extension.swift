/// An installed extension.
public struct Extension: Sendable, Hashable {
  /// The extension's name (`pgcrypto`, `uuid-ossp`).
  public var name: String
  /// The schema its objects live in.
  public var schema: String
  /// Where it was created.
  public var origin: Origin

  /// Creates an extension.
  public init(name: String, schema: String, origin: Origin) {
    self.name = name
    self.schema = schema
    self.origin = origin
  }
}
