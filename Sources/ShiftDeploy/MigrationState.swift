public import ShiftAnalysis

/// Where a migration stands in the ledger (`safeshift.migrations.state`).
///
/// `planned → expanding → expanded → migrating → migrated → contracting → done`, plus
/// `failed` (a phase stopped on an error; the ledger keeps which one) and `rolled_back`.
public enum MigrationState: String, Sendable, Hashable, CaseIterable, Codable {
  case planned
  case expanding
  case expanded
  case migrating
  case migrated
  case contracting
  case done
  case failed
  case rolledBack = "rolled_back"

  /// Whether the migration still occupies the database's single active slot.
  public var isActive: Bool { self != .done && self != .rolledBack }

  /// The state while `phase` runs.
  public static func running(_ phase: MigrationPhase) -> MigrationState {
    switch phase {
    case .expand: .expanding
    case .migrate: .migrating
    case .contract: .contracting
    }
  }

  /// The state once `phase` has finished.
  public static func finished(_ phase: MigrationPhase) -> MigrationState {
    switch phase {
    case .expand: .expanded
    case .migrate: .migrated
    case .contract: .done
    }
  }

  /// The phases completed in this state (for `failed`, those before the failed phase).
  func completedPhases(failedPhase: MigrationPhase?) -> Int {
    switch self {
    case .planned, .expanding, .rolledBack: 0
    case .expanded, .migrating: 1
    case .migrated, .contracting: 2
    case .done: 3
    case .failed:
      switch failedPhase {
      case .expand, nil: 0
      case .migrate: 1
      case .contract: 2
      }
    }
  }
}

/// The ledger's record of a migration, as the state machine needs it.
public struct MigrationStatus: Sendable, Hashable {
  /// The current state.
  public var state: MigrationState
  /// For `failed`: the phase that failed.
  public var failedPhase: MigrationPhase?

  /// Creates a status.
  public init(_ state: MigrationState, failedPhase: MigrationPhase? = nil) {
    self.state = state
    self.failedPhase = failedPhase
  }
}

/// The rules of the migration state machine, free of any database: what a request to run a
/// phase or to roll back does in each state.
public enum MigrationStateMachine {
  /// What to do when a phase is requested.
  public enum PhaseDecision: Sendable, Hashable {
    /// Run the phase (its steps already done are skipped); the state becomes `running`.
    case run(from: MigrationStatus)
    /// The phase finished earlier: nothing to do.
    case alreadyDone
    /// Refused, with the reason and what to do instead.
    case refuse(String)
  }

  /// What to do when a rollback is requested.
  public enum RollbackDecision: Sendable, Hashable {
    /// Undo the phases completed or started (expand and migrate only).
    case rollBack
    /// Nothing was applied: only the state changes.
    case nothingToUndo
    /// The migration is already rolled back.
    case alreadyRolledBack
    /// Contract has started or finished: refused unless forced, with the reason.
    case pastPointOfNoReturn(String)
  }

  /// Decides whether `phase` may run now.
  public static func decide(phase: MigrationPhase, status: MigrationStatus) -> PhaseDecision {
    let done = status.state.completedPhases(failedPhase: status.failedPhase)
    let needed = phase.index
    if status.state == .rolledBack {
      return phase == .expand
        ? .run(from: status)
        : .refuse("the migration was rolled back; run `deploy expand` to start it again")
    }
    if done > needed { return .alreadyDone }
    if done < needed {
      let previous = MigrationPhase.allCases[done]
      return .refuse(
        "\(phase.rawValue) needs \(previous.rawValue) to finish first "
          + "(the migration is \(describe(status))); run `deploy \(previous.rawValue)`"
      )
    }
    return .run(from: status)
  }

  /// The state after `phase` has run successfully.
  public static func completed(_ phase: MigrationPhase) -> MigrationStatus {
    MigrationStatus(.finished(phase))
  }

  /// The state after `phase` has failed.
  public static func failed(_ phase: MigrationPhase) -> MigrationStatus {
    MigrationStatus(.failed, failedPhase: phase)
  }

  /// Decides whether the migration can be rolled back.
  public static func decideRollback(status: MigrationStatus) -> RollbackDecision {
    switch status.state {
    case .planned: return .nothingToUndo
    case .rolledBack: return .alreadyRolledBack
    case .expanding, .expanded, .migrating, .migrated: return .rollBack
    case .failed where status.failedPhase != .contract: return .rollBack
    case .contracting, .done, .failed:
      return .pastPointOfNoReturn(
        "contract has \(status.state == .done ? "run" : "started"): it dropped or rewrote what "
          + "the old version of the application uses, so the schema cannot go back by undoing "
          + "steps, and an application rollback would meet a schema it cannot use; restore "
          + "from the backups (`safeshift backup list`) or pass --force to undo what can be undone"
      )
    }
  }

  /// `expanding`, or `failed in migrate`.
  public static func describe(_ status: MigrationStatus) -> String {
    if status.state == .failed, let phase = status.failedPhase {
      return "failed in \(phase.rawValue)"
    }
    return status.state.rawValue
  }
}

extension MigrationPhase {
  /// 0 for expand, 1 for migrate, 2 for contract.
  var index: Int {
    switch self {
    case .expand: 0
    case .migrate: 1
    case .contract: 2
    }
  }
}
