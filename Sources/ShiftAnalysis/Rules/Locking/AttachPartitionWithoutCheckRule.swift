import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `ATTACH PARTITION` scans the partition unless a valid CHECK already proves its bound.
public struct AttachPartitionWithoutCheckRule: Rule {
  public static let description = RuleDescription(
    id: "attach-partition-without-check",
    summary: "Prove a partition's bound with a validated CHECK before ATTACH PARTITION.",
    rationale: """
      ATTACH PARTITION reads every row of the table being attached, under an ACCESS \
      EXCLUSIVE lock on it, to check that the rows fit the partition bound. A validated \
      CHECK constraint that implies the bound lets PostgreSQL skip the scan; such a check \
      can be added NOT VALID and validated without blocking.
      """,
    defaultSeverity: .warning,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE purchases ATTACH PARTITION purchases_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
        schema: Self.schema
          + """

          ALTER TABLE purchases_2026 ADD CONSTRAINT purchases_2026_bound
            CHECK (placed_at IS NOT NULL AND placed_at >= '2026-01-01' AND placed_at < '2027-01-01');
          """
      ),
      RuleExample(
        "CREATE TABLE purchases_2027 (id bigint, placed_at date);\nALTER TABLE purchases ATTACH PARTITION purchases_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');",
        schema: Self.schema
      ),
      RuleExample(
        "CREATE TABLE purchases_2027 PARTITION OF purchases FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');",
        schema: Self.schema
      ),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE purchases ⚠️ATTACH PARTITION purchases_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
        schema: Self.schema
      )
    ]
  )

  static let schema = """
    CREATE TABLE purchases (id bigint, placed_at date) PARTITION BY RANGE (placed_at);
    CREATE TABLE purchases_2026 (id bigint, placed_at date);
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .attachPartition(let name) = action.kind,
        let partition = context.effect.scannedRelations.first(where: {
          $0.name == context.catalog.normalize(name.name)
        }),
        context.isExistingRelation(partition)
      else { continue }
      let quoted = context.sqlName(name)
      let check = context.generatedName([name.name.value, "bound"])
      let actionText = context.text(action.range)
      violations.append(
        Violation(
          message:
            "attaching \(quoted) to \(table) scans all of \(quoted) under an ACCESS EXCLUSIVE lock to check the partition bound",
          help: """
            Prove the bound first with a check added without blocking, then attach and drop it:
              ALTER TABLE \(quoted) ADD CONSTRAINT \(check) CHECK (\(bound(actionText))) NOT VALID;
              ALTER TABLE \(quoted) VALIDATE CONSTRAINT \(check);
              ALTER TABLE \(table) \(actionText);
              ALTER TABLE \(quoted) DROP CONSTRAINT \(check);
            """,
          range: action.range
        )
      )
    }
    return violations
  }

  /// A CHECK condition for a single-column range bound, or what the condition must say.
  private func bound(_ action: String) -> String {
    let text = String(action.map { $0 == "\n" ? " " : $0 })
    let bytes = Array(text.utf8)
    let upper = Array(text.uppercased().utf8)
    func offset(of needle: String) -> Int? {
      let pattern = Array(needle.utf8)
      guard upper.count == bytes.count, pattern.count <= upper.count else { return nil }
      for start in 0...(upper.count - pattern.count)
      where Array(upper[start..<(start + pattern.count)]) == pattern {
        return start
      }
      return nil
    }
    func slice(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    guard let values = offset(of: "FOR VALUES") else { return "<partition key matches the bound>" }
    let fallback = "<partition key matches \(slice(values..<bytes.count))>"
    guard let from = offset(of: "FROM ("), let to = offset(of: ") TO ("), from + 6 <= to,
      bytes.last == UInt8(ascii: ")")
    else { return fallback }
    let lower = slice((from + 6)..<to)
    let upperValue = slice((to + 6)..<(bytes.count - 1))
    guard !lower.contains(","), !upperValue.contains(",") else { return fallback }
    var parts = ["<partition key> IS NOT NULL"]
    if lower.uppercased() != "MINVALUE" { parts.append("<partition key> >= \(lower)") }
    if upperValue.uppercased() != "MAXVALUE" {
      parts.append("<partition key> < \(upperValue)")
    }
    return parts.joined(separator: " AND ")
  }
}
