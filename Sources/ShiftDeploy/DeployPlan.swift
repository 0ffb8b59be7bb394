import Foundation
import ShiftAnalysis
public import ShiftPlanner
import ShiftSyntax

/// A plan read from `plan.json` for deployment, with its checksum.
///
/// The checksum (SHA-256 of `plan.json`'s bytes) is recorded in the ledger when a migration
/// starts; a different plan for a started migration is refused.
public struct DeployPlan: Sendable {
  /// The plan.
  public var plan: Plan
  /// SHA-256 of `plan.json`, 64 hex digits.
  public var checksum: String
  /// Statements that undo a step, by step id, when the plan carries them (`"reverse"` in a
  /// step of `plan.json`); steps without them are undone by ``RollbackPlanner`` where it
  /// knows how.
  public var reverseStatements: [String: [String]]
  /// The migration's id in the ledger: given by the caller, else derived from the plan's
  /// source files.
  public var migrationID: String

  /// Creates a plan for deployment.
  public init(
    plan: Plan,
    checksum: String,
    reverseStatements: [String: [String]] = [:],
    migrationID: String? = nil
  ) {
    self.plan = plan
    self.checksum = checksum
    self.reverseStatements = reverseStatements
    self.migrationID = migrationID ?? Self.defaultMigrationID(for: plan, checksum: checksum)
  }

  /// The plan's source file names without directories and `.sql`, joined by `+`
  /// (`0002_add_users_full_name+0003_backfill_users_full_name`), else the checksum's first
  /// 12 digits.
  public static func defaultMigrationID(for plan: Plan, checksum: String) -> String {
    let names = plan.sources.map { source -> String in
      var name = source.split(separator: "/").last.map(String.init) ?? source
      if name.hasSuffix(".sql") { name.removeLast(4) }
      return name
    }
    let joined = names.joined(separator: "+")
    if joined.isEmpty { return "plan-" + checksum.prefix(12) }
    return joined.count > 200 ? String(joined.prefix(187)) + "-" + checksum.prefix(12) : joined
  }

  /// Reads `DIR/plan.json`.
  ///
  /// - Throws: ``DeployError`` of kind `.badPlan` naming the file and what is wrong.
  public static func load(directory: String, migrationID: String? = nil) throws(DeployError)
    -> DeployPlan
  {
    let path = directory.hasSuffix("/") ? directory + "plan.json" : directory + "/plan.json"
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DeployError(.badPlan, "cannot read \(path) (run `safeshift plan --out DIR` first)")
    }
    return try decode(Array(data), path: path, migrationID: migrationID)
  }

  /// Decodes the bytes of a `plan.json`.
  public static func decode(_ bytes: [UInt8], path: String, migrationID: String? = nil)
    throws(DeployError) -> DeployPlan
  {
    let document: PlanDocument
    do {
      document = try JSONDecoder().decode(PlanDocument.self, from: Data(bytes))
    } catch {
      throw DeployError(.badPlan, "\(path): not a plan.json of version 1 (\(Self.reason(error)))")
    }
    guard document.version == 1 else {
      throw DeployError(
        .badPlan,
        "\(path): plan format version \(document.version) is not supported"
      )
    }
    let dialect: Dialect
    switch document.dialect {
    case "postgres": dialect = .postgres
    case "sqlite": dialect = .sqlite
    default: throw DeployError(.badPlan, "\(path): unknown dialect \(document.dialect)")
    }
    let specs = Dictionary(
      document.backfills.map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first }
    )
    var steps: [PlanStep] = []
    var reverse: [String: [String]] = [:]
    var seen: Set<String> = []
    for item in document.steps {
      guard let phase = MigrationPhase(rawValue: item.phase) else {
        throw DeployError(.badPlan, "\(path): step \(item.id) has unknown phase \(item.phase)")
      }
      guard seen.insert(item.id).inserted else {
        throw DeployError(.badPlan, "\(path): step id \(item.id) appears twice")
      }
      var spec: BackfillSpec?
      if item.kind == "backfill" {
        let name = (item.backfill ?? "").split(separator: "/").last.map {
          $0.hasSuffix(".json") ? String($0.dropLast(5)) : String($0)
        }
        guard let name, let found = specs[name] else {
          throw DeployError(
            .badPlan,
            "\(path): backfill step \(item.id) names \(item.backfill ?? "no spec"), not in backfills"
          )
        }
        spec = try found.spec(path: path)
      }
      var conditions: [RetryPolicy.Condition] = []
      for name in item.retry.retryOn {
        guard let condition = RetryPolicy.Condition(rawValue: name) else {
          throw DeployError(.badPlan, "\(path): step \(item.id) retries on unknown \(name)")
        }
        conditions.append(condition)
      }
      var step = PlanStep(
        phase: phase,
        summary: item.summary,
        statements: item.statements,
        isInTransaction: item.transaction,
        lockTimeout: item.lockTimeout,
        statementTimeout: item.statementTimeout,
        retry: RetryPolicy(
          maxAttempts: max(1, item.retry.maxAttempts),
          initialDelayMilliseconds: item.retry.initialDelayMilliseconds,
          maxDelayMilliseconds: item.retry.maxDelayMilliseconds,
          jitter: item.retry.jitter,
          retryOn: conditions
        ),
        cleanup: item.cleanup,
        skipIf: item.skipIf,
        backfill: spec,
        backup: item.backup.map {
          BackupSpec(
            schema: $0.schema,
            table: $0.table,
            columns: $0.columns,
            keyColumns: $0.keyColumns
          )
        },
        acknowledgedRules: item.acknowledgedRules ?? []
      )
      step.id = item.id
      steps.append(step)
      if let statements = item.reverse { reverse[item.id] = statements }
    }
    let plan = Plan(
      dialect: dialect,
      pgVersion: document.pgVersion ?? 18,
      sources: document.sources,
      steps: steps
    )
    return DeployPlan(
      plan: plan,
      checksum: SHA256.hex(of: bytes),
      reverseStatements: reverse,
      migrationID: migrationID
    )
  }

  private static func reason(_ error: any Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "missing \(Self.path(context.codingPath + [key]))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "wrong type at \(Self.path(context.codingPath))"
    case DecodingError.dataCorrupted(let context):
      return context.codingPath.isEmpty
        ? "invalid JSON" : "bad value at \(path(context.codingPath))"
    default:
      return "unreadable"
    }
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
  }
}

/// The JSON shape of `plan.json` (docs/plan-format.md), as far as deploy reads it.
private struct PlanDocument: Decodable {
  var version: Int
  var dialect: String
  var pgVersion: Int?
  var sources: [String]
  var steps: [StepDocument]
  var backfills: [BackfillDocument]
}

private struct StepDocument: Decodable {
  struct Retry: Decodable {
    var maxAttempts: Int
    var initialDelayMilliseconds: Int
    var maxDelayMilliseconds: Int
    var jitter: Bool
    var retryOn: [String]
  }

  struct Backup: Decodable {
    var schema: String
    var table: String
    var columns: [String]
    var keyColumns: [String]
  }

  var id: String
  var phase: String
  var kind: String
  var summary: String
  var transaction: Bool
  var lockTimeout: String
  var statementTimeout: String
  var retry: Retry
  var skipIf: String?
  var cleanup: [String]
  var statements: [String]
  var backfill: String?
  var backup: Backup?
  var acknowledgedRules: [String]?
  var reverse: [String]?
}

private struct BackfillDocument: Decodable {
  struct Assignment: Decodable {
    var column: String
    var expression: String
  }

  struct Batch: Decodable {
    var targetBatchMilliseconds: Int
    var initialBatchSize: Int
    var minBatchSize: Int
    var maxBatchSize: Int
    var lockTimeout: String
    var statementTimeout: String
  }

  var name: String
  var schema: String
  var table: String
  var keyColumns: [String]
  var operation: String
  var set: [Assignment]?
  var `where`: String?
  var batch: Batch

  func spec(path: String) throws(DeployError) -> BackfillSpec {
    guard let operation = BackfillSpec.Operation(rawValue: operation) else {
      throw DeployError(.badPlan, "\(path): backfill \(name) has unknown operation \(operation)")
    }
    return BackfillSpec(
      name: name,
      schema: schema,
      table: table,
      keyColumns: keyColumns,
      operation: operation,
      assignments: (set ?? []).map {
        BackfillSpec.Assignment(column: $0.column, expression: $0.expression)
      },
      rowFilter: `where`,
      batch: BackfillSpec.BatchSettings(
        targetBatchMilliseconds: batch.targetBatchMilliseconds,
        minBatchSize: batch.minBatchSize,
        maxBatchSize: batch.maxBatchSize,
        initialBatchSize: batch.initialBatchSize,
        lockTimeout: batch.lockTimeout,
        statementTimeout: batch.statementTimeout
      )
    )
  }
}
