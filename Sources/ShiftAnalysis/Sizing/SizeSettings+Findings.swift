public import ShiftCore
import ShiftSchema
public import ShiftSyntax

extension SizeSettings {
  /// What the sizes say about one statement's work.
  public enum Verdict: Sendable, Hashable {
    /// The statement scans or rewrites no existing table.
    case noWork
    /// Some table it works on has no known size (their names).
    case unknown([String])
    /// Every table's size is known.
    case estimated(DurationEstimate)
  }

  /// Estimates how long a statement's scans and rewrites of existing tables take.
  ///
  /// - Parameter analyzed: the statement, its effect, and the catalog before it.
  /// - Returns: no work, unknown sizes, or the estimate.
  public func verdict(for analyzed: AnalyzedStatement) -> Verdict {
    let effect = analyzed.effect
    let newRelations = Set(effect.locks.filter(\.isNewRelation).compactMap(\.relation))
    var work: [(ObjectName, DurationEstimate.Work)] = []
    for name in effect.rewrittenRelations where !newRelations.contains(name) {
      work.append((name, .rewrite))
    }
    let scanWork = Self.scanWork(of: analyzed.statement)
    for name in effect.scannedRelations
    where !newRelations.contains(name) && !effect.rewrittenRelations.contains(name) {
      work.append((name, scanWork))
    }
    guard !work.isEmpty else { return .noWork }
    var tables: [DurationEstimate.TableWork] = []
    var unknown: [String] = []
    for (name, kind) in work {
      let size = size(of: name, in: analyzed.catalogBefore)
      let display = Self.display(name)
      let bytes: Int
      var fromRows = false
      if let known = size.bytes {
        bytes = known
      } else if let rows = size.rows {
        bytes = rows * rowBytes
        fromRows = true
      } else {
        unknown.append(display)
        continue
      }
      let held = (effect.locks + effect.transaction.heldLocks)
        .filter { $0.relation == name }
        .map(\.mode)
        .max()
      tables.append(
        DurationEstimate.TableWork(
          relation: display,
          rows: size.rows,
          bytes: bytes,
          bytesFromRows: fromRows,
          work: kind,
          lock: held,
          bytesPerSecond: rate(of: kind)
        )
      )
    }
    if !unknown.isEmpty { return .unknown(unknown) }
    return .estimated(DurationEstimate(tables: tables))
  }

  /// Applies the sizes to one statement's findings: lowers, raises or drops them and adds
  /// the estimated duration (and, on SQLite, what the journal mode changes).
  ///
  /// - Parameters:
  ///   - findings: the statement's findings, after configuration and suppressions.
  ///   - analyzed: the statement, its effect, and the catalog before it.
  ///   - dialect: the file's dialect.
  ///   - rules: the run's rules (to learn each finding's ``SizeSensitivity``).
  ///   - ruleLevels: levels configured explicitly (never raised).
  public func adjust(
    _ findings: inout [Finding],
    analyzed: AnalyzedStatement,
    dialect: Dialect,
    rules: [any Rule],
    ruleLevels: [String: Configuration.RuleLevel]
  ) {
    guard isEnabled, !findings.isEmpty else { return }
    var verdict: Verdict?
    var adjusted: [Finding] = []
    adjusted.reserveCapacity(findings.count)
    for var finding in findings {
      guard let description = Self.description(of: finding.rule, in: rules) else {
        adjusted.append(finding)
        continue
      }
      if dialect == .sqlite, let note = journalNote(for: analyzed.effect, rule: description) {
        finding.help = (finding.help.map { $0 + "\n" } ?? "") + note
      }
      guard description.sizeSensitivity == .duration else {
        adjusted.append(finding)
        continue
      }
      let current = verdict ?? self.verdict(for: analyzed)
      verdict = current
      switch current {
      case .noWork:
        break
      case .unknown(let names):
        if mentionsUnknownSizes {
          let list = names.joined(separator: ", ")
          finding.message += " (size of \(list) unknown: severity not adjusted)"
        }
      case .estimated(let estimate):
        finding.estimate = estimate
        let databaseLock = analyzed.effect.locks.contains { $0.target == .database }
        finding.message += " — " + Self.describe(estimate, databaseLock: databaseLock)
        let seconds = estimate.seconds
        let explicit = ([description.id] + description.deprecatedAliases).contains {
          ruleLevels[$0] != nil
        }
        if seconds < briefBelowSeconds {
          guard let lowered = briefLevel.severity else { continue }  // `off`: dropped
          if lowered < finding.severity {
            finding.severity = lowered
            finding.message +=
              "; brief (under \(SizeFormat.threshold(briefBelowSeconds))), so reported as \(lowered.rawValue)"
          }
        } else if seconds >= errorFromSeconds, !explicit, finding.severity < .error {
          finding.severity = .error
          finding.message +=
            "; long (\(SizeFormat.threshold(errorFromSeconds)) or more), so reported as error"
        }
      }
      adjusted.append(finding)
    }
    findings = adjusted
  }

  /// `rewrites users (≈ 4.2 GB, 50M rows): about 3 min at ~25 MB/s holding ACCESS EXCLUSIVE`.
  ///
  /// - Parameters:
  ///   - estimate: the estimate.
  ///   - databaseLock: whether the statement holds a database-wide write lock (SQLite).
  /// - Returns: one clause per table, joined by `; `.
  public static func describe(_ estimate: DurationEstimate, databaseLock: Bool = false) -> String {
    var parts: [String] = []
    for table in estimate.tables {
      var size = "≈ " + SizeFormat.bytes(table.bytes)
      if let rows = table.rows {
        size += (table.bytesFromRows ? " from " : ", ") + SizeFormat.rows(rows)
      }
      var text = "\(table.work.verb) \(table.relation) (\(size)): "
      text += SizeFormat.duration(table.seconds) + " at ~" + SizeFormat.rate(table.bytesPerSecond)
      if let lock = table.lock {
        text += " holding " + lock.rawValue
      } else if databaseLock {
        text += " holding the database write lock"
      }
      parts.append(text)
    }
    var text = parts.joined(separator: "; ")
    if estimate.tables.count > 1 { text += " (\(SizeFormat.duration(estimate.seconds)) in all)" }
    return text
  }

  private func rate(of work: DurationEstimate.Work) -> Int {
    switch work {
    case .scan: scanBytesPerSecond
    case .indexBuild: indexBuildBytesPerSecond
    case .rewrite, .update, .delete: rewriteBytesPerSecond
    }
  }

  /// What the SQLite journal mode changes for a statement that holds the database write
  /// lock while it scans or rewrites, for rules about locks, rewrites and rebuilds.
  private func journalNote(for effect: StatementEffect, rule: RuleDescription) -> String? {
    guard let mode = sqliteJournalMode?.lowercased(),
      rule.sizeSensitivity == .duration || rule.category == .sqlite,
      effect.locks.contains(where: { $0.target == .database }),
      effect.scansTable || effect.rewritesTable || rule.category == .sqlite
    else { return nil }
    if mode == "wal" {
      return """
        The database is in WAL mode: while the migration holds the write lock (this \
        statement, or the whole transaction of a table rebuild), readers keep reading the \
        last committed data; other writers wait (up to their busy timeout) until it commits.
        """
    }
    return """
      The database is in \(mode) journal mode (rollback journal): while the migration holds \
      the write lock (this statement, or the whole transaction of a table rebuild), other \
      writers wait, and readers are blocked too while it commits (and whenever SQLite spills \
      the change to the database file early). In WAL mode (PRAGMA journal_mode = WAL) \
      readers would go on.
      """
  }

  private static func scanWork(of statement: Statement) -> DurationEstimate.Work {
    switch statement.kind {
    case .createIndex:
      return .indexBuild
    case .dataChange(let change) where change.operation == .update:
      return .update
    case .dataChange(let change) where change.operation == .delete:
      return .delete
    case .alterTable(let alter):
      for action in alter.actions {
        guard case .addConstraint(let constraint) = action.kind else { continue }
        switch constraint.kind {
        case .unique(_, usingIndex: nil), .primaryKey(_, usingIndex: nil), .exclude:
          return .indexBuild
        default:
          continue
        }
      }
      return .scan
    default:
      return .scan
    }
  }

  private static func display(_ name: ObjectName) -> String {
    name.schema == "public" || name.schema == "main" || name.schema.isEmpty
      ? name.name : name.description
  }

  private static func description(of id: String, in rules: [any Rule]) -> RuleDescription? {
    for rule in rules {
      let description = type(of: rule).description
      if description.id == id { return description }
    }
    return nil
  }
}
