import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Dropping a schema deletes every table in it.
public struct BanDropSchemaRule: Rule {
  public static let description = RuleDescription(
    id: "ban-drop-schema",
    summary: "Do not drop schemas that hold tables running code uses.",
    rationale: """
      DROP SCHEMA … CASCADE drops every table, view, type and function in the schema at \
      once: running code fails on all of them and the data is gone. Drop the objects one by \
      one in contract migrations once nothing uses them; schemas created earlier in the same \
      file are not reported.
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample(
        "CREATE SCHEMA scratch;\nCREATE TABLE scratch.orders (id bigint);\nDROP SCHEMA scratch CASCADE;"
      ),
      RuleExample("DROP TABLE IF EXISTS pg_temp.orders_import;"),
    ],
    triggering: [
      RuleExample(
        "⚠️DROP SCHEMA billing CASCADE;",
        schema: "CREATE SCHEMA billing;\nCREATE TABLE billing.orders (id bigint PRIMARY KEY);"
      ),
      RuleExample("⚠️DROP SCHEMA IF EXISTS public CASCADE;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .drop(let drop) = context.statement.kind, drop.objectType == .schema else {
      return []
    }
    return drop.names.compactMap { name in
      let schema = context.catalog.normalize(name.name)
      guard !context.schemaCreatedInThisFile(schema) else { return nil }
      let quoted = SQLIdentifier.quote(schema)
      let tables = context.tables(inSchema: schema)
      let contents =
        tables.isEmpty
        ? "everything in it" : "its tables \(tables.joined(separator: ", ")) with their data"
      return Violation(
        message: "dropping schema \(quoted) deletes \(contents) and breaks code that uses them",
        help: """
          Drop the objects of \(quoted) one by one in contract migrations, after no deployed \
          code uses them and their data is backed up (pg_dump --schema=\(quoted)); drop the \
          empty schema last, without CASCADE: DROP SCHEMA \(quoted);
          """,
        range: context.statement.range
      )
    }
  }
}
