/// Every rule, in documentation order.
///
/// A test checks that each `*Rule.swift` file under `Rules/` is listed here.
public let allRules: [any Rule] =
  [
    RequireConcurrentIndexRule(),
    ConcurrentlyInTransactionRule(),
    AddingVolatileDefaultRule(),
    ConstraintMissingNotValidRule(),
    SetNotNullScanRule(),
    RenamingColumnRule(),
    RenamingTableRule(),
    BanDropColumnRule(),
    UnbatchedBackfillRule(),
    RequireLockTimeoutRule(),
  ] + lockingAndRewriteRules + compatibilityAndSQLiteRules

/// The rule with the id (or a deprecated alias), if any.
public func rule(withID id: String) -> (any Rule)? {
  allRules.first {
    let description = type(of: $0).description
    return description.id == id || description.deprecatedAliases.contains(id)
  }
}
