import ShiftPlanner
import Testing

@Suite struct PlanModelTests {
  @Test func retryPolicyForDDLRetriesLockTimeouts() {
    #expect(RetryPolicy.ddl.retryOn.contains(.lockTimeout))
  }
}
