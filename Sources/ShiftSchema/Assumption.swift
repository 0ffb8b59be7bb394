/// Something the catalog had to assume, skip or note while replaying a statement.
///
/// Replaying never fails: a statement that refers to an unknown object still changes the
/// catalog as if the object existed, and says so; a statement the database would reject
/// (duplicate column, dropping what others depend on) is noted and replayed as far as it
/// makes sense.
public struct Assumption: Sendable, Hashable, CustomStringConvertible {
  /// What kind of note it is.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// The statement referred to an object not in the catalog; it was assumed to exist.
    case assumedExisting = "assumed-existing"
    /// `IF EXISTS` named a missing object: the statement did nothing to it.
    case skippedMissing = "skipped-missing"
    /// `IF NOT EXISTS` named an existing object: the statement did nothing.
    case skippedExisting = "skipped-existing"
    /// The database would reject the statement (duplicate object, missing `CASCADE`,
    /// unsupported by the dialect); it was replayed as far as it makes sense.
    case conflict
    /// The statement's effect on the schema is known only in part (e.g. the columns of
    /// `CREATE TABLE … AS SELECT`).
    case notModelled = "not-modelled"
  }

  /// What kind of note it is.
  public var kind: Kind
  /// A sentence saying what was assumed.
  ///
  /// For example `table public.unknown not in catalog; assumed existing`.
  public var message: String
  /// The object concerned, when there is one (`public.users`, `public.users.email`).
  public var object: String?

  /// Creates a note.
  public init(_ kind: Kind, _ message: String, object: String? = nil) {
    self.kind = kind
    self.message = message
    self.object = object
  }

  public var description: String { message }
}
