import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `TRUNCATE … CASCADE` silently empties every table that references the truncated ones.
public struct BanTruncateCascadeRule: Rule {
  public static let description = RuleDescription(
    id: "ban-truncate-cascade",
    summary: "Do not TRUNCATE … CASCADE existing tables in a migration.",
    rationale: """
      TRUNCATE … CASCADE also empties every table with a foreign key to the truncated ones, \
      and those tables' referencing tables in turn: far more data than the statement names is \
      deleted, under ACCESS EXCLUSIVE locks, and it cannot be undone after commit. Name every \
      table to empty explicitly (TRUNCATE fails rather than cascade without the keyword).
      """,
    defaultSeverity: .error,
    category: .data,
    nonTriggering: [
      RuleExample("CREATE TABLE staging (id bigint);\nTRUNCATE staging CASCADE;"),
      RuleExample("TRUNCATE orders;"),
      RuleExample("TRUNCATE orders RESTRICT;"),
    ],
    triggering: [
      RuleExample("⚠️TRUNCATE users CASCADE;", schema: Self.schema),
      RuleExample("⚠️truncate table only orders, users cascade;"),
    ]
  )

  static let schema = """
    CREATE TABLE users (id bigint PRIMARY KEY);
    CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .truncate(let truncate) = context.statement.kind, truncate.has("CASCADE") else {
      return []
    }
    let named = truncate.names.filter { context.existedBeforeFile($0) }
    guard !named.isEmpty else { return [] }
    let namedKeys = Set(truncate.names.compactMap { context.catalog.table(named: $0)?.name })
    let others = context.effect.locks.compactMap { lock -> String? in
      guard let relation = lock.relation, !namedKeys.contains(relation), !lock.isNewRelation
      else { return nil }
      return SQLIdentifier.quote(relation.name)
    }
    let tables = named.map { context.sqlName($0) }
    let list = tables.joined(separator: ", ")
    let alsoEmptied =
      others.isEmpty ? "every table that references it" : others.joined(separator: ", ")
    let explicit = (tables + others).joined(separator: ", ")
    return [
      Violation(
        message: "TRUNCATE \(list) CASCADE also deletes every row of \(alsoEmptied)",
        help: """
          Back the data up, then name every table you mean to empty, without CASCADE, so an \
          unexpected reference makes the statement fail instead of deleting more:
            TRUNCATE \(explicit);
          """,
        range: context.statement.range
      )
    ]
  }
}
