import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Renaming a schema breaks every running query that qualifies names with it.
public struct RenamingSchemaRule: Rule {
  public static let description = RuleDescription(
    id: "renaming-schema",
    summary: "Do not rename schemas that running code uses.",
    rationale: """
      ALTER SCHEMA … RENAME TO is instant, but every query of the application version still \
      running that writes `old_schema.table` (or finds its tables through search_path) fails \
      from that moment. Move code to the new name first, or keep the old name working with \
      views. Schemas created earlier in the same file are not reported.
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample("CREATE SCHEMA staging;\nALTER SCHEMA staging RENAME TO imports;"),
      RuleExample("ALTER SCHEMA billing OWNER TO app;"),
    ],
    triggering: [
      RuleExample(
        "⚠️ALTER SCHEMA billing RENAME TO invoicing;",
        schema: "CREATE SCHEMA billing;\nCREATE TABLE billing.orders (id bigint PRIMARY KEY);"
      )
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .objectDefinition(let object) = context.statement.kind,
      object.objectType == .schema, object.has("ALTER"), object.has("RENAME"),
      let name = object.names.first
    else { return [] }
    let schema = context.catalog.normalize(name.name)
    guard !context.schemaCreatedInThisFile(schema) else { return [] }
    let quoted = SQLIdentifier.quote(schema)
    let tables = context.tables(inSchema: schema)
    let subject = tables.isEmpty ? "objects in \(quoted)" : tables.joined(separator: ", ")
    let views = tables.map { table -> String in
      let bare = table.split(separator: ".").last.map(String.init) ?? table
      return "  CREATE VIEW \(table) AS SELECT * FROM <new_schema>.\(bare);"
    }
    var help = """
      Deploy code that uses the new schema name (or search_path) first. To keep old code \
      working during the rollout, rename and recreate the old name with views in one \
      transaction:
        ALTER SCHEMA \(quoted) RENAME TO <new_schema>;
        CREATE SCHEMA \(quoted);
      """
    if !views.isEmpty { help += "\n" + views.joined(separator: "\n") }
    return [
      Violation(
        message: "renaming schema \(quoted) breaks code that still queries \(subject)",
        help: help,
        range: context.statement.range
      )
    ]
  }
}
