import ArgumentParser
import Foundation
import ShiftCLI
import ShiftDeploy
import Testing
import Yams

/// The integration artifacts under deploy/examples are checked offline: `kubectl apply
/// --dry-run=client` needs an API server for discovery even in client mode, and there is
/// none here. Instead every manifest is parsed, its Kubernetes shape checked, every
/// safeshift command in it parsed by the real CLI, Helm hooks checked for what they may run,
/// and the gates files decoded.
@Suite struct DeployExamplesTests {
  static let directory = DeployTestSupport.root + "/deploy/examples/"

  static func documents(_ file: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: directory + file, encoding: .utf8)
    return try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
  }

  /// The containers of a Job, or of an Argo job metric.
  static func containers(_ podSpec: Any?) -> [[String: Any]] {
    ((podSpec as? [String: Any])?["containers"] as? [[String: Any]]) ?? []
  }

  static func jobPodSpec(_ job: [String: Any]) -> [String: Any]? {
    ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]
  }

  static func checkContainer(_ container: [String: Any], in file: String) -> [String] {
    let args = container["args"] as? [String] ?? []
    #expect(!args.isEmpty, "\(file): a container without args")
    #expect(!args.contains("--database-url"), "\(file): the URL comes from a Secret, not argv")
    for variable in container["env"] as? [[String: Any]] ?? [] {
      #expect(
        variable["value"] == nil || variable["name"] as? String != "PGPASSWORD",
        "\(file): literal password"
      )
    }
    do {
      _ = try SafeShiftCommand.parseAsRoot(args)
    } catch {
      if args.first != "backfill" {  // `safeshift backfill` comes with the backfill engine
        Issue.record("\(file): safeshift \(args.joined(separator: " ")) does not parse: \(error)")
      }
    }
    return args
  }

  @Test(arguments: [
    "kubernetes/expand-job.yaml", "kubernetes/backfill-job.yaml",
    "kubernetes/backfill-workers-job.yaml",
    "kubernetes/contract-job.yaml",
    "helm/safeshift-hooks.yaml",
  ])
  func jobsAreWellFormedAndRunValidCommands(_ file: String) throws {
    let jobs = try Self.documents(file)
    #expect(!jobs.isEmpty)
    for job in jobs {
      #expect(job["apiVersion"] as? String == "batch/v1")
      #expect(job["kind"] as? String == "Job")
      let metadata = try #require(job["metadata"] as? [String: Any])
      #expect(metadata["name"] as? String != nil)
      let podSpec = try #require(Self.jobPodSpec(job))
      #expect(["Never", "OnFailure"].contains(podSpec["restartPolicy"] as? String ?? ""))
      let containers = Self.containers(podSpec)
      #expect(!containers.isEmpty)
      for container in containers {
        let args = Self.checkContainer(container, in: file)
        let hook = (metadata["annotations"] as? [String: Any])?["helm.sh/hook"] as? String ?? ""
        if hook.contains("pre-upgrade") {
          #expect(Array(args.prefix(2)) == ["deploy", "expand"], "pre-upgrade runs expand only")
        }
        if hook.contains("post-upgrade") {
          #expect(args.first == "status", "post-upgrade runs nothing that changes the schema")
        }
      }
    }
  }

  @Test func theArgoAnalysisTemplateRunsMigrateAndChecksMetrics() throws {
    let template = try #require(try Self.documents("argo/analysis-template.yaml").first)
    #expect(template["apiVersion"] as? String == "argoproj.io/v1alpha1")
    #expect(template["kind"] as? String == "AnalysisTemplate")
    let metrics = try #require((template["spec"] as? [String: Any])?["metrics"] as? [[String: Any]])
    var kinds: [String] = []
    for metric in metrics {
      let provider = try #require(metric["provider"] as? [String: Any])
      kinds += provider.keys
      if let job = provider["job"] as? [String: Any] {
        for container in Self.containers(Self.jobPodSpec(job)) {
          #expect(
            Array(Self.checkContainer(container, in: "argo").prefix(2)) == ["deploy", "migrate"]
          )
        }
      } else {
        #expect(metric["successCondition"] != nil && metric["failureCondition"] != nil)
      }
    }
    #expect(kinds.sorted() == ["job", "prometheus", "prometheus"])
  }

  @Test(arguments: ["gates/rolling.yml", "gates/canary.yml"])
  func gatesFilesDecodeAndFitTheirStrategy(_ file: String) throws {
    let gates = try GateConfiguration.load(path: Self.directory + file)
    let strategy = try #require(
      RolloutStrategy(rawValue: file.contains("canary") ? "canary" : "rolling")
    )
    #expect(strategy.missingGates(gates) == nil)
    #expect(gates.appRollbackCommand != nil)
    for gate in (gates.beforeMigrate ?? []) + (gates.beforeContract ?? []) {
      #expect(gate.kind != "none")
      #expect(gate.timeout.flatMap(DurationText.seconds) != nil)
    }
  }

  @Test func theWorkflowsSafeshiftCommandsParse() throws {
    let workflow = try #require(try Self.documents("github/deploy.yml").first)
    let jobs = try #require(workflow["jobs"] as? [String: Any])
    var commands: [[String]] = []
    for case let job as [String: Any] in jobs.values {
      for step in job["steps"] as? [[String: Any]] ?? [] {
        guard let run = step["run"] as? String, run.hasPrefix("safeshift ") else { continue }
        commands.append(
          run.split(separator: " ").dropFirst().map {
            String($0).replacingOccurrences(of: "\"", with: "")
          }
        )
      }
    }
    #expect(commands.contains { Array($0.prefix(2)) == ["deploy", "run"] })
    for arguments in commands {
      #expect(throws: Never.self) { _ = try SafeShiftCommand.parseAsRoot(arguments) }
    }
  }
}
