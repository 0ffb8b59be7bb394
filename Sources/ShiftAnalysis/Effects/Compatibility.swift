/// Whether code written for the schema before a statement keeps working after it.
///
/// `breaking` when a query that old code may run fails or changes meaning (drop or rename
/// of a column, table, view or enum value, a new NOT NULL column without default, a
/// narrowed type, a dropped default on a NOT NULL column…). New constraints on existing
/// data are `compatible`; ``StatementEffect/isDataDependent`` reports that old writes may
/// violate them.
public enum Compatibility: String, Sendable, Hashable, Codable {
  case compatible
  case breaking
}
