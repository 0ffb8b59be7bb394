/// The analyzer: per-statement effects (locks, rewrites, scans, compatibility, phase),
/// migration-set layouts, and the rules that turn effects into findings.
public enum ShiftAnalysis {
  /// The newest PostgreSQL major version whose behaviour the analyzer models.
  public static let newestPostgresVersion = 18
}
