/// A PostgreSQL table-level lock mode, spelled and ordered as in the PostgreSQL documentation
/// ("Explicit Locking", table 13.2).
///
/// The raw value is the documentation's spelling (`ACCESS EXCLUSIVE`), which is also what
/// `lint --format json` reports. Modes compare by strength, `accessShare < … <
/// accessExclusive`, so the strongest of several locks on one table is their `max()`.
/// Strength is a total order chosen by the documentation's listing; what matters for
/// blocking is ``conflicts(with:)``, which follows the documented conflict table (for example
/// `share` and `shareUpdateExclusive` conflict, while `share` does not conflict with itself).
public enum LockMode: String, Sendable, Hashable, Codable, CaseIterable, Comparable,
  CustomStringConvertible
{
  /// `ACCESS SHARE`: plain `SELECT`; conflicts only with `ACCESS EXCLUSIVE`.
  case accessShare = "ACCESS SHARE"
  /// `ROW SHARE`: `SELECT … FOR UPDATE/SHARE`; the referenced table of `VALIDATE` of a
  /// foreign key.
  case rowShare = "ROW SHARE"
  /// `ROW EXCLUSIVE`: `INSERT`, `UPDATE`, `DELETE`, `MERGE`.
  case rowExclusive = "ROW EXCLUSIVE"
  /// `SHARE UPDATE EXCLUSIVE`: `VACUUM`, `ANALYZE`, `CREATE INDEX CONCURRENTLY`,
  /// `VALIDATE CONSTRAINT`, `SET STATISTICS`, `ATTACH PARTITION` (parent).
  case shareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"
  /// `SHARE`: `CREATE INDEX` without `CONCURRENTLY`; blocks writes, not reads.
  case share = "SHARE"
  /// `SHARE ROW EXCLUSIVE`: `CREATE TRIGGER`, `ADD FOREIGN KEY` (both tables).
  case shareRowExclusive = "SHARE ROW EXCLUSIVE"
  /// `EXCLUSIVE`: `REFRESH MATERIALIZED VIEW CONCURRENTLY`; allows only `ACCESS SHARE`.
  case exclusive = "EXCLUSIVE"
  /// `ACCESS EXCLUSIVE`: most `ALTER TABLE` forms, `DROP`, `TRUNCATE`; blocks everything,
  /// including plain `SELECT`.
  case accessExclusive = "ACCESS EXCLUSIVE"

  /// The mode's name in the `pg_locks.mode` column (`AccessExclusiveLock`).
  public var postgresName: String {
    switch self {
    case .accessShare: "AccessShareLock"
    case .rowShare: "RowShareLock"
    case .rowExclusive: "RowExclusiveLock"
    case .shareUpdateExclusive: "ShareUpdateExclusiveLock"
    case .share: "ShareLock"
    case .shareRowExclusive: "ShareRowExclusiveLock"
    case .exclusive: "ExclusiveLock"
    case .accessExclusive: "AccessExclusiveLock"
    }
  }

  /// The mode named as in the `pg_locks.mode` column, or `nil` for other names (such as
  /// the `SIReadLock` of serializable transactions).
  ///
  /// - Parameter postgresName: a name such as `ShareRowExclusiveLock`.
  public init?(postgresName: String) {
    guard let mode = Self.allCases.first(where: { $0.postgresName == postgresName }) else {
      return nil
    }
    self = mode
  }

  /// Whether this mode conflicts with `other` (per the documentation's conflict table).
  ///
  /// Two transactions holding conflicting modes on one table cannot both have them: the
  /// second waits for the first. The relation is symmetric.
  ///
  /// - Parameter other: the other transaction's mode.
  /// - Returns: the entry of the documentation's conflict table.
  public func conflicts(with other: LockMode) -> Bool {
    Self.conflictMask[strength] & (1 << other.strength) != 0
  }

  /// Whether this mode blocks plain `SELECT` (conflicts with `ACCESS SHARE`).
  public var blocksReads: Bool { conflicts(with: .accessShare) }

  /// Whether this mode blocks `INSERT`/`UPDATE`/`DELETE` (conflicts with `ROW EXCLUSIVE`).
  public var blocksWrites: Bool { conflicts(with: .rowExclusive) }

  public static func < (lhs: LockMode, rhs: LockMode) -> Bool { lhs.strength < rhs.strength }

  public var description: String { rawValue }

  private var strength: Int {
    switch self {
    case .accessShare: 0
    case .rowShare: 1
    case .rowExclusive: 2
    case .shareUpdateExclusive: 3
    case .share: 4
    case .shareRowExclusive: 5
    case .exclusive: 6
    case .accessExclusive: 7
    }
  }

  /// The conflict table as bit masks, one row per mode, indexed by strength.
  ///
  /// Row `i` has bit `j` set when mode `i` conflicts with mode `j`. Transcribed from the PostgreSQL documentation's "Conflicting Lock Modes" table; the
  /// integration tests check every pair against a live server with `LOCK TABLE … NOWAIT`.
  private static let conflictMask: [UInt8] = [
    0b1000_0000,  // ACCESS SHARE: ACCESS EXCLUSIVE
    0b1100_0000,  // ROW SHARE: EXCLUSIVE, ACCESS EXCLUSIVE
    0b1111_0000,  // ROW EXCLUSIVE: SHARE and stronger
    0b1111_1000,  // SHARE UPDATE EXCLUSIVE: itself and stronger
    0b1110_1100,  // SHARE: ROW EXCLUSIVE, SHARE UPDATE EXCLUSIVE, SHARE ROW EXCLUSIVE and up
    0b1111_1100,  // SHARE ROW EXCLUSIVE: ROW EXCLUSIVE and stronger
    0b1111_1110,  // EXCLUSIVE: ROW SHARE and stronger
    0b1111_1111,  // ACCESS EXCLUSIVE: everything
  ]
}
