/// What the people deploying tell the planner about their requirements and infrastructure;
/// ``DeploymentReport`` chooses a rollout strategy from it and the plan.
public struct DeploymentInputs: Sendable, Hashable {
  /// A rollout strategy.
  public enum Strategy: String, Sendable, Hashable, CaseIterable {
    /// Chosen from the other inputs and the plan.
    case auto
    /// Replace instances a few at a time.
    case rolling
    /// Start the new version beside the old one and switch traffic at once.
    case blueGreen = "blue-green"
    /// Send a growing share of traffic to the new version.
    case canary
  }

  /// Where the application runs.
  public enum Platform: String, Sendable, Hashable, CaseIterable {
    case kubernetes
    case other
  }

  /// The strategy asked for (`auto`: the report chooses).
  public var strategy: Strategy
  /// Where the application runs.
  public var platform: Platform
  /// The application's Deployment/Service name.
  public var service: String
  /// Instances of the application.
  public var replicas: Int
  /// Whether a rollback must be near-instant (minutes of degraded service are not OK).
  public var requiresFastRollback: Bool
  /// Whether the application can switch reads behind a feature flag.
  public var hasFeatureFlags: Bool
  /// Whether Helm manages the release (rollback commands differ).
  public var usesHelm: Bool
  /// Peak requests per second, if known.
  public var requestsPerSecond: Int?
  /// The error-rate objective in percent of requests (1 = 1 %).
  public var errorRatePercent: Double
  /// The p99 latency objective in milliseconds.
  public var p99Milliseconds: Int

  /// Creates inputs; the defaults describe a small Kubernetes service.
  public init(
    strategy: Strategy = .auto,
    platform: Platform = .kubernetes,
    service: String = "app",
    replicas: Int = 3,
    requiresFastRollback: Bool = false,
    hasFeatureFlags: Bool = false,
    usesHelm: Bool = false,
    requestsPerSecond: Int? = nil,
    errorRatePercent: Double = 1,
    p99Milliseconds: Int = 500
  ) {
    self.strategy = strategy
    self.platform = platform
    self.service = service
    self.replicas = replicas
    self.requiresFastRollback = requiresFastRollback
    self.hasFeatureFlags = hasFeatureFlags
    self.usesHelm = usesHelm
    self.requestsPerSecond = requestsPerSecond
    self.errorRatePercent = errorRatePercent
    self.p99Milliseconds = p99Milliseconds
  }
}
