import Foundation
import Yams

/// The gates file of `safeshift deploy run --gates FILE` (YAML or JSON; docs/deploy.md).
///
/// ```yaml
/// rolloutCommand: ["kubectl", "set", "image", "deployment/web", "web=registry/web:v2"]
/// appRollbackCommand: ["kubectl", "rollout", "undo", "deployment/web"]
/// beforeMigrate:
///   - http: {url: "http://web/version", expectVersion: "v2"}
/// beforeContract:
///   - kubectl: {deployment: web, namespace: prod, selector: "app=web", version: "v2"}
///     timeout: 15m
///   - metrics: {url: "http://prometheus:9090", query: "…", max: 0.01, rollbackAbove: 0.05, bake: 5m}
/// ```
public struct GateConfiguration: Sendable, Codable, Hashable {
  /// Started right after expand (the application's rollout: `kubectl apply`, `helm upgrade`,
  /// a traffic switch); it must exit 0.
  public var rolloutCommand: [String]?
  /// Run after migrate, before the contract gates: switch traffic to green (blue-green),
  /// promote the canary, turn the read-new flag on (feature flag); it must exit 0, else the
  /// rollback path runs.
  public var promoteCommand: [String]?
  /// Run on the rollback path (a metrics gate crossed its rollback threshold) before the
  /// schema is rolled back: `kubectl rollout undo`, `helm rollback`, a selector switch.
  public var appRollbackCommand: [String]?
  /// Gates that must pass before migrate (the backfill).
  public var beforeMigrate: [GateSpec]?
  /// Gates that must pass before contract (the point of no return).
  public var beforeContract: [GateSpec]?

  /// Creates a configuration.
  public init(
    rolloutCommand: [String]? = nil,
    promoteCommand: [String]? = nil,
    appRollbackCommand: [String]? = nil,
    beforeMigrate: [GateSpec]? = nil,
    beforeContract: [GateSpec]? = nil
  ) {
    self.rolloutCommand = rolloutCommand
    self.promoteCommand = promoteCommand
    self.appRollbackCommand = appRollbackCommand
    self.beforeMigrate = beforeMigrate
    self.beforeContract = beforeContract
  }
}

/// One gate: exactly one of its kinds, a timeout and a poll interval.
public struct GateSpec: Sendable, Codable, Hashable {
  /// A name for messages (default: the kind and its target).
  public var name: String?
  /// How long to wait for the gate (`30s`, `10m`, `1h`; default 10m).
  public var timeout: String?
  /// Between checks (default 5s).
  public var interval: String?
  /// A command that must exit 0.
  public var command: CommandGate?
  /// An HTTP endpoint that must answer (with the expected version).
  public var http: HTTPGate?
  /// A Kubernetes rollout that must be complete with no pod of the old version left.
  public var kubectl: KubectlGate?
  /// A Prometheus-compatible query that must stay within thresholds for a bake time.
  public var metrics: MetricsGate?
  /// A feature flag that must reach a state.
  public var flag: FlagGate?

  /// Creates a gate.
  public init(
    name: String? = nil,
    timeout: String? = nil,
    interval: String? = nil,
    command: CommandGate? = nil,
    http: HTTPGate? = nil,
    kubectl: KubectlGate? = nil,
    metrics: MetricsGate? = nil,
    flag: FlagGate? = nil
  ) {
    self.name = name
    self.timeout = timeout
    self.interval = interval
    self.command = command
    self.http = http
    self.kubectl = kubectl
    self.metrics = metrics
    self.flag = flag
  }

  /// The gate's kind, for messages and strategy checks.
  public var kind: String {
    if command != nil { return "command" }
    if http != nil { return "http" }
    if kubectl != nil { return "kubectl" }
    if metrics != nil { return "metrics" }
    if flag != nil { return "flag" }
    return "none"
  }

  /// A name for messages.
  public var displayName: String {
    if let name { return name }
    if let command { return "command `\(command.run.joined(separator: " "))`" }
    if let http { return "http \(http.urls.joined(separator: ", "))" }
    if let kubectl { return "kubectl \(kubectl.kind ?? "deployment")/\(kubectl.name)" }
    if let metrics { return "metrics `\(metrics.query)`" }
    if let flag { return "flag \(flag.url ?? flag.command?.joined(separator: " ") ?? "")" }
    return "gate"
  }
}

/// A command that must exit 0.
public struct CommandGate: Sendable, Codable, Hashable {
  /// Program and arguments (no shell; use `["sh", "-c", "…"]` for one).
  public var run: [String]

  /// Creates a command gate.
  public init(run: [String]) { self.run = run }
}

/// An HTTP endpoint (or one per instance) that must answer 2xx, and report the expected
/// version when one is given.
public struct HTTPGate: Sendable, Codable, Hashable {
  /// The endpoint.
  public var url: String?
  /// One endpoint per instance: every one must pass.
  public var instances: [String]?
  /// The version every endpoint must report.
  public var expectVersion: String?
  /// The JSON field holding the version (dotted path; default `version`); a body that is
  /// not JSON is compared whole.
  public var versionField: String?

  /// Creates an HTTP gate.
  public init(
    url: String? = nil,
    instances: [String]? = nil,
    expectVersion: String? = nil,
    versionField: String? = nil
  ) {
    self.url = url
    self.instances = instances
    self.expectVersion = expectVersion
    self.versionField = versionField
  }

  /// Every endpoint checked.
  public var urls: [String] { (url.map { [$0] } ?? []) + (instances ?? []) }
}

/// A Kubernetes rollout: complete, and no pod (terminating ones included) of another version.
public struct KubectlGate: Sendable, Codable, Hashable {
  /// `deployment` (default) or `rollout` (Argo Rollouts).
  public var kind: String?
  /// The Deployment's (or Rollout's) name.
  public var deployment: String?
  /// Alias of `deployment` for Argo Rollouts.
  public var rollout: String?
  /// The namespace.
  public var namespace: String?
  /// Label selector of the application's pods (`app=web`).
  public var selector: String
  /// The version every pod must run: compared with `versionLabel`, else with the images.
  public var version: String?
  /// The pod label holding the version (default `app.kubernetes.io/version`).
  public var versionLabel: String?
  /// The image every container must run (alternative to `version`).
  public var image: String?
  /// The kubectl program (default `kubectl`).
  public var binary: String?
  /// `--context` for kubectl.
  public var context: String?

  /// Creates a kubectl gate.
  public init(
    kind: String? = nil,
    deployment: String? = nil,
    rollout: String? = nil,
    namespace: String? = nil,
    selector: String,
    version: String? = nil,
    versionLabel: String? = nil,
    image: String? = nil,
    binary: String? = nil,
    context: String? = nil
  ) {
    self.kind = kind
    self.deployment = deployment
    self.rollout = rollout
    self.namespace = namespace
    self.selector = selector
    self.version = version
    self.versionLabel = versionLabel
    self.image = image
    self.binary = binary
    self.context = context
  }

  /// The workload's name.
  public var name: String { deployment ?? rollout ?? "" }
}

/// A Prometheus-compatible instant query, polled for a bake time.
public struct MetricsGate: Sendable, Codable, Hashable {
  /// The server (`http://prometheus:9090`); `/api/v1/query` is appended.
  public var url: String
  /// The PromQL query (every series' value is checked).
  public var query: String
  /// OK when every value is at most this.
  public var max: Double?
  /// OK when every value is at least this.
  public var min: Double?
  /// A value above this takes the rollback path at once.
  public var rollbackAbove: Double?
  /// A value below this takes the rollback path at once.
  public var rollbackBelow: Double?
  /// How long the values must stay OK (`5m`; default 0: one OK reading).
  public var bake: String?

  /// Creates a metrics gate.
  public init(
    url: String,
    query: String,
    max: Double? = nil,
    min: Double? = nil,
    rollbackAbove: Double? = nil,
    rollbackBelow: Double? = nil,
    bake: String? = nil
  ) {
    self.url = url
    self.query = query
    self.max = max
    self.min = min
    self.rollbackAbove = rollbackAbove
    self.rollbackBelow = rollbackBelow
    self.bake = bake
  }
}

/// A feature flag read over HTTP (a JSON field) or from a command's output.
public struct FlagGate: Sendable, Codable, Hashable {
  /// The flag service's URL.
  public var url: String?
  /// Or a command printing the flag's state.
  public var command: [String]?
  /// JSON field of the state (dotted path; default `enabled`).
  public var field: String?
  /// The required state (`true`, `100`, `read-new`).
  public var expect: String

  /// Creates a flag gate.
  public init(url: String? = nil, command: [String]? = nil, field: String? = nil, expect: String) {
    self.url = url
    self.command = command
    self.field = field
    self.expect = expect
  }
}

/// Parses durations: `500ms`, `30s`, `10m`, `1h`, or plain seconds.
public enum DurationText {
  /// Seconds, or `nil` when the text is not a duration.
  public static func seconds(_ text: String) -> Double? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      let number = trimmed.dropLast(suffix.count)
      if let value = Double(number), value >= 0 { return value * factor }
    }
    if let value = Double(trimmed), value >= 0 { return value }
    return nil
  }
}

extension GateConfiguration {
  /// Reads a gates file (YAML, or JSON which YAML includes).
  ///
  /// - Throws: ``DeployError`` `.configuration` naming the file and the problem.
  public static func load(path: String) throws -> GateConfiguration {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DeployError(.configuration, "cannot read the gates file \(path)")
    }
    do {
      return try YAMLDecoder().decode(GateConfiguration.self, from: data)
    } catch {
      throw DeployError(.configuration, "\(path): not a gates file: \(error)")
    }
  }
}
