import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Unique constraints on existing tables should be built from a concurrently built index.
public struct DisallowedUniqueConstraintRule: Rule {
  public static let description = RuleDescription(
    id: "disallowed-unique-constraint",
    summary: "Add UNIQUE constraints to existing tables USING INDEX a concurrently built index.",
    rationale: """
      ADD CONSTRAINT … UNIQUE builds its index while holding an ACCESS EXCLUSIVE lock: reads \
      and writes wait for a full scan and sort of the table. Building the unique index with \
      CREATE UNIQUE INDEX CONCURRENTLY first and then attaching it with UNIQUE USING INDEX \
      takes the strong lock only for a moment.
      """,
    defaultSeverity: .error,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
        schema: RuleExample.defaultSchema
          + "\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);"
      ),
      RuleExample(
        "CREATE TABLE visits (id bigint, path text);\nALTER TABLE visits ADD CONSTRAINT visits_path_key UNIQUE (path);"
      ),
      RuleExample("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);"),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ADD CONSTRAINT users_email_key UNIQUE (email);"),
      RuleExample("ALTER TABLE orders ⚠️ADD UNIQUE (user_id, status);"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      guard case .addConstraint(let constraint) = action.kind,
        case .unique(let columns, nil) = constraint.kind, !columns.isEmpty
      else { continue }
      let name =
        constraint.name.map { context.sqlName($0) }
        ?? context.generatedName([alter.table.name.value] + columns.map(\.value) + ["key"])
      let list = columns.map { context.sqlName($0) }.joined(separator: ", ")
      violations.append(
        Violation(
          message:
            "adding a UNIQUE constraint builds its index on \(table) under an ACCESS EXCLUSIVE lock that blocks reads and writes",
          help: """
            Build the index concurrently (outside a transaction block), then attach it:
              CREATE UNIQUE INDEX CONCURRENTLY \(name) ON \(table) (\(list));
              ALTER TABLE \(table) ADD CONSTRAINT \(name) UNIQUE USING INDEX \(name);
            """,
          range: action.range
        )
      )
    }
    return violations
  }
}
