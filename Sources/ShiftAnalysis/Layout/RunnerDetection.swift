/// What ``MigrationLayout/detect(paths:contents:)`` found: the runners whose signs a
/// migration set shows, and the signs.
public struct RunnerDetection: Sendable {
  /// The runner to use: the only candidate, or `.plain` when there is none.
  public var runner: MigrationRunner
  /// Every runner whose signs were found, in ``MigrationRunner/allCases`` order.
  public var candidates: [MigrationRunner]
  /// For each candidate, the sign that named it (`"sqitch.plan"`, `"0001_a.sql: -- +goose Up"`).
  public var evidence: [MigrationRunner: String]

  /// Creates a detection result.
  public init(candidates: [MigrationRunner], evidence: [MigrationRunner: String]) {
    self.candidates = candidates
    self.evidence = evidence
    self.runner = candidates.count == 1 ? candidates[0] : .plain
  }

  /// Whether the set fits more than one runner, so only `--runner` can decide.
  public var isAmbiguous: Bool { candidates.count > 1 }
}

/// The migration units of a set, in the order and direction its runner applies them.
public struct MigrationPlan: Sendable {
  /// The runner whose rules were applied.
  public var runner: MigrationRunner
  /// The direction that was chosen.
  public var direction: MigrationDirection
  /// The units, in application order (reverse order for `down`).
  public var units: [MigrationUnit]
  /// Files the runner would not apply (other names, config files), relative paths.
  public var ignored: [String]

  /// Creates a plan.
  public init(
    runner: MigrationRunner,
    direction: MigrationDirection,
    units: [MigrationUnit],
    ignored: [String]
  ) {
    self.runner = runner
    self.direction = direction
    self.units = units
    self.ignored = ignored
  }
}
