/// Where the planner puts a statement (DESIGN.md, "The phase model").
///
/// Ordered: `expand < migrate < contract`; a statement with several parts takes the latest.
public enum MigrationPhase: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
  /// Additive, compatible, brief lock: runs before the new code ships.
  case expand
  /// Data movement and validation: backfills, `VALIDATE CONSTRAINT`, `USING INDEX`.
  case migrate
  /// Removes or renames what old code uses: runs once no old code is left.
  case contract

  private var rank: Int {
    switch self {
    case .expand: 0
    case .migrate: 1
    case .contract: 2
    }
  }

  public static func < (lhs: MigrationPhase, rhs: MigrationPhase) -> Bool { lhs.rank < rhs.rank }
}
