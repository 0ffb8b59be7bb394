import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Refresh materialized views that have a unique index with `CONCURRENTLY`.
public struct RefreshMaterializedViewBlockingRule: Rule {
  public static let description = RuleDescription(
    id: "refresh-materialized-view-blocking",
    summary: "Refresh materialized views that have a unique index CONCURRENTLY.",
    rationale: """
      REFRESH MATERIALIZED VIEW replaces the view's contents under an ACCESS EXCLUSIVE lock: \
      every query of the view waits for the whole query behind it to run. When the view has \
      a unique index on plain columns, REFRESH … CONCURRENTLY computes the new contents next \
      to the old and applies the difference under an EXCLUSIVE lock that lets reads go on.
      """,
    defaultSeverity: .warning,
    category: .locking,
    sizeSensitivity: .duration,
    nonTriggering: [
      RuleExample("REFRESH MATERIALIZED VIEW CONCURRENTLY orders_per_user;", schema: Self.schema),
      RuleExample(
        "REFRESH MATERIALIZED VIEW orders_per_user;",
        schema: RuleExample.defaultSchema + "\n" + Self.view
      ),
      RuleExample("REFRESH MATERIALIZED VIEW orders_per_user WITH NO DATA;", schema: Self.schema),
    ],
    triggering: [
      RuleExample("⚠️REFRESH MATERIALIZED VIEW orders_per_user;", schema: Self.schema)
    ]
  )

  static let view = """
    CREATE MATERIALIZED VIEW orders_per_user AS
      SELECT user_id, count(*) AS total FROM orders GROUP BY user_id;
    """

  static let schema =
    RuleExample.defaultSchema + "\n" + view
    + "\nCREATE UNIQUE INDEX orders_per_user_user_id_key ON orders_per_user (user_id);"

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .refreshMaterializedView(let refresh) = context.statement.kind,
      !refresh.has("CONCURRENTLY"), !refresh.has("WITH NO DATA"),
      let name = refresh.names.first, let view = context.catalog.view(named: name),
      view.isMaterialized, view.isPopulated, context.isExistingRelation(view.name),
      let index = view.indexes.first(where: {
        $0.isUnique && $0.isValid && $0.predicate == nil && $0.keys.allSatisfy { $0.column != nil }
      })
    else { return [] }
    let quoted = context.sqlName(name)
    return [
      Violation(
        message:
          "REFRESH MATERIALIZED VIEW blocks every read of \(quoted) (ACCESS EXCLUSIVE) until the refresh finishes",
        help: """
          It has the unique index \(SQLIdentifier.quote(index.name)), so it can be refreshed \
          while readers keep reading:
            REFRESH MATERIALIZED VIEW CONCURRENTLY \(quoted);
          """,
        range: context.statement.range
      )
    ]
  }
}
