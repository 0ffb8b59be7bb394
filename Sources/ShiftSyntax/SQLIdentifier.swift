/// Quotes identifiers for SQL that SafeShift writes (help texts, plans).
///
/// It lives in ShiftSyntax so that every module that writes SQL (the rules, the planner,
/// the drivers) can share it.
public enum SQLIdentifier {
  /// `name` as PostgreSQL needs it written: unchanged when it is a plain lower-case name
  /// that is not a reserved word, otherwise in double quotes with `"` doubled.
  public static func quote(_ name: String) -> String {
    var isPlain = !name.isEmpty
    for (offset, scalar) in name.unicodeScalars.enumerated() {
      let isLower = scalar >= "a" && scalar <= "z"
      let isDigit = scalar >= "0" && scalar <= "9"
      if !(isLower || scalar == "_" || (offset > 0 && (isDigit || scalar == "$"))) {
        isPlain = false
        break
      }
    }
    if isPlain, !reservedWords.contains(name) { return name }
    return quoted(name)
  }

  /// `name` always as a quoted identifier.
  ///
  /// In double quotes, each embedded `"` doubled, so the database reads back exactly `name`
  /// (capitals, spaces and key words included). The same rule holds in PostgreSQL (what
  /// `PQescapeIdentifier` produces for UTF-8) and SQLite.
  ///
  /// Generated SQL that runs (plans, backfill batches, scratch databases, dumps) uses this
  /// form; messages for people use ``quote(_:)``.
  public static func quoted(_ name: String) -> String {
    var result = "\""
    result.reserveCapacity(name.utf8.count + 2)
    for scalar in name.unicodeScalars {
      if scalar == "\"" {
        result += "\"\""
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    result += "\""
    return result
  }

  /// PostgreSQL's reserved key words (plus those reserved as column or type names), which
  /// must be quoted to be used as names.
  static let reservedWords: Set<String> = [
    "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
    "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
    "check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
    "cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
    "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
    "distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float",
    "for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping",
    "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect",
    "interval", "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like",
    "limit", "localtime", "localtimestamp", "national", "natural", "nchar", "none", "normalize",
    "not", "notnull", "null", "nullif", "numeric", "offset", "on", "only", "or", "order", "out",
    "outer", "overlaps", "overlay", "placing", "position", "precision", "primary", "real",
    "references", "returning", "right", "row", "select", "session_user", "setof", "similar",
    "smallint", "some", "substring", "symmetric", "system_user", "table", "tablesample", "then",
    "time", "timestamp", "to", "trailing", "treat", "trim", "true", "union", "unique", "user",
    "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with",
    "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces",
    "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
  ]
}
