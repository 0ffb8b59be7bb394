import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A new foreign key should have an index on its referencing columns.
public struct ForeignKeyWithoutIndexRule: Rule {
  public static let description = RuleDescription(
    id: "foreign-key-without-index",
    summary: "Index the referencing columns of a new foreign key.",
    rationale: """
      Without an index whose leading columns are the foreign key's columns, every DELETE of a \
      referenced row, and every UPDATE of its key, scans the whole referencing table to look \
      for dependent rows, under a lock that blocks writes to those rows. Joins along the key \
      scan it too. The index is not created automatically (unlike the referenced side's).
      """,
    defaultSeverity: .warning,
    category: .locking,
    nonTriggering: [
      RuleExample(
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
        schema: RuleExample.defaultSchema
          + "\nCREATE INDEX orders_user_id_status_idx ON orders (user_id, status);"
      ),
      RuleExample(
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nCREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);"
      ),
      RuleExample(
        "ALTER TABLE orders ADD CONSTRAINT orders_id_fk FOREIGN KEY (id) REFERENCES users (id) NOT VALID;"
      ),
    ],
    triggering: [
      RuleExample(
        "ALTER TABLE orders ⚠️ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;"
      ),
      RuleExample("ALTER TABLE orders ⚠️ADD COLUMN buyer_id bigint REFERENCES users (id);"),
      RuleExample(
        "ALTER TABLE orders ⚠️ADD FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
        schema: RuleExample.defaultSchema
          + "\nCREATE INDEX orders_status_user_id_idx ON orders (status, user_id);"
      ),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind else { return [] }
    let table = context.sqlName(alter.table)
    var violations: [Violation] = []
    for action in alter.actions {
      let columns: [Identifier]
      switch action.kind {
      case .addConstraint(let constraint):
        guard case .foreignKey(let keyColumns, _) = constraint.kind else { continue }
        columns = keyColumns
      case .addColumn(let column, _):
        guard column.reference != nil else { continue }
        let isKey = column.constraints.contains {
          switch $0.kind {
          case .unique, .primaryKey: true
          default: false
          }
        }
        if isKey { continue }
        columns = [column.name]
      default:
        continue
      }
      let names = columns.map { context.catalog.normalize($0) }
      guard !names.isEmpty, !context.catalog.hasIndexCovering(columns: names, on: alter.table),
        !isIndexedLater(names, table: alter.table, context)
      else { continue }
      let index = context.generatedName([alter.table.name.value] + names + ["idx"])
      let list = columns.map { context.sqlName($0) }.joined(separator: ", ")
      violations.append(
        Violation(
          message:
            "no index on \(table) (\(list)): deleting or updating a referenced row scans all of \(table)",
          help: """
            Index the referencing columns without blocking writes, outside a transaction block:
              CREATE INDEX CONCURRENTLY \(index) ON \(table) (\(list));
            """,
          range: action.range
        )
      )
    }
    return violations
  }

  /// Whether a later statement of the file creates an index with these leading columns.
  private func isIndexedLater(_ columns: [String], table: QualifiedName, _ context: RuleContext)
    -> Bool
  {
    let wanted = Set(columns)
    let tableName = context.catalog.normalize(table.name)
    if let lookahead = context.indexLookahead {
      return lookahead.hasIndex(on: tableName, leading: wanted, after: context.analyzed.index)
    }
    for statement in context.laterInFile {
      guard case .createIndex(let index) = statement.kind,
        context.catalog.normalize(index.table.name) == tableName, index.predicate == nil,
        index.elements.count >= wanted.count
      else { continue }
      let leading = index.elements.prefix(wanted.count).compactMap(\.column).map {
        context.catalog.normalize($0)
      }
      if leading.count == wanted.count, Set(leading) == wanted { return true }
    }
    return false
  }
}
