import Foundation

/// A monotonic clock in seconds; injected so tests control time.
public protocol DeployClock {
  /// Seconds since an arbitrary start.
  func now() -> Double
}

/// The system's monotonic clock.
public struct SystemDeployClock: DeployClock, Sendable {
  private let start = ContinuousClock.now

  /// Creates a clock.
  public init() {}

  public func now() -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }
}

/// Why a gate stopped the deploy.
public enum GateOutcome: Sendable, Hashable {
  /// Passed.
  case passed
  /// Did not pass in time.
  case timedOut(String)
  /// Asked for the rollback path.
  case rollback(String)
}

/// Checks gates (command, http, kubectl, metrics, flag) until they pass, time out or ask for
/// a rollback.
public struct GateRunner<Clock: DeployClock, Sleeper: DeploySleeper> {
  /// The clock.
  public var clock: Clock
  /// Waits between checks.
  public var sleeper: Sleeper
  /// Progress lines.
  public var log: (String) -> Void

  /// Creates a runner.
  public init(clock: Clock, sleeper: Sleeper, log: @escaping (String) -> Void) {
    self.clock = clock
    self.sleeper = sleeper
    self.log = log
  }

  /// Waits for one gate.
  public func wait(for gate: GateSpec) -> GateOutcome {
    let timeout = gate.timeout.flatMap(DurationText.seconds) ?? 600
    let interval = gate.interval.flatMap(DurationText.seconds) ?? 5
    let bake = gate.metrics?.bake.flatMap(DurationText.seconds) ?? 0
    var evaluator = GateEvaluator(bakeSeconds: bake, timeoutSeconds: timeout)
    var lastReason = ""
    log("gate \(gate.displayName): waiting (timeout \(Int(timeout)) s)")
    let start = clock.now()
    while true {
      let remaining = max(1, timeout - (clock.now() - start))
      let observation = check(gate, callTimeout: min(remaining, max(interval, 10)))
      switch evaluator.observe(observation, at: clock.now()) {
      case .passed:
        if case .ok(let detail) = observation {
          log("gate \(gate.displayName): passed (\(detail))")
        }
        return .passed
      case .timedOut(let reason):
        return .timedOut(
          "gate \(gate.displayName) did not pass within \(Self.format(timeout)): \(reason)"
        )
      case .rollback(let reason):
        return .rollback("gate \(gate.displayName): \(reason)")
      case .keepWaiting:
        if case .waiting(let reason) = observation, reason != lastReason {
          log("gate \(gate.displayName): \(reason)")
          lastReason = reason
        }
        sleeper.sleep(milliseconds: Int(interval * 1000))
      }
    }
  }

  static func format(_ seconds: Double) -> String {
    seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0
      ? "\(Int(seconds / 60)) min" : "\(seconds < 1 ? String(seconds) : String(Int(seconds))) s"
  }

  /// One check of a gate.
  public func check(_ gate: GateSpec, callTimeout: Double) -> GateObservation {
    if let command = gate.command { return checkCommand(command.run, timeout: callTimeout) }
    if let http = gate.http { return checkHTTP(http, timeout: callTimeout) }
    if let kubectl = gate.kubectl { return checkKubectl(kubectl, timeout: callTimeout) }
    if let metrics = gate.metrics { return checkMetrics(metrics, timeout: callTimeout) }
    if let flag = gate.flag { return checkFlag(flag, timeout: callTimeout) }
    return .waiting("the gate names no check (command, http, kubectl, metrics or flag)")
  }

  private func checkCommand(_ run: [String], timeout: Double) -> GateObservation {
    guard let program = run.first else { return .waiting("empty command") }
    do {
      let result = try ProcessRunner().run(program, Array(run.dropFirst()), timeoutSeconds: timeout)
      if result.timedOut { return .waiting("`\(program)` ran past \(Int(timeout)) s") }
      if result.status == 0 { return .ok("`\(program)` exited 0") }
      let detail = result.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
      return .waiting(
        "`\(run.joined(separator: " "))` exited \(result.status)"
          + (detail.isEmpty ? "" : ": \(detail.suffix(300))")
      )
    } catch {
      return .waiting("\(error)")
    }
  }

  private func checkHTTP(_ gate: HTTPGate, timeout: Double) -> GateObservation {
    let urls = gate.urls
    guard !urls.isEmpty else { return .waiting("the http gate names no url") }
    for url in urls {
      switch HTTPFetcher().get(url, timeoutSeconds: timeout) {
      case .failure(let error):
        return .waiting(error.message)
      case .success(let response):
        guard (200..<300).contains(response.status) else {
          return .waiting("\(url) answered HTTP \(response.status)")
        }
        if let expected = gate.expectVersion {
          let reported = Self.field(response.body, path: gate.versionField ?? "version")
          guard reported == expected else {
            return .waiting("\(url) reports version \(reported ?? "none"), expected \(expected)")
          }
        }
      }
    }
    return .ok(
      gate.expectVersion.map { "\(urls.count) endpoint(s) report \($0)" }
        ?? "\(urls.count) endpoint(s) healthy"
    )
  }

  /// A JSON field (dotted path) as text, or the whole body when it is not JSON.
  static func field(_ body: [UInt8], path: String) -> String? {
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
    else {
      return String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    var current: Any? = object
    for part in path.split(separator: ".") {
      current = (current as? [String: Any])?[String(part)]
    }
    switch current {
    case let text as String: return text
    case let number as NSNumber:
      // JSON true/false arrive as a boolean NSNumber (Objective-C type "c").
      if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
      return number.stringValue
    case .none: return nil
    default: return "\(current ?? "")"
    }
  }

  private func checkKubectl(_ gate: KubectlGate, timeout: Double) -> GateObservation {
    let kind = (gate.kind ?? (gate.rollout != nil ? "rollout" : "deployment")).lowercased()
    var common: [String] = []
    if let namespace = gate.namespace { common += ["--namespace", namespace] }
    if let context = gate.context { common += ["--context", context] }
    let binary = gate.binary ?? "kubectl"
    do {
      let workload = try ProcessRunner().run(
        binary,
        ["get", kind, gate.name, "-o", "json"] + common,
        timeoutSeconds: timeout
      )
      guard workload.status == 0 else {
        return .waiting(
          "kubectl get \(kind) \(gate.name) failed: "
            + workload.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines).suffix(300)
        )
      }
      let status = KubernetesRollout.workloadStatus(Array(workload.output.utf8), kind: kind)
      guard case .ok(let workloadDetail) = status else { return status }
      let pods = try ProcessRunner().run(
        binary,
        ["get", "pods", "-l", gate.selector, "-o", "json"] + common,
        timeoutSeconds: timeout
      )
      guard pods.status == 0 else {
        return .waiting(
          "kubectl get pods failed: "
            + pods.errorOutput.trimmingCharacters(in: .whitespacesAndNewlines).suffix(300)
        )
      }
      let podStatus = KubernetesRollout.podStatus(
        Array(pods.output.utf8),
        version: gate.version,
        versionLabel: gate.versionLabel ?? "app.kubernetes.io/version",
        image: gate.image
      )
      if case .ok(let podDetail) = podStatus { return .ok("\(workloadDetail); \(podDetail)") }
      return podStatus
    } catch {
      return .waiting("\(error)")
    }
  }

  private func checkMetrics(_ gate: MetricsGate, timeout: Double) -> GateObservation {
    var components = URLComponents(
      string: gate.url.hasSuffix("/") ? String(gate.url.dropLast()) : gate.url
    )
    components?.path += "/api/v1/query"
    components?.queryItems = [URLQueryItem(name: "query", value: gate.query)]
    guard let url = components?.url?.absoluteString else {
      return .waiting("bad metrics url \(gate.url)")
    }
    switch HTTPFetcher().get(url, timeoutSeconds: timeout) {
    case .failure(let error):
      return .waiting(error.message)
    case .success(let response):
      guard response.status == 200 else {
        return .waiting("the metrics server answered HTTP \(response.status)")
      }
      guard let values = Self.prometheusValues(response.body) else {
        return .waiting("the metrics server's answer is not a Prometheus query result")
      }
      return Self.judge(values, gate)
    }
  }

  /// The sample values of a Prometheus `/api/v1/query` answer (vector or scalar).
  public static func prometheusValues(_ body: [UInt8]) -> [Double]? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      object["status"] as? String == "success",
      let data = object["data"] as? [String: Any]
    else { return nil }
    func value(_ pair: Any?) -> Double? {
      guard let pair = pair as? [Any], pair.count == 2, let text = pair[1] as? String else {
        return nil
      }
      return Double(text)
    }
    switch data["resultType"] as? String {
    case "vector":
      let result = data["result"] as? [[String: Any]] ?? []
      return result.compactMap { value($0["value"]) }
    case "scalar":
      return value(data["result"]).map { [$0] }
    default:
      return nil
    }
  }

  /// Judges sample values against a metrics gate's thresholds.
  public static func judge(_ values: [Double], _ gate: MetricsGate) -> GateObservation {
    guard !values.isEmpty else { return .waiting("the query returned no data yet") }
    let high = values.max() ?? 0
    let low = values.min() ?? 0
    if let limit = gate.rollbackAbove, high > limit {
      return .rollback("value \(high) is above the rollback threshold \(limit)")
    }
    if let limit = gate.rollbackBelow, low < limit {
      return .rollback("value \(low) is below the rollback threshold \(limit)")
    }
    if let limit = gate.max, high > limit { return .waiting("value \(high) is above \(limit)") }
    if let limit = gate.min, low < limit { return .waiting("value \(low) is below \(limit)") }
    return .ok("value \(values.count == 1 ? String(high) : "\(low)…\(high)") within thresholds")
  }

  private func checkFlag(_ gate: FlagGate, timeout: Double) -> GateObservation {
    let state: String?
    if let url = gate.url {
      switch HTTPFetcher().get(url, timeoutSeconds: timeout) {
      case .failure(let error): return .waiting(error.message)
      case .success(let response):
        guard (200..<300).contains(response.status) else {
          return .waiting("\(url) answered HTTP \(response.status)")
        }
        state = Self.field(response.body, path: gate.field ?? "enabled")
      }
    } else if let command = gate.command, let program = command.first {
      do {
        let result = try ProcessRunner().run(
          program,
          Array(command.dropFirst()),
          timeoutSeconds: timeout
        )
        guard result.status == 0 else { return .waiting("`\(program)` exited \(result.status)") }
        state = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
      } catch {
        return .waiting("\(error)")
      }
    } else {
      return .waiting("the flag gate names neither url nor command")
    }
    guard state == gate.expect else {
      return .waiting("flag is \(state ?? "unset"), waiting for \(gate.expect)")
    }
    return .ok("flag is \(gate.expect)")
  }
}
