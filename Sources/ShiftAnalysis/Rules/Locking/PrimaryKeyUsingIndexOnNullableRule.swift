import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `PRIMARY KEY USING INDEX` on nullable columns scans the table to set them NOT NULL.
public struct PrimaryKeyUsingIndexOnNullableRule: Rule {
  public static let description = RuleDescription(
    id: "primary-key-using-index-on-nullable",
    summary:
      "Make key columns NOT NULL (through a validated CHECK) before PRIMARY KEY USING INDEX.",
    rationale: """
      Promoting a unique index to a primary key is instant only when its columns are NOT \
      NULL. Otherwise PostgreSQL runs an implicit SET NOT NULL that reads the whole table \
      under the ACCESS EXCLUSIVE lock. Since PostgreSQL 12 a validated CHECK (column IS NOT \
      NULL) lets SET NOT NULL skip the scan, and such a check is added without blocking.
      """,
    defaultSeverity: .warning,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE purchases ADD CONSTRAINT purchases_pkey PRIMARY KEY USING INDEX purchases_id_key;",
        schema: Self.schema + "\nALTER TABLE purchases ALTER COLUMN id SET NOT NULL;"
      ),
      RuleExample(
        "ALTER TABLE purchases ADD CONSTRAINT purchases_pkey PRIMARY KEY USING INDEX purchases_id_key;",
        schema: Self.schema
          + "\nALTER TABLE purchases ADD CONSTRAINT purchases_id_nn CHECK (id IS NOT NULL);",
        pgVersion: 15
      ),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE purchases ⚠️ADD CONSTRAINT purchases_pkey PRIMARY KEY USING INDEX purchases_id_key;",
        schema: Self.schema
      ),
      RuleExample(
        "ALTER TABLE purchases ⚠️ADD CONSTRAINT purchases_pkey PRIMARY KEY USING INDEX purchases_id_key;",
        schema: Self.schema
          + "\nALTER TABLE purchases ADD CONSTRAINT purchases_id_nn CHECK (id IS NOT NULL);",
        pgVersion: 11
      ),
    ]
  )

  static let schema = """
    CREATE TABLE purchases (id bigint, note text);
    CREATE UNIQUE INDEX purchases_id_key ON purchases (id);
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table), context.effect.scansTable
    else { return [] }
    let table = context.sqlName(alter.table)
    let existing = context.existingTable(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .addConstraint(let constraint) = action.kind,
        case .primaryKey(_, let usingIndex?) = constraint.kind
      else { continue }
      let index = existing?.index(named: context.catalog.normalize(usingIndex))
      let nullable = (index?.columns ?? []).compactMap { $0 }.filter {
        existing?.column(named: $0)?.isNotNull != true
      }
      let columns = nullable.isEmpty ? ["<key column>"] : nullable
      var help: String
      if context.pgVersion >= 12 {
        help =
          "Prove the key columns NOT NULL first, without blocking; the promotion is then instant:\n"
        for column in columns {
          let quoted = SQLIdentifier.quote(column)
          let check = context.generatedName([alter.table.name.value, column, "not_null"])
          help += """
              ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(quoted) IS NOT NULL) NOT VALID;
              ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
              ALTER TABLE \(table) ALTER COLUMN \(quoted) SET NOT NULL;

            """
        }
        help += "  " + context.sql + ";"
      } else {
        help = """
          Before PostgreSQL 12 the NOT NULL scan cannot be avoided: run it with a short \
          lock_timeout when \(table) is quiet:
            SET lock_timeout = '2s';
            \(context.sql);
          """
      }
      let list = columns.map { SQLIdentifier.quote($0) }.joined(separator: ", ")
      violations.append(
        Violation(
          message:
            "\(list) of \(table) may be NULL: PRIMARY KEY USING INDEX scans the table under an ACCESS EXCLUSIVE lock to set NOT NULL",
          help: help,
          range: action.range
        )
      )
    }
    return violations
  }
}
