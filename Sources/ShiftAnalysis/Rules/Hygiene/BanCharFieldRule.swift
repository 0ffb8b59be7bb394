import ShiftCore
import ShiftSchema
import ShiftSyntax

/// `char(n)` pads with spaces and is never faster than text.
public struct BanCharFieldRule: Rule {
  public static let description = RuleDescription(
    id: "ban-char-field",
    summary: "Use text (or varchar) instead of char(n) for new columns.",
    rationale: """
      char(n) pads values with spaces, which comparisons, LIKE and client code treat \
      inconsistently, and it is no faster or smaller than text in PostgreSQL. Use text, with \
      a CHECK constraint if the length matters.
      """,
    defaultSeverity: .info,
    category: .hygiene,
    nonTriggering: [
      RuleExample("ALTER TABLE orders ADD COLUMN currency text;"),
      RuleExample("ALTER TABLE orders ADD COLUMN currency varchar(3);"),
    ],
    triggering: [
      RuleExample("ALTER TABLE orders ADD COLUMN currency ⚠️char(3);"),
      RuleExample("CREATE TABLE purchases (id bigint, code ⚠️character(8));"),
    ]
  )

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    context.declaredColumns.compactMap { column in
      guard column.type.canonicalName.lowercased() == "bpchar" else { return nil }
      let name = SQLIdentifier.quote(column.name.value)
      var help = "Use text:\n  " + context.statementText(retyping: column, as: "text")
      if let limit = column.type.modifiers.first {
        help += "\nand, if the length matters, CHECK (char_length(\(name)) = \(limit))."
      }
      return Violation(
        message: """
          \(context.columnName(column)) is \(context.text(column.type.range)): blank-padded, no \
          faster than text
          """,
        help: help,
        range: column.type.range
      )
    }
  }
}
