import ShiftCore
import ShiftSchema
import ShiftSyntax

/// A narrower column type rejects values that old code (and old rows) may hold.
///
/// `changing-column-type` reports the rewrite and lock of the same statement; this rule is
/// only about the values the narrowed type no longer accepts.
public struct NarrowingColumnTypeRule: Rule {
  public static let description = RuleDescription(
    id: "narrowing-column-type",
    summary: "Do not narrow a column's type while running code may write wider values.",
    rationale: """
      Shrinking varchar(n), lowering numeric precision or scale, or going to a smaller \
      integer type makes the ALTER fail if an existing row does not fit, and afterwards \
      rejects every write of the application version still running that does not fit \
      (`value too long`, `numeric field overflow`, `out of range`). Enforce the limit with a \
      CHECK constraint (NOT VALID, then validated) once the code respects it, or keep the \
      wider type.
      """,
    defaultSeverity: .warning,
    category: .breaking,
    nonTriggering: [
      RuleExample("ALTER TABLE users ALTER COLUMN name TYPE varchar(200);", schema: Self.schema),
      RuleExample("ALTER TABLE users ALTER COLUMN age TYPE bigint;"),
      RuleExample(
        "CREATE TABLE drafts (id bigint, title varchar(100));\nALTER TABLE drafts ALTER COLUMN title TYPE varchar(50);"
      ),
    ],
    triggering: [
      RuleExample("ALTER TABLE users ⚠️ALTER COLUMN name TYPE varchar(50);", schema: Self.schema),
      RuleExample("ALTER TABLE orders ⚠️ALTER COLUMN amount TYPE smallint;"),
    ]
  )

  static let schema = """
    CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));
    """

  public init() {}

  public func check(_ context: RuleContext) -> [Violation] {
    guard case .alterTable(let alter) = context.statement.kind,
      context.isExistingTable(alter.table)
    else { return [] }
    let table = context.sqlName(alter.table)
    return alter.actions.compactMap { action in
      guard case .alterColumnType(let column, let newType, _) = action.kind,
        let existing = context.catalog.column(column.value, of: alter.table),
        let oldType = existing.type
      else { return nil }
      let suffix = "." + existing.name + ")"
      guard
        context.effect.breakingReasons.contains(where: {
          $0.hasPrefix("narrows the type") && $0.hasSuffix(suffix)
        })
      else { return nil }
      let name = SQLIdentifier.quote(existing.name)
      let limitCheck: String
      let written = context.text(newType.range)
      switch newType.canonicalName {
      case "varchar" where newType.modifiers.count == 1,
        "bpchar" where newType.modifiers.count == 1:
        limitCheck = "char_length(\(name)) <= \(newType.modifiers[0])"
      case "int2":
        limitCheck = "\(name) BETWEEN -32768 AND 32767"
      case "int4":
        limitCheck = "\(name) BETWEEN -2147483648 AND 2147483647"
      default:
        limitCheck = "\(name) = \(name)::\(written)"
      }
      let constraint = SQLIdentifier.quote(alter.table.name.value + "_" + existing.name + "_fits")
      return Violation(
        message: """
          narrowing \(table).\(name) from \(oldType) to \(written) rejects values that rows and \
          old code may still write
          """,
        help: """
          Keep \(oldType) and enforce the limit once deployed code respects it:
            ALTER TABLE \(table) ADD CONSTRAINT \(constraint) CHECK (\(limitCheck)) NOT VALID;
            ALTER TABLE \(table) VALIDATE CONSTRAINT \(constraint);
          Change the type only after that constraint has validated every row.
          """,
        range: action.range
      )
    }
  }
}
