import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Rules about locks, rewrites, scans and transactions (beyond the first ten).
let lockingAndRewriteRules: [any Rule] = [
  ChangingColumnTypeRule(),
  AddingAutoIncrementingColumnRule(),
  AddingStoredGeneratedColumnRule(),
  PreferRepackRule(),
  TableStorageRewriteRule(),
  RequireConcurrentIndexDeletionRule(),
  RequireConcurrentReindexRule(),
  DisallowedUniqueConstraintRule(),
  AddingSerialPrimaryKeyFieldRule(),
  PrimaryKeyUsingIndexOnNullableRule(),
  AddingExclusionConstraintRule(),
  ForeignKeyWithoutIndexRule(),
  AttachPartitionWithoutCheckRule(),
  RequireConcurrentPartitionDetachRule(),
  RefreshMaterializedViewBlockingRule(),
  LockTableRule(),
  CreateTriggerLockRule(),
  StatementsAfterAccessExclusiveRule(),
  ValidateInSameTransactionRule(),
  ConcurrentIndexRetryRule(),
]

extension RuleContext {
  /// An identifier as the user should write it in SQL.
  func sqlName(_ identifier: Identifier) -> String { SQLIdentifier.quote(identifier.value) }

  /// A catalog name as the user should write it (schema shown unless it is `public`).
  func sqlName(_ name: ObjectName) -> String {
    let table = SQLIdentifier.quote(name.name)
    return name.schema == "public" || name.schema.isEmpty
      ? table : SQLIdentifier.quote(name.schema) + "." + table
  }

  /// Whether the relation was there before this file or transaction (so others use it).
  func isExistingRelation(_ name: ObjectName) -> Bool {
    effect.locks.contains { $0.relation == name && !$0.isNewRelation }
  }

  /// A name PostgreSQL would accept for a new object: `parts` joined by `_`, cut to 63 bytes.
  func generatedName(_ parts: [String]) -> String {
    var name = parts.joined(separator: "_")
    while name.utf8.count > 63 { name.removeLast() }
    return SQLIdentifier.quote(name)
  }
}
