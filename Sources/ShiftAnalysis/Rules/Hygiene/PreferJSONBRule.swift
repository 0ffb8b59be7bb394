import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `json` stores text; `jsonb` is what queries and indexes need.
public struct PreferJSONBRule: Rule {
  public static let description = RuleDescription(
    id: "prefer-jsonb",
    summary: "Use jsonb instead of json for new columns.",
    rationale: """
      A json column stores the document as text: it has no equality operator (so DISTINCT, \
      UNION, GROUP BY and unique indexes on it fail), cannot be indexed with GIN, and is \
      reparsed on every access. jsonb has none of these limits. Changing the type later \
      rewrites the table, so choose jsonb from the start.
      """,
    defaultSeverity: .info,
    category: .hygiene,
    nonTriggering: [
      RuleExample("ALTER TABLE users ADD COLUMN settings jsonb;"),
      RuleExample("CREATE TABLE events (id bigint, payload jsonb NOT NULL);"),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ADD COLUMN settings ⚠️json;"),
      RuleExample("CREATE TABLE purchases (id bigint, items ⚠️json NOT NULL, meta ⚠️json);"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    context.declaredColumns.compactMap { column in
      guard column.type.canonicalName.lowercased() == "json" else { return nil }
      return Violation(
        message:
          "\(context.columnName(column)) is json: no equality, no GIN index, reparsed on every read",
        help: "Use jsonb:\n  " + context.statementText(retyping: column, as: "jsonb"),
        range: column.type.range
      )
    }
  }
}
