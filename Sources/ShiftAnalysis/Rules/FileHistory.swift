import ShiftCore
import ShiftSchema
public import ShiftSyntax

/// What rules need to know about the statements before the current one in its file.
///
/// The linter updates it after every statement (``record(_:)``), so a rule asks a question
/// about the past in constant time instead of reading every earlier statement again: a
/// file of 60,000 statements stays linear, and the linter keeps no earlier statement.
public struct FileHistory: Sendable {
  /// A constraint added `NOT VALID` earlier in the current transaction.
  public struct NotValidConstraint: Sendable, Hashable {
    /// The table's normalized name (without schema).
    public var table: String
    /// The constraint's normalized name.
    public var name: String
    /// The `ADD CONSTRAINT … NOT VALID` action as written.
    public var text: String
  }

  /// An enum value added earlier in the current transaction to a type that existed before it.
  public struct AddedEnumValue: Sendable, Hashable {
    /// The type.
    public var type: QualifiedName
    /// The new value.
    public var value: String
  }

  /// Whether an earlier statement took a lock that blocks writes on a relation others
  /// already use (see ``RequireLockTimeoutRule``).
  public private(set) var tookWriteBlockingLock = false
  /// Normalized names of the indexes earlier statements dropped.
  public private(set) var droppedIndexes: Set<String> = []
  /// Normalized names of the schemas earlier statements created.
  public private(set) var createdSchemas: Set<String> = []
  /// Whether an earlier `INSERT … SELECT` copied rows into a table created in this file.
  public private(set) var copiedIntoNewTable = false
  /// Normalized names read (after `FROM`) by those copies.
  public private(set) var copySources: Set<String> = []
  /// Whether the last `PRAGMA foreign_keys` outside a transaction switched them off.
  public private(set) var foreignKeysOff = false
  /// Constraints added `NOT VALID` earlier in the current transaction, in order.
  public private(set) var notValidConstraints: [NotValidConstraint] = []
  /// Types created earlier in the current transaction, as ``RuleContext/sqlName(_:)`` spells them.
  public private(set) var typesCreatedInTransaction: Set<String> = []
  /// Enum values added earlier in the current transaction to types that existed before it.
  public private(set) var enumValuesAdded: [AddedEnumValue] = []

  /// Creates the history of a file's start.
  public init() {}

  /// Adds the statement `context` judged (call after the rules ran on it).
  public mutating func record(_ context: RuleContext) {
    let statement = context.statement
    let catalog = context.catalog
    let inTransaction = context.effect.transaction.isInTransaction
    if !tookWriteBlockingLock, RequireLockTimeoutRule.riskyLock(context.effect) != nil {
      tookWriteBlockingLock = true
    }
    switch statement.kind {
    case .transaction(let control):
      switch control {
      case .begin, .commit, .rollback, .prepareTransaction: startTransaction()
      default: break
      }
    case .drop(let drop) where drop.objectType == .index:
      for name in drop.names { droppedIndexes.insert(catalog.normalize(name.name)) }
    case .objectDefinition(let object) where object.objectType == .schema && !object.has("ALTER"):
      for name in object.names { createdSchemas.insert(catalog.normalize(name.name)) }
    case .dataChange(let change) where change.operation == .insert && change.hasQuery:
      guard let target = catalog.table(named: change.table),
        context.isCreatedInThisFile(target.origin)
      else { break }
      copiedIntoNewTable = true
      copySources.formUnion(Self.namesAfterFrom(context))
    case .pragma(let name, let value?) where name.name.value.lowercased() == "foreign_keys":
      let off = ["off", "0", "false", "no"].contains(value.lowercased())
      // PRAGMA foreign_keys does nothing inside a transaction.
      if !(off && inTransaction) { foreignKeysOff = off }
    case .alterTable(let alter) where inTransaction:
      for action in alter.actions {
        guard case .addConstraint(let constraint) = action.kind, constraint.isNotValid,
          let name = constraint.name
        else { continue }
        notValidConstraints.append(
          NotValidConstraint(
            table: catalog.normalize(alter.table.name),
            name: catalog.normalize(name),
            text: context.text(action.range)
          )
        )
      }
    case .createType(let create) where inTransaction:
      typesCreatedInTransaction.insert(context.sqlName(create.name))
    case .alterType(let alter) where inTransaction:
      if case .addValue(let value, _, _, _) = alter.action,
        !typesCreatedInTransaction.contains(context.sqlName(alter.name))
      {
        enumValuesAdded.append(AddedEnumValue(type: alter.name, value: value))
      }
    default:
      break
    }
  }

  /// Forgets what lasts only until the transaction ends.
  private mutating func startTransaction() {
    notValidConstraints = []
    typesCreatedInTransaction = []
    enumValuesAdded = []
  }

  /// The normalized words after the first `FROM` of the statement.
  private static func namesAfterFrom(_ context: RuleContext) -> [String] {
    let file = SourceFile(path: "", text: context.sql)
    var afterFrom = false
    var names: [String] = []
    for token in Lexer.tokenize(file, dialect: context.dialect) where !token.kind.isTrivia {
      if token.keyword == .from {
        afterFrom = true
        continue
      }
      guard afterFrom, token.kind == .word || token.kind == .quotedIdentifier else { continue }
      var text = file.text(token.range)
      if token.kind == .quotedIdentifier {
        text = String(text.dropFirst().dropLast())
      } else {
        text = text.lowercased()
      }
      names.append(context.catalog.normalize(text))
    }
    return names
  }
}
