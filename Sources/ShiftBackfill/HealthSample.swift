/// What the database looked like at one moment, as the throttle sees it.
///
/// `nil` means the signal was not measured (no replicas, or SQLite).
public struct HealthSample: Sendable, Hashable {
  /// The largest replay lag of any replica (`pg_stat_replication` on the primary).
  public var replicaLag: Duration?
  /// The age of the oldest open transaction of another session.
  public var oldestTransactionAge: Duration?
  /// Backends running a statement, other than this one.
  public var activeBackends: Int?
  /// An autovacuum worker is processing the backfill's table.
  public var isAutovacuumRunning: Bool
  /// Someone asked the backfill to pause (the ledger's flag or the pause file).
  public var isPauseRequested: Bool

  /// Creates a sample.
  public init(
    replicaLag: Duration? = nil,
    oldestTransactionAge: Duration? = nil,
    activeBackends: Int? = nil,
    isAutovacuumRunning: Bool = false,
    isPauseRequested: Bool = false
  ) {
    self.replicaLag = replicaLag
    self.oldestTransactionAge = oldestTransactionAge
    self.activeBackends = activeBackends
    self.isAutovacuumRunning = isAutovacuumRunning
    self.isPauseRequested = isPauseRequested
  }
}
