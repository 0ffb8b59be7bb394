import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Renaming an enum value breaks code that still reads or writes the old label.
public struct RenameEnumValueRule: Rule {
  public static let description = RuleDescription(
    id: "rename-enum-value",
    summary: "Do not rename enum values that running code uses; add the new one and migrate.",
    rationale: """
      ALTER TYPE … RENAME VALUE is instant, but the application version still running writes \
      the old label (`invalid input value for enum`) and compares rows against it. Add the \
      new value, move the rows, switch the code, and stop using the old value. Types created \
      earlier in the same file are not reported.
      """,
    defaultSeverity: .error,
    category: .breaking,
    nonTriggering: [
      RuleExample(
        "CREATE TYPE mood AS ENUM ('ok', 'sad');\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"
      ),
      RuleExample(
        "ALTER TYPE order_status ADD VALUE 'refunded';",
        schema: Self.schema
      ),
    ],
    triggering: [
      RuleExample("⚠️ALTER TYPE order_status RENAME VALUE 'sent' TO 'shipped';", schema: Self.schema)
    ]
  )

  static let schema = """
    CREATE TYPE order_status AS ENUM ('new', 'sent');
    CREATE TABLE orders (id bigint PRIMARY KEY, status order_status NOT NULL);
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterType(let alter) = context.statement.kind,
      case .renameValue(let old, let new) = alter.action
    else { return [] }
    let definition = context.catalog.type(named: alter.name)
    if let definition, context.isCreatedInThisFile(definition.origin) { return [] }
    let type = context.sqlName(alter.name)
    let columns = definition.map { context.columns(ofType: $0) } ?? []
    let usedBy = columns.isEmpty ? "" : " (used by \(columns.joined(separator: ", ")))"
    var help = """
      Expand: ALTER TYPE \(type) ADD VALUE '\(new)' AFTER '\(old)'; and deploy code that reads \
      both labels and writes '\(new)'.
      """
    for column in columns {
      let parts = column.split(separator: ".", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { continue }
      help +=
        "\nMigrate: UPDATE \(parts[0]) SET \(parts[1]) = '\(new)' WHERE \(parts[1]) = '\(old)'; in batches."
    }
    help += "\nEnum values cannot be dropped: leave '\(old)' unused (or recreate the type later)."
    return [
      Violation(
        message: "renaming value '\(old)' of \(type)\(usedBy) breaks code that still uses '\(old)'",
        help: help,
        range: context.statement.range
      )
    ]
  }
}
