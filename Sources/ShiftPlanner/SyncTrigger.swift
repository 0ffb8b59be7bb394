import ShiftSchema

/// A generated row trigger that keeps an old and a new column equal while both application
/// versions run (between expand and contract).
///
/// The function is created with `CREATE OR REPLACE` and the trigger after `DROP TRIGGER IF
/// EXISTS`, so the expand step can run again; contract drops both (`IF EXISTS`).
struct SyncTrigger {
  /// How the columns are kept in sync.
  enum Form {
    /// `target` is computed from other columns (`full_name` from `first_name`, `last_name`)
    /// whenever old code writes the sources without writing the target.
    case derived(target: String, expression: String, sourceColumns: [String])
    /// A renamed column: both names hold the same value whichever version writes.
    case mirror(old: String, new: String)
    /// A converted column (type change): `target` always follows `source`.
    case converted(source: String, target: String, expression: String)
  }

  var table: ObjectName
  var column: String
  var form: Form
  var pgVersion: Int

  /// The trigger's (and its function's) name.
  var name: String { PostgresNaming.makeObjectName(table.name, column, label: "safeshift_sync") }

  static func new(_ column: String) -> String { "NEW." + SQLText.q(column) }
  static func old(_ column: String) -> String { "OLD." + SQLText.q(column) }

  private var bodyLines: [String] {
    switch form {
    case .derived(let target, let expression, let sourceColumns):
      let changed = sourceColumns.map { "\(Self.new($0)) IS DISTINCT FROM \(Self.old($0))" }
      let condition =
        changed.isEmpty ? "" : " AND (" + changed.joined(separator: " OR ") + ")"
      return [
        "  IF TG_OP = 'INSERT' THEN",
        "    IF \(Self.new(target)) IS NULL THEN",
        "      \(Self.new(target)) := \(expression);",
        "    END IF;",
        "  ELSIF \(Self.new(target)) IS NOT DISTINCT FROM \(Self.old(target))\(condition) THEN",
        "    \(Self.new(target)) := \(expression);",
        "  END IF;",
      ]
    case .mirror(let old, let new):
      return [
        "  IF TG_OP = 'INSERT' THEN",
        "    IF \(Self.new(new)) IS NULL THEN",
        "      \(Self.new(new)) := \(Self.new(old));",
        "    ELSE",
        "      \(Self.new(old)) := \(Self.new(new));",
        "    END IF;",
        "  ELSIF \(Self.new(new)) IS DISTINCT FROM \(Self.old(new)) THEN",
        "    \(Self.new(old)) := \(Self.new(new));",
        "  ELSE",
        "    \(Self.new(new)) := \(Self.new(old));",
        "  END IF;",
      ]
    case .converted(_, let target, let expression):
      return ["  \(Self.new(target)) := \(expression);"]
    }
  }

  /// The statements that install the trigger, for an expand step.
  func installStatements(_ sql: SQLText) -> [String] {
    let body = bodyLines.joined(separator: "\n")
    var tag = "$safeshift$"
    var counter = 0
    while body.contains(tag) {
      counter += 1
      tag = "$safeshift\(counter)$"
    }
    let function = sql.sibling(of: table, named: name)
    let relation = sql.relation(table)
    let execute = pgVersion >= 11 ? "EXECUTE FUNCTION" : "EXECUTE PROCEDURE"
    return [
      """
      CREATE OR REPLACE FUNCTION \(function)() RETURNS trigger
      LANGUAGE plpgsql
      AS \(tag)
      BEGIN
      \(body)
        RETURN NEW;
      END;
      \(tag)
      """,
      "DROP TRIGGER IF EXISTS \(SQLText.q(name)) ON \(relation)",
      """
      CREATE TRIGGER \(SQLText.q(name))
          BEFORE INSERT OR UPDATE ON \(relation)
          FOR EACH ROW
          \(execute) \(function)()
      """,
    ]
  }

  /// The statements that remove it, for a contract step.
  func removeStatements(_ sql: SQLText) -> [String] {
    [
      "DROP TRIGGER IF EXISTS \(SQLText.q(name)) ON \(sql.relation(table))",
      "DROP FUNCTION IF EXISTS \(sql.sibling(of: table, named: name))()",
    ]
  }
}
