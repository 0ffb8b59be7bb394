/// Why `deploy`, `backup` or `status` could not do its job.
///
/// `description` is safe for CI logs: no passwords, no row data; it names the migration,
/// step and SQLSTATE where there is one, and says how to go on.
public struct DeployError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: String, Sendable, Hashable {
    /// `plan.json` is missing, unreadable or not a plan.
    case badPlan
    /// Another deploy holds the database's deploy lock, or another migration is active.
    case concurrentDeploy
    /// The plan changed since the migration started.
    case planChanged
    /// The request does not fit the migration's state (contract before migrate, …).
    case wrongState
    /// A step failed; the ledger records it.
    case stepFailed
    /// A backup could not be taken or verified.
    case backupFailed
    /// A gate did not pass in time.
    case gateFailed
    /// A gate asked for a rollback (a metric crossed its rollback threshold).
    case rollbackTriggered
    /// The database could not be reached or the ledger could not be read or written.
    case database
    /// Rollback refused or incomplete.
    case rollbackRefused
    /// A setting is wrong (gates file, tool paths).
    case configuration
  }

  /// What went wrong.
  public var kind: Kind
  /// The message, said plainly.
  public var message: String
  /// The step concerned, if one.
  public var stepID: String?
  /// The SQLSTATE, if the database reported one.
  public var sqlstate: String?
  /// What to do next (resume, roll back, restore).
  public var hint: String?

  /// Creates an error.
  public init(
    _ kind: Kind,
    _ message: String,
    stepID: String? = nil,
    sqlstate: String? = nil,
    hint: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.stepID = stepID
    self.sqlstate = sqlstate
    self.hint = hint
  }

  public var description: String {
    var text = message
    if let hint { text += "\n" + hint }
    return text
  }
}
