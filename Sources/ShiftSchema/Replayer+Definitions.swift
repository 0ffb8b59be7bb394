import ShiftCore
import ShiftSyntax

extension Replayer {
  /// Sequences, schemas, extensions, domains and `ALTER FUNCTION/TRIGGER/SCHEMA`.
  mutating func objectDefinition(_ object: ObjectStatement, range: SourceRange) {
    let isCreate = object.flags.first == "CREATE"
    let words = source.map { SourceWords($0, range: range, dialect: dialect) }
    switch object.objectType {
    case .sequence:
      isCreate ? createSequence(object, words: words) : alterSequence(object, words: words)
    case .schema:
      guard let name = object.names.first.map({ normalize($0.name) }) else { return }
      if isCreate {
        if catalog.schemas.contains(name) {
          if object.has("IF NOT EXISTS") {
            note(.skippedExisting, "schema \(name) already exists; nothing created")
          } else {
            note(.conflict, "schema \(name) already exists", object: name)
          }
          return
        }
        catalog.schemas.insert(name)
      } else if let words, let at = words.find([.rename, .to]),
        let new = words.qualifiedName(at: at + 2)
      {
        renameSchema(name, to: normalize(new.name))
      }
    case .extension:
      guard isCreate, let name = object.names.first.map({ normalize($0.name) }) else { return }
      if catalog.extensions[name] != nil {
        if !object.has("IF NOT EXISTS") {
          note(.conflict, "extension \(name) already exists", object: name)
        }
        return
      }
      var schema = catalog.creationSchema
      if let words, let at = words.find([.schema]), let written = words.qualifiedName(at: at + 1) {
        schema = normalize(written.name)
      }
      catalog.extensions[name] = Extension(name: name, schema: schema, origin: origin)
    case .domain:
      guard isCreate, let name = object.names.first else { return }
      let key = catalog.nameForCreating(name)
      if catalog.types[key] != nil {
        note(.conflict, "type \(key) already exists", object: key.description)
        return
      }
      catalog.types[key] = TypeDefinition(name: key, kind: .domain(nil), origin: origin)
    case .function, .procedure, .routine:
      guard !isCreate, let name = object.names.first else { return }
      alterFunction(name, object: object, words: words)
    case .trigger:
      guard !isCreate, let name = object.names.first, let table = object.table,
        let words, let at = words.find([.rename, .to]), let new = words.qualifiedName(at: at + 2)
      else { return }
      let key = tableKey(table)
      let old = normalize(name.name)
      if let position = catalog[table: key]?.triggers.firstIndex(where: { $0.name == old }) {
        let newName = normalize(new.name)
        catalog[table: key]?.triggers[position].name = newName
      } else {
        noteAssumed("trigger", "\(old) on \(key)")
      }
    default:
      break
    }
  }

  private mutating func createSequence(_ object: ObjectStatement, words: SourceWords?) {
    guard let name = object.names.first else { return }
    let key = catalog.nameForCreating(
      name,
      isTemporary: object.has("TEMPORARY") || object.has("TEMP")
    )
    if catalog.relationExists(key.name, in: key.schema) {
      if object.has("IF NOT EXISTS") {
        note(.skippedExisting, "relation \(key) already exists; nothing created")
      } else {
        note(.conflict, "relation \(key) already exists", object: key.description)
      }
      return
    }
    var sequence = SequenceDefinition(name: key, origin: origin)
    if object.has("OWNED") { sequence.ownedBy = owner(in: words) }
    catalog[sequence: key] = sequence
  }

  private mutating func alterSequence(_ object: ObjectStatement, words: SourceWords?) {
    guard let name = object.names.first else { return }
    guard let key = catalog.resolve(name, where: { catalog.sequences[$0] != nil }) else {
      let missing = catalog.nameForCreating(name)
      if object.has("IF EXISTS") {
        note(.skippedMissing, "sequence \(missing) does not exist; nothing altered")
      } else {
        noteAssumed("sequence", missing.description)
      }
      return
    }
    guard object.has("OWNED") || object.has("RENAME") || object.has("SCHEMA") else { return }
    guard let words else {
      note(.notModelled, "ALTER SEQUENCE \(key) not modelled without the source")
      return
    }
    if object.has("OWNED") {
      let owner = owner(in: words)
      catalog[sequence: key]?.ownedBy = owner
    }
    if let at = words.find([.rename, .to]), let new = words.qualifiedName(at: at + 2) {
      renameSequence(key, to: ObjectName(schema: key.schema, name: normalize(new.name)))
    } else if let at = words.find([.set, .schema]), let schema = words.qualifiedName(at: at + 2) {
      renameSequence(key, to: ObjectName(schema: normalize(schema.name), name: key.name))
    }
  }

  /// `OWNED BY table.column` (or `OWNED BY NONE`) read from the source.
  private mutating func owner(in words: SourceWords?) -> SequenceDefinition.Owner? {
    guard let words, let at = words.find([.owned, .by]),
      let name = words.qualifiedName(at: at + 2), name.parts.count >= 2
    else { return nil }
    let table = QualifiedName(Array(name.parts.dropLast()))
    let key = tableKey(table)
    return SequenceDefinition.Owner(table: key, column: normalize(name.name))
  }

  private mutating func alterFunction(
    _ name: QualifiedName,
    object: ObjectStatement,
    words: SourceWords?
  ) {
    guard let key = catalog.resolve(name, where: { catalog.functions[$0] != nil }) else {
      let missing = catalog.nameForCreating(name)
      if object.has("IF EXISTS") {
        note(.skippedMissing, "function \(missing) does not exist; nothing altered")
      } else {
        noteAssumed("function", missing.description)
      }
      return
    }
    let volatility: Volatility? =
      object.has("IMMUTABLE")
      ? .immutable
      : object.has("STABLE") ? .stable : object.has("VOLATILE") ? .volatile : nil
    if let volatility, var overloads = catalog.functions[key] {
      if overloads.count > 1 {
        note(
          .notModelled,
          "argument types of ALTER FUNCTION are not modelled; every overload of \(key) changed"
        )
      }
      for position in overloads.indices { overloads[position].volatility = volatility }
      catalog.functions[key] = overloads
    }
    guard let words else { return }
    var target: ObjectName?
    if let at = words.find([.rename, .to]), let new = words.qualifiedName(at: at + 2) {
      target = ObjectName(schema: key.schema, name: normalize(new.name))
    } else if let at = words.find([.set, .schema]), let schema = words.qualifiedName(at: at + 2) {
      target = ObjectName(schema: normalize(schema.name), name: key.name)
    }
    if let target, var overloads = catalog.functions.removeValue(forKey: key) {
      for position in overloads.indices { overloads[position].name = target }
      catalog.functions[target, default: []] += overloads
    }
  }

  /// `ALTER SCHEMA old RENAME TO new`: every object of the schema moves.
  private mutating func renameSchema(_ old: String, to new: String) {
    guard catalog.schemas.contains(old) else {
      noteAssumed("schema", old)
      catalog.schemas.insert(new)
      return
    }
    catalog.schemas.remove(old)
    catalog.schemas.insert(new)
    for key in catalog.tables.keys.filter({ $0.schema == old }) {
      _ = moveTable(key, to: ObjectName(schema: new, name: key.name))
    }
    for key in catalog.views.keys.filter({ $0.schema == old }) {
      renameView(key, to: ObjectName(schema: new, name: key.name))
    }
    for key in catalog.sequences.keys.filter({ $0.schema == old }) {
      renameSequence(key, to: ObjectName(schema: new, name: key.name))
    }
    for key in catalog.types.keys.filter({ $0.schema == old }) {
      guard let type = catalog.types.removeValue(forKey: key) else { continue }
      var moved = type
      moved.name = ObjectName(schema: new, name: key.name)
      catalog.types[moved.name] = moved
    }
    for key in catalog.functions.keys.filter({ $0.schema == old }) {
      guard let overloads = catalog.functions.removeValue(forKey: key) else { continue }
      let moved = ObjectName(schema: new, name: key.name)
      catalog.functions[moved] = overloads.map {
        var copy = $0
        copy.name = moved
        return copy
      }
    }
    catalog.searchPath = catalog.searchPath.map { $0 == old ? new : $0 }
  }
}
