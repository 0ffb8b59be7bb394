import Foundation
import ShiftAnalysis
public import ShiftPlanner
import ShiftSyntax

/// How one applied step is undone.
public enum StepUndo: Sendable, Hashable {
  /// Run these statements (in a transaction unless `inTransaction` is false).
  case statements([String], inTransaction: Bool)
  /// Nothing to undo: the step left nothing the old version minds (a validation, a
  /// relaxation, a backfill of a column that rollback drops).
  case nothing(String)
  /// Cannot be undone by statements; the reason says what to do (restore from a backup).
  case impossible(String)
}

/// One step of a rollback.
public struct RollbackStep: Sendable, Hashable {
  /// The plan step undone.
  public var stepID: String
  /// Its summary.
  public var summary: String
  /// How.
  public var undo: StepUndo
}

/// Works out how to undo the applied steps of expand and migrate, newest first.
///
/// Reverse statements come from the plan (`"reverse"` of a step in `plan.json`) when it has
/// them; otherwise they are derived for the additive statements expand makes (`ADD COLUMN`,
/// `CREATE INDEX`, `ADD CONSTRAINT`, `CREATE TRIGGER`, `CREATE FUNCTION`, `CREATE TABLE`,
/// `CREATE VIEW`), each as `DROP … IF EXISTS` so a rerun is harmless. Statements it does not
/// know how to undo make the step `impossible`.
public enum RollbackPlanner {
  /// The rollback of `applied` steps (ids in the order they ran).
  public static func plan(_ plan: DeployPlan, applied: [String]) -> [RollbackStep] {
    let steps = Dictionary(plan.plan.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var addedColumns: Set<String> = []
    for step in plan.plan.steps where step.phase == .expand {
      for statement in step.statements {
        if let column = Reverser.addedColumn(statement) { addedColumns.insert(column) }
      }
    }
    return applied.reversed().compactMap { id -> RollbackStep? in
      guard let step = steps[id], step.phase != .contract else { return nil }
      if let reverse = plan.reverseStatements[id] {
        return RollbackStep(
          stepID: id,
          summary: step.summary,
          undo: .statements(
            reverse,
            inTransaction: !reverse.contains { $0.uppercased().contains("CONCURRENTLY") }
          )
        )
      }
      var undo = undo(step, addedColumns: addedColumns)
      if plan.plan.dialect == .sqlite, case .statements(let statements, let inTransaction) = undo {
        // SQLite has no DROP COLUMN IF EXISTS; the ledger records the undo in the same
        // transaction, so it never runs twice.
        undo = .statements(
          statements.map {
            $0.replacingOccurrences(of: "DROP COLUMN IF EXISTS", with: "DROP COLUMN")
          },
          inTransaction: inTransaction
        )
      }
      return RollbackStep(stepID: id, summary: step.summary, undo: undo)
    }
  }

  /// Whether a backfill only fills columns the plan's expand adds (nothing existing is
  /// overwritten or deleted, so it needs no backup and no undo).
  public static func backfillOnlyFillsNewColumns(_ spec: BackfillSpec, plan: DeployPlan) -> Bool {
    var addedColumns: Set<String> = []
    for step in plan.plan.steps where step.phase == .expand {
      for statement in step.statements {
        if let column = Reverser.addedColumn(statement) { addedColumns.insert(column) }
      }
    }
    let columns = spec.assignments.map { "\(spec.table).\($0.column)".lowercased() }
    return spec.operation == .update && !columns.isEmpty
      && columns.allSatisfy(addedColumns.contains)
  }

  static func undo(_ step: PlanStep, addedColumns: Set<String>) -> StepUndo {
    if let spec = step.backfill {
      let columns = spec.assignments.map { "\(spec.table).\($0.column)".lowercased() }
      if spec.operation == .update, !columns.isEmpty, columns.allSatisfy(addedColumns.contains) {
        return .nothing("the backfilled columns are new and are dropped with expand's undo")
      }
      return .impossible(
        "backfill \(spec.name) changed existing rows of \(spec.schema).\(spec.table); "
          + "restore them from the backup taken before migrate"
      )
    }
    var reverse: [String] = []
    var concurrent = false
    var created: Set<String> = []
    for statement in step.statements {
      switch Reverser.reverse(statement) {
      case .drop(let sql, let isConcurrent, let object):
        reverse.insert(sql, at: 0)
        concurrent = concurrent || isConcurrent
        created.insert(object)
      case .harmless:
        continue
      case .dropIfExists(let object):
        // `DROP … IF EXISTS x` before `CREATE x` (the replace idiom): undone with the create.
        created.insert(object)
        continue
      case .unknown:
        return .impossible(
          "no automatic undo for `\(statement.prefix(120))`; restore from the backup taken "
            + "before \(step.phase.rawValue) or undo it by hand"
        )
      }
    }
    if reverse.isEmpty { return .nothing("nothing to undo (\(step.summary))") }
    return .statements(reverse, inTransaction: !concurrent)
  }
}

/// A small reader of the statement shapes the planner writes in expand and migrate.
enum Reverser {
  enum Result {
    case drop(String, concurrent: Bool, object: String)
    case harmless
    case dropIfExists(String)
    case unknown
  }

  /// Words and quoted identifiers of a statement, up to the first `(` (identifiers keep
  /// their quotes; keywords are compared uppercased).
  static func words(_ statement: String) -> [String] {
    var words: [String] = []
    var current = ""
    var inQuote = false
    for character in statement {
      if inQuote {
        current.append(character)
        if character == "\"" { inQuote = false }
        continue
      }
      switch character {
      case "\"":
        current.append(character)
        inQuote = true
      case " ", "\n", "\t", "\r":
        if !current.isEmpty { words.append(current) }
        current = ""
      case "(", ")", ",", ";":
        if !current.isEmpty { words.append(current) }
        current = ""
        words.append(String(character))
      default:
        current.append(character)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  static func addedColumn(_ statement: String) -> String? {
    let w = words(statement)
    let upper = w.map { $0.uppercased() }
    guard upper.starts(with: ["ALTER", "TABLE"]) else { return nil }
    var index = 2
    if upper.count > 4, upper[2] == "IF", upper[3] == "EXISTS" { index = 4 }
    if index < upper.count, upper[index] == "ONLY" { index += 1 }
    guard index + 2 < w.count else { return nil }
    let table = unqualified(w[index])
    var position = index + 1
    guard upper[position] == "ADD" else { return nil }
    position += 1
    if upper[position] == "COLUMN" { position += 1 }
    if position + 2 < upper.count, upper[position] == "IF", upper[position + 1] == "NOT" {
      position += 3
    }
    guard position < w.count else { return nil }
    return "\(unquoted(table)).\(unquoted(w[position]))".lowercased()
  }

  static func unqualified(_ name: String) -> String {
    var parts: [String] = []
    var current = ""
    var inQuote = false
    for character in name {
      if character == "\"" { inQuote.toggle() }
      if character == ".", !inQuote {
        parts.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    return parts.last ?? name
  }

  static func unquoted(_ name: String) -> String {
    guard name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 else { return name }
    return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
  }

  static func reverse(_ statement: String) -> Result {
    let w = words(statement)
    let upper = w.map { $0.uppercased() }
    func at(_ index: Int) -> String { index < upper.count ? upper[index] : "" }
    if upper.starts(with: ["ALTER", "TABLE"]) {
      var index = 2
      if at(2) == "IF", at(3) == "EXISTS" { index = 4 }
      if at(index) == "ONLY" { index += 1 }
      guard index < w.count else { return .unknown }
      let table = w[index]
      var position = index + 1
      // One action only: several comma-separated actions are not reversed.
      if upper.contains(",") && !upper.contains("(") { return .unknown }
      switch at(position) {
      case "ADD":
        position += 1
        if at(position) == "CONSTRAINT" {
          let name = w.count > position + 1 ? w[position + 1] : ""
          return .drop(
            "ALTER TABLE \(table) DROP CONSTRAINT IF EXISTS \(name)",
            concurrent: false,
            object: name
          )
        }
        if at(position) == "COLUMN" { position += 1 }
        if at(position) == "IF", at(position + 1) == "NOT", at(position + 2) == "EXISTS" {
          position += 3
        }
        guard position < w.count else { return .unknown }
        return .drop(
          "ALTER TABLE \(table) DROP COLUMN IF EXISTS \(w[position])",
          concurrent: false,
          object: w[position]
        )
      case "VALIDATE":
        return .harmless
      case "ALTER":
        // DROP NOT NULL relaxes; the old version never minds.
        if upper.suffix(3) == ["DROP", "NOT", "NULL"] { return .harmless }
        return .unknown
      default:
        return .unknown
      }
    }
    if upper.starts(with: ["CREATE"]) {
      var index = 1
      if at(1) == "OR", at(2) == "REPLACE" { index = 3 }
      if at(index) == "UNIQUE" { index += 1 }
      switch at(index) {
      case "INDEX":
        index += 1
        let concurrent = at(index) == "CONCURRENTLY"
        if concurrent { index += 1 }
        if at(index) == "IF", at(index + 1) == "NOT", at(index + 2) == "EXISTS" { index += 3 }
        guard index < w.count, at(index) != "ON" else { return .unknown }
        let name = w[index]
        return .drop(
          "DROP INDEX \(concurrent ? "CONCURRENTLY " : "")IF EXISTS \(name)",
          concurrent: concurrent,
          object: name
        )
      case "TRIGGER":
        guard let on = upper.firstIndex(of: "ON"), on + 1 < w.count, index + 1 < w.count else {
          return .unknown
        }
        return .drop(
          "DROP TRIGGER IF EXISTS \(w[index + 1]) ON \(w[on + 1])",
          concurrent: false,
          object: w[index + 1]
        )
      case "FUNCTION":
        guard index + 1 < w.count, let close = upper.firstIndex(of: ")") else { return .unknown }
        let signature = w[(index + 1)...close].joined(separator: " ")
          .replacingOccurrences(of: " ( ", with: "(").replacingOccurrences(of: " (", with: "(")
          .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")")
        return .drop(
          "DROP FUNCTION IF EXISTS \(signature)",
          concurrent: false,
          object: w[index + 1]
        )
      case "TABLE", "VIEW":
        let kind = at(index)
        index += 1
        if at(index) == "IF", at(index + 1) == "NOT", at(index + 2) == "EXISTS" { index += 3 }
        guard index < w.count else { return .unknown }
        return .drop("DROP \(kind) IF EXISTS \(w[index])", concurrent: false, object: w[index])
      default:
        return .unknown
      }
    }
    if upper.starts(with: ["DROP", "TRIGGER", "IF", "EXISTS"]), w.count > 4 {
      return .dropIfExists(w[4])
    }
    if upper.starts(with: ["DROP", "INDEX", "CONCURRENTLY", "IF", "EXISTS"]), w.count > 5 {
      return .dropIfExists(w[5])
    }
    if upper.starts(with: ["COMMENT"]) { return .harmless }
    return .unknown
  }
}
