import ShiftAnalysis
import ShiftDeploy
import Testing

@Suite struct MigrationStateMachineTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var status: MigrationStatus
    var phase: MigrationPhase
    var expected: String
    var testDescription: String {
      "\(status.state.rawValue)/\(status.failedPhase?.rawValue ?? "-") \(phase)"
    }
  }

  static let cases: [Case] = [
    Case(status: .init(.planned), phase: .expand, expected: "run"),
    Case(status: .init(.planned), phase: .migrate, expected: "refuse"),
    Case(status: .init(.planned), phase: .contract, expected: "refuse"),
    Case(status: .init(.expanding), phase: .expand, expected: "run"),
    Case(status: .init(.expanded), phase: .expand, expected: "done"),
    Case(status: .init(.expanded), phase: .migrate, expected: "run"),
    Case(status: .init(.expanded), phase: .contract, expected: "refuse"),
    Case(status: .init(.migrating), phase: .migrate, expected: "run"),
    Case(status: .init(.migrated), phase: .contract, expected: "run"),
    Case(status: .init(.migrated), phase: .migrate, expected: "done"),
    Case(status: .init(.contracting), phase: .contract, expected: "run"),
    Case(status: .init(.done), phase: .contract, expected: "done"),
    Case(status: .init(.done), phase: .expand, expected: "done"),
    Case(status: .init(.failed, failedPhase: .expand), phase: .expand, expected: "run"),
    Case(status: .init(.failed, failedPhase: .expand), phase: .migrate, expected: "refuse"),
    Case(status: .init(.failed, failedPhase: .migrate), phase: .expand, expected: "done"),
    Case(status: .init(.failed, failedPhase: .migrate), phase: .migrate, expected: "run"),
    Case(status: .init(.failed, failedPhase: .contract), phase: .contract, expected: "run"),
    Case(status: .init(.rolledBack), phase: .expand, expected: "run"),
    Case(status: .init(.rolledBack), phase: .migrate, expected: "refuse"),
  ]

  @Test(arguments: cases)
  func phaseDecisions(_ testCase: Case) {
    let decision = MigrationStateMachine.decide(phase: testCase.phase, status: testCase.status)
    switch decision {
    case .run: #expect(testCase.expected == "run")
    case .alreadyDone: #expect(testCase.expected == "done")
    case .refuse(let reason):
      #expect(testCase.expected == "refuse")
      #expect(reason.contains("deploy"))
    }
  }

  @Test func runningAndFinishedStates() {
    #expect(MigrationState.running(.expand) == .expanding)
    #expect(MigrationState.running(.migrate) == .migrating)
    #expect(MigrationState.running(.contract) == .contracting)
    #expect(MigrationStateMachine.completed(.expand).state == .expanded)
    #expect(MigrationStateMachine.completed(.migrate).state == .migrated)
    #expect(MigrationStateMachine.completed(.contract).state == .done)
    #expect(
      MigrationStateMachine.failed(.migrate) == MigrationStatus(.failed, failedPhase: .migrate)
    )
    #expect(!MigrationState.done.isActive)
    #expect(!MigrationState.rolledBack.isActive)
    #expect(MigrationState.failed.isActive)
  }

  @Test func rollbackDecisions() {
    #expect(MigrationStateMachine.decideRollback(status: .init(.planned)) == .nothingToUndo)
    #expect(MigrationStateMachine.decideRollback(status: .init(.expanded)) == .rollBack)
    #expect(MigrationStateMachine.decideRollback(status: .init(.migrated)) == .rollBack)
    #expect(
      MigrationStateMachine.decideRollback(status: .init(.failed, failedPhase: .migrate))
        == .rollBack
    )
    #expect(MigrationStateMachine.decideRollback(status: .init(.rolledBack)) == .alreadyRolledBack)
    for status in [
      MigrationStatus(.contracting), MigrationStatus(.done),
      MigrationStatus(.failed, failedPhase: .contract),
    ] {
      guard
        case .pastPointOfNoReturn(let reason) = MigrationStateMachine.decideRollback(status: status)
      else {
        Issue.record("expected a refusal for \(status)")
        continue
      }
      #expect(reason.contains("--force"))
    }
  }
}
