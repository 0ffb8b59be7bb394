import ShiftPlanner
import Testing

@Suite struct DeploymentReportTests {
  let story = PlannerHarness.plan(
    """
    ALTER TABLE users ADD COLUMN full_name text;
    UPDATE users SET full_name = first_name || ' ' || last_name;
    ALTER TABLE users DROP COLUMN first_name;
    """,
    schema: rewriteSchema
  )

  @Test func rollingByDefault() {
    let report = DeploymentReport(plan: story)
    #expect(report.chosenStrategy().strategy == .rolling)
    let text = report.markdown()
    #expect(text.contains("## Strategy: rolling update"))
    #expect(text.contains("maxUnavailable: 0"))
    #expect(text.contains("kubectl rollout undo deployment/app"))
    #expect(text.contains("- [x] Everything contract drops has a backup step (1 step(s))."))
  }

  @Test func fastRollbackChoosesBlueGreen() {
    let report = DeploymentReport(plan: story, inputs: DeploymentInputs(requiresFastRollback: true))
    #expect(report.chosenStrategy().strategy == .blueGreen)
    #expect(report.markdown().contains("kubectl patch service app"))
    #expect(report.markdown().contains("after blue is decommissioned"))
  }

  @Test func highTrafficChoosesCanary() {
    let report = DeploymentReport(
      plan: story,
      inputs: DeploymentInputs(requestsPerSecond: 2000, errorRatePercent: 0.5)
    )
    #expect(report.chosenStrategy().strategy == .canary)
    let text = report.markdown()
    #expect(text.contains("canary-weight"))
    #expect(text.contains("| HTTP error rate (5xx / all) | < 0.5 % | > 1 % for 5 minutes |"))
  }

  @Test func featureFlagsAreUsedForSwitchedReads() {
    let report = DeploymentReport(
      plan: story,
      inputs: DeploymentInputs(hasFeatureFlags: true, usesHelm: true)
    )
    let text = report.markdown()
    #expect(text.contains("with a feature flag for the switched reads"))
    #expect(text.contains("`helm rollback app`"))
  }

  @Test func unsafePlansAreFlaggedAndUnticked() {
    let plan = PlannerHarness.plan("TRUNCATE users;", schema: rewriteSchema)
    let text = DeploymentReport(plan: plan).markdown()
    #expect(text.contains("**Not everything could be made safe.**"))
    #expect(text.contains("- [ ] Every statement of the migration is planned safely"))
  }
}
