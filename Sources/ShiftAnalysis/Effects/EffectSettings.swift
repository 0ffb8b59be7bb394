/// The settings the effect model depends on.
///
/// They mirror the `lint` configuration: `--pg-version`, `assumeInTransaction`, and the
/// session's `TimeZone` (which decides whether `timestamp` ⇄ `timestamptz` rewrites).
public struct EffectSettings: Sendable, Hashable {
  /// The PostgreSQL major version whose behaviour to model (10 … 18).
  public var pgVersion: Int
  /// Whether the migration session's `TimeZone` is UTC (an explicit setting; a
  /// `SET TimeZone` in a file overrides it for the rest of that file).
  public var sessionTimeZoneIsUTC: Bool
  /// Whether the runner wraps each file in one transaction (Flyway, many frameworks).
  public var assumeInTransaction: Bool

  /// Creates settings.
  /// - Parameters:
  ///   - pgVersion: the PostgreSQL major version, clamped to 10 … 18.
  ///   - sessionTimeZoneIsUTC: whether the session's `TimeZone` is UTC.
  ///   - assumeInTransaction: whether each file runs in one transaction.
  public init(
    pgVersion: Int = ShiftAnalysis.newestPostgresVersion,
    sessionTimeZoneIsUTC: Bool = false,
    assumeInTransaction: Bool = false
  ) {
    self.pgVersion = min(max(pgVersion, 10), ShiftAnalysis.newestPostgresVersion)
    self.sessionTimeZoneIsUTC = sessionTimeZoneIsUTC
    self.assumeInTransaction = assumeInTransaction
  }

  /// Whether a `TimeZone` setting names UTC (zero offset, no daylight saving time), as the
  /// model needs for `sessionTimeZoneIsUTC`; the same list decides `SET TimeZone` in files.
  public static func isUTC(timeZone: String) -> Bool {
    TransactionTracker.utcZones.contains(timeZone.lowercased())
  }
}
