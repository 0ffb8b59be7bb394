import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `timestamp` without time zone loses the instant a value means.
public struct PreferTimestamptzRule: Rule {
  public static let description = RuleDescription(
    id: "prefer-timestamptz",
    summary: "Use timestamptz instead of timestamp (without time zone) for new columns.",
    rationale: """
      timestamp without time zone stores wall-clock time: the same value means different \
      instants to clients in different time zones, and comparisons with now() depend on the \
      session's TimeZone. timestamptz stores an instant and costs the same. Changing the type \
      later rewrites the table unless the session runs in UTC (PostgreSQL 12 and later).
      """,
    defaultSeverity: .info,
    category: .hygiene,
    nonTriggering: [
      RuleExample("ALTER TABLE orders ADD COLUMN shipped_at timestamptz;"),
      RuleExample("CREATE TABLE audits (id bigint, at timestamp with time zone DEFAULT now());"),
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ADD COLUMN shipped_at ⚠️timestamp;"),
      RuleExample(
        "CREATE TABLE purchases (id bigint, paid_at ⚠️timestamp(3) without time zone);"
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    context.declaredColumns.compactMap { column in
      guard column.type.canonicalName.lowercased() == "timestamp" else { return nil }
      return Violation(
        message: "\(context.columnName(column)) is timestamp without time zone",
        help: "Store an instant with timestamptz:\n  "
          + context.statementText(retyping: column, as: "timestamptz", keepModifiers: true),
        range: column.type.range
      )
    }
  }
}
