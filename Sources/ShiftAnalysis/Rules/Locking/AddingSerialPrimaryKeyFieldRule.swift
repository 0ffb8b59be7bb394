import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Primary keys on existing tables should be built from a concurrently built unique index.
public struct AddingSerialPrimaryKeyFieldRule: Rule {
  public static let description = RuleDescription(
    id: "adding-serial-primary-key-field",
    summary: "Add primary keys to existing tables USING INDEX a concurrently built index.",
    rationale: """
      ADD PRIMARY KEY builds a unique index, and makes nullable key columns NOT NULL with a \
      second scan, while holding an ACCESS EXCLUSIVE lock that blocks reads and writes. \
      Building the index with CREATE UNIQUE INDEX CONCURRENTLY first and then promoting it \
      with PRIMARY KEY USING INDEX takes the strong lock only for a moment, when the key \
      columns are already NOT NULL.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE purchases ADD CONSTRAINT purchases_pkey PRIMARY KEY USING INDEX purchases_id_key;",
        schema: Self.schema
          + "\nCREATE UNIQUE INDEX CONCURRENTLY purchases_id_key ON purchases (id);"
      ),
      RuleExample(
        "CREATE TABLE visits (id bigint, path text);\nALTER TABLE visits ADD PRIMARY KEY (id);"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE purchases ⚠️ADD PRIMARY KEY (id);", schema: Self.schema),
      RuleExample(
        "ALTER TABLE purchases ⚠️ADD CONSTRAINT purchases_pk PRIMARY KEY (id, user_id);",
        schema: Self.schema
      ),
    ]
  )

  static let schema = "CREATE TABLE purchases (id bigint NOT NULL, user_id bigint, note text);"

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    let existing = context.existingTable(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .addConstraint(let constraint) = action.kind,
        case .primaryKey(let columns, nil) = constraint.kind, !columns.isEmpty
      else { continue }
      let name =
        constraint.name.map { context.sqlName($0) }
        ?? context.generatedName([alter.table.name.value, "pkey"])
      let list = columns.map { context.sqlName($0) }.joined(separator: ", ")
      var help = "Build the index concurrently (outside a transaction block), then promote it:\n"
      let nullable = columns.filter { column in
        existing?.column(named: context.catalog.normalize(column))?.isNotNull != true
      }
      for column in nullable {
        let quoted = context.sqlName(column)
        let check = context.generatedName([alter.table.name.value, column.value, "not_null"])
        help += """
            ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(quoted) IS NOT NULL) NOT VALID;
            ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
            ALTER TABLE \(table) ALTER COLUMN \(quoted) SET NOT NULL;

          """
      }
      help += """
          CREATE UNIQUE INDEX CONCURRENTLY \(name) ON \(table) (\(list));
          ALTER TABLE \(table) ADD CONSTRAINT \(name) PRIMARY KEY USING INDEX \(name);
        """
      violations.append(
        Violation(
          message:
            "adding a PRIMARY KEY builds its index on \(table) under an ACCESS EXCLUSIVE lock that blocks reads and writes",
          help: help,
          range: action.range
        )
      )
    }
    return violations
  }
}
