import Foundation
public import ShiftPlanner

/// Reading backfill specs (`backfills/<name>.json`, docs/plan-format.md) and fingerprinting
/// them for the ledger.
public enum BackfillSpecJSON {
  /// Parses a version 1 spec.
  ///
  /// - Parameter text: the JSON document.
  /// - Returns: the spec, with batch settings defaulted where absent.
  /// - Throws: `BackfillError` of kind `.invalidSpec` naming the missing or wrong field.
  public static func decode(_ text: String) throws(BackfillError) -> BackfillSpec {
    let object: [String: Any]
    do {
      guard
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
      else { throw invalid("the document is not a JSON object") }
      object = parsed
    } catch let error as BackfillError {
      throw error
    } catch {
      throw invalid("not valid JSON")
    }
    if let version = object["version"] as? Int, version != 1 {
      throw invalid("unsupported version \(version) (this safeshift reads version 1)")
    }
    func string(_ key: String) throws(BackfillError) -> String {
      guard let value = object[key] as? String, !value.isEmpty else {
        throw invalid("`\(key)` must be a non-empty string")
      }
      return value
    }
    let name = try string("name")
    let table = try string("table")
    let schema = (object["schema"] as? String) ?? "public"
    guard let keys = (object["keyColumns"] ?? [String]()) as? [String] else {
      throw invalid("`keyColumns` must be an array of column names")
    }
    guard let operation = BackfillSpec.Operation(rawValue: try string("operation")) else {
      throw invalid("`operation` must be `update` or `delete`")
    }
    var assignments: [BackfillSpec.Assignment] = []
    for item in (object["set"] as? [Any]) ?? [] {
      guard let pair = item as? [String: Any], let column = pair["column"] as? String,
        let expression = pair["expression"] as? String, !column.isEmpty, !expression.isEmpty
      else { throw invalid("each `set` entry needs `column` and `expression`") }
      assignments.append(.init(column: column, expression: expression))
    }
    if operation == .update, assignments.isEmpty {
      throw invalid("an update needs at least one `set` entry")
    }
    let filter = object["where"] as? String
    var batch = BackfillSpec.BatchSettings()
    if let settings = object["batch"] as? [String: Any] {
      if let value = settings["targetBatchMilliseconds"] as? Int {
        batch.targetBatchMilliseconds = value
      }
      if let value = settings["initialBatchSize"] as? Int { batch.initialBatchSize = value }
      if let value = settings["minBatchSize"] as? Int { batch.minBatchSize = value }
      if let value = settings["maxBatchSize"] as? Int { batch.maxBatchSize = value }
      if let value = settings["lockTimeout"] as? String { batch.lockTimeout = value }
      if let value = settings["statementTimeout"] as? String { batch.statementTimeout = value }
    }
    return BackfillSpec(
      name: name,
      schema: schema,
      table: table,
      keyColumns: keys,
      operation: operation,
      assignments: assignments,
      rowFilter: filter?.isEmpty == true ? nil : filter,
      batch: batch
    )
  }

  /// A fingerprint of what the spec changes (table, key, operation, assignments, filter; not
  /// the batch settings, which may be tuned between runs): 16 hex digits of FNV-1a.
  public static func checksum(_ spec: BackfillSpec) -> String {
    var parts = [spec.schema, spec.table, spec.operation.rawValue]
    parts += spec.keyColumns
    parts.append("|")
    for assignment in spec.assignments { parts += [assignment.column, assignment.expression] }
    parts.append(spec.rowFilter ?? "")
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for part in parts {
      for byte in part.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
      }
      hash ^= 0xFF
      hash &*= 0x0000_0100_0000_01B3
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }

  private static func invalid(_ message: String) -> BackfillError {
    BackfillError(.invalidSpec, message: message)
  }
}
