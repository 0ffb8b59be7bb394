import Foundation

/// Reads `kubectl get deployment|rollout NAME -o json` and `kubectl get pods -l SELECTOR -o
/// json` and decides whether a rollout is over: the workload reports every replica updated
/// and available for its current generation, and no pod of another version is left —
/// terminating pods (with a `deletionTimestamp`) included, since they may still serve
/// requests with the old schema in mind.
public enum KubernetesRollout {
  /// Checks a workload's JSON (`kind` `deployment` or `rollout`).
  public static func workloadStatus(_ json: [UInt8], kind: String) -> GateObservation {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else {
      return .waiting("kubectl returned no JSON object for the \(kind)")
    }
    let metadata = object["metadata"] as? [String: Any] ?? [:]
    let spec = object["spec"] as? [String: Any] ?? [:]
    let status = object["status"] as? [String: Any] ?? [:]
    let name = metadata["name"] as? String ?? kind
    let generation = metadata["generation"] as? Int ?? 0
    let observed = status["observedGeneration"] as? Int ?? 0
    let wanted = spec["replicas"] as? Int ?? 1
    let updated = status["updatedReplicas"] as? Int ?? 0
    let total = status["replicas"] as? Int ?? 0
    let available = status["availableReplicas"] as? Int ?? 0
    if observed < generation {
      return .waiting("\(name): the controller has not seen generation \(generation) yet")
    }
    if kind == "rollout" {
      let phase = status["phase"] as? String ?? ""
      let stable = status["stableRS"] as? String
      let current = status["currentPodHash"] as? String
      guard phase == "Healthy", stable != nil, stable == current else {
        return .waiting(
          "\(name): Argo rollout \(phase.isEmpty ? "in progress" : phase), stable ReplicaSet "
            + "\(stable ?? "-") is not the current \(current ?? "-")"
        )
      }
    }
    if updated < wanted {
      return .waiting("\(name): \(updated) of \(wanted) replicas updated")
    }
    if total > updated {
      return .waiting("\(name): \(total - updated) old replica(s) still running")
    }
    if available < wanted {
      return .waiting("\(name): \(available) of \(wanted) replicas available")
    }
    return .ok("\(name): \(wanted) of \(wanted) replicas updated and available")
  }

  /// Checks a pod list: every pod must run `version` (by `versionLabel`) or `image`.
  public static func podStatus(
    _ json: [UInt8],
    version: String?,
    versionLabel: String,
    image: String?
  ) -> GateObservation {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
      let items = object["items"] as? [[String: Any]]
    else {
      return .waiting("kubectl returned no pod list")
    }
    var old: [String] = []
    for pod in items {
      let metadata = pod["metadata"] as? [String: Any] ?? [:]
      let name = metadata["name"] as? String ?? "pod"
      let labels = metadata["labels"] as? [String: String] ?? [:]
      let terminating = metadata["deletionTimestamp"] != nil
      let phase = (pod["status"] as? [String: Any])?["phase"] as? String ?? ""
      if phase == "Succeeded" || phase == "Failed" { continue }
      var isOld = false
      if let version, labels[versionLabel] != version { isOld = true }
      if let image {
        let containers = (pod["spec"] as? [String: Any])?["containers"] as? [[String: Any]] ?? []
        if containers.contains(where: { ($0["image"] as? String) != image }) { isOld = true }
      }
      if isOld {
        let running = labels[versionLabel].map { "version \($0)" } ?? "another version"
        old.append("\(name) (\(running)\(terminating ? ", terminating" : ""))")
      }
    }
    if !old.isEmpty {
      return .waiting("pods of the old version left: " + old.sorted().joined(separator: ", "))
    }
    return .ok("\(items.count) pod(s), all of the new version")
  }
}
