import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A value added to an enum in a transaction cannot be used before that transaction commits.
public struct EnumAddValueInTransactionRule: Rule {
  public static let description = RuleDescription(
    id: "enum-add-value-in-transaction",
    summary: "Do not use an enum value in the transaction that adds it.",
    rationale: """
      Since PostgreSQL 12, ALTER TYPE … ADD VALUE may run inside a transaction block, but the \
      new value cannot be used until the transaction commits: a later statement of the same \
      transaction that writes or compares it fails with `unsafe use of new value`. Commit the \
      ADD VALUE first. (Before PostgreSQL 12 ADD VALUE cannot run in a transaction block at \
      all; concurrently-in-transaction reports that.)
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample(
        "ALTER TYPE order_status ADD VALUE 'refunded';\nUPDATE orders SET status = 'refunded' WHERE id = 1;",
        schema: Self.schema
      ),
      RuleExample(
        "BEGIN;\nALTER TYPE order_status ADD VALUE 'refunded';\nCOMMIT;\nUPDATE orders SET status = 'refunded' WHERE id = 1;",
        schema: Self.schema
      ),
      RuleExample(
        "BEGIN;\nALTER TYPE order_status ADD VALUE 'refunded';\nUPDATE orders SET status = 'sent' WHERE id = 1;\nCOMMIT;",
        schema: Self.schema
      ),
      RuleExample(
        """
        BEGIN;
        CREATE TYPE purchase_state AS ENUM ('open');
        ALTER TYPE purchase_state ADD VALUE 'closed';
        CREATE TABLE purchases (id bigint, state purchase_state DEFAULT 'closed');
        COMMIT;
        """
      ),
    ],
    triggering: [
      RuleExample(
        "BEGIN;\nALTER TYPE order_status ADD VALUE 'refunded';\n⚠️UPDATE orders SET status = 'refunded' WHERE id = 1;\nCOMMIT;",
        schema: Self.schema
      ),
      RuleExample(
        "ALTER TYPE order_status ADD VALUE 'refunded';\n⚠️CREATE INDEX orders_refunded_idx ON orders (id) WHERE status = 'refunded';",
        schema: Self.schema,
        assumeInTransaction: true
      ),
    ]
  )

  static let schema = """
    CREATE TYPE order_status AS ENUM ('new', 'sent');
    CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    // Values of a type created in the same transaction are safe to use at once, so the
    // history keeps only values added to types that existed before it.
    let added = context.history.enumValuesAdded
    guard !added.isEmpty, context.effect.transaction.isInTransaction else { return [] }
    if case .alterType = context.statement.kind { return [] }
    let literals = Set(context.stringLiterals)
    guard let use = added.first(where: { literals.contains($0.value) }) else { return [] }
    let type = context.sqlName(use.type)
    let tables = context.statement.tablesTouched.map { context.sqlName($0) }
    let subject =
      tables.isEmpty ? "this statement" : "this statement on \(tables.joined(separator: ", "))"
    return [
      Violation(
        message: """
          \(subject) uses '\(use.value)', added to \(type) in the same transaction: it fails \
          with "unsafe use of new value" until the transaction commits
          """,
        help: """
          Commit the new value first: run ALTER TYPE \(type) ADD VALUE '\(use.value)'; in its \
          own migration (or end the transaction with COMMIT; right after it), then use \
          '\(use.value)' in a later one.
          """,
        range: context.statement.range
      )
    ]
  }
}
