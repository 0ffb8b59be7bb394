/// A migration set that does not follow its runner's rules: SafeShift cannot tell what the
/// runner would apply, so it stops instead of guessing.
public struct LayoutError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: String, Sendable, Hashable {
    /// A section or transaction marker is missing, repeated, misplaced or unknown.
    case malformedMarker
    /// The files fit more than one runner; `--runner` must choose.
    case ambiguousRunner
    /// Two migrations share a version.
    case duplicateVersion
    /// A file or folder name does not follow the runner's naming.
    case invalidName
    /// The runner keeps no rollback scripts, so there is no down direction to lint.
    case noDownMigrations
  }

  /// What went wrong.
  public var kind: Kind
  /// The file (relative to the migration set's root) the problem is in, or `""`.
  public var path: String
  /// The 1-based line of the offending marker, when there is one.
  public var line: Int?
  /// A message naming the rule that was broken.
  public var message: String

  /// Creates an error.
  public init(_ kind: Kind, path: String, line: Int? = nil, message: String) {
    self.kind = kind
    self.path = path
    self.line = line
    self.message = message
  }

  /// `path:line: message`.
  public var description: String {
    var text = path
    if let line { text += ":\(line)" }
    return text.isEmpty ? message : text + ": " + message
  }
}
