import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A new NOT NULL column without a default fails on a populated table and breaks old INSERTs.
public struct AddingRequiredFieldRule: Rule {
  public static let description = RuleDescription(
    id: "adding-required-field",
    summary: "Give new NOT NULL columns on existing tables a default, or add them nullable.",
    rationale: """
      ALTER TABLE … ADD COLUMN … NOT NULL without a DEFAULT fails as soon as the table has a \
      row ("column contains null values"), and even when it succeeds, every INSERT of the \
      application version still running omits the column and fails. Add the column with a \
      constant default (instant since PostgreSQL 11), or nullable and backfilled before SET \
      NOT NULL. Identity, serial and generated columns fill themselves and are not reported.
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample("ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';"),
      RuleExample("ALTER TABLE users ADD COLUMN nickname text;"),
      RuleExample(
        "CREATE TABLE invoices (id bigint);\nALTER TABLE invoices ADD COLUMN total int NOT NULL;"
      ),
      RuleExample("ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;"),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ADD COLUMN plan text NOT NULL;"),
      RuleExample(
        "alter table orders ⚠️add currency char(3) not null, ⚠️add column note text not null;"
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard context.dialect == .postgres, case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .addColumn(let column, _) = action.kind, column.isNotNull,
        column.defaultValue == nil, column.identity == nil, column.generatedExpression == nil,
        !Self.serialTypes.contains(column.type?.canonicalName.lowercased() ?? "")
      else { return nil }
      let name = SQLIdentifier.quote(column.name.value)
      let type = column.type.map { context.text($0.range) } ?? "<type>"
      let check = SQLIdentifier.quote(
        String("\(alter.table.name.value)_\(column.name.value)_not_null".prefix(63))
      )
      return Violation(
        message: """
          adding NOT NULL column \(table).\(name) without a default fails on a non-empty table \
          and breaks old INSERTs into \(table)
          """,
        help: """
          Add it with a constant default (no rewrite since PostgreSQL 11):
            ALTER TABLE \(table) ADD COLUMN \(name) \(type) NOT NULL DEFAULT <value>;
          or add it nullable, backfill it in batches, then enforce it without a long lock:
            ALTER TABLE \(table) ADD COLUMN \(name) \(type);
            ALTER TABLE \(table) ADD CONSTRAINT \(check) CHECK (\(name) IS NOT NULL) NOT VALID;
            ALTER TABLE \(table) VALIDATE CONSTRAINT \(check);
            ALTER TABLE \(table) ALTER COLUMN \(name) SET NOT NULL;
          """,
        range: action.range
      )
    }
  }

  static let serialTypes: Set<String> = [
    "serial", "bigserial", "smallserial", "serial2", "serial4", "serial8",
  ]
}
