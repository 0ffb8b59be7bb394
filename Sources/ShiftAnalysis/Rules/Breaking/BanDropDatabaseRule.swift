import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `DROP DATABASE` has no place in a migration.
public struct BanDropDatabaseRule: Rule {
  public static let description = RuleDescription(
    id: "ban-drop-database",
    summary: "Never drop a database from a migration.",
    rationale: """
      DROP DATABASE deletes every table and every row of a database at once, and cannot run \
      inside a transaction. A migration is the wrong place for it: run it by hand, after a \
      backup, when nothing connects to that database any more.
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample("DROP TABLE IF EXISTS pg_temp.orders_import;"),
      RuleExample("ALTER TABLE users ADD COLUMN nickname text;"),
    ],
    triggering: [
      RuleExample("⚠️DROP DATABASE orders;"),
      RuleExample("⚠️drop database if exists purchases;"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .drop(let drop) = context.statement.kind, drop.objectType == .database else {
      return []
    }
    let names = drop.names.map { SQLIdentifier.quote($0.name.value) }.joined(separator: ", ")
    return [
      Violation(
        message: "dropping database \(names) deletes all of its data",
        help: """
          Remove the statement from the migration. If \(names) must go, back it up \
          (pg_dump --format=custom \(names)) and run DROP DATABASE \(names); by hand once no \
          application connects to it.
          """,
        range: context.statement.range
      )
    ]
  }
}
