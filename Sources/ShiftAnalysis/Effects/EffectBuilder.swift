import ShiftCore
import ShiftSchema

/// Collects the parts of a ``StatementEffect`` while a statement is examined.
struct EffectBuilder {
  var tableLocks: [(RelationLock.Target, LockMode)] = []
  var indexLocks: [(ObjectName, LockMode)] = []
  var rewritten: [ObjectName] = []
  var scanned: [ObjectName] = []
  var created: [ObjectName] = []
  var breakingReasons: [String] = []
  var isDataDependent = false
  var destroysData = false
  var phase = MigrationPhase.expand
  var isDataChange = false
  var requiresOutsideTransaction = false
  var assumptions: [EffectAssumption] = []

  mutating func lock(_ name: ObjectName, _ mode: LockMode) {
    lock(target: .relation(name), mode)
  }

  mutating func lock(target: RelationLock.Target, _ mode: LockMode) {
    if let position = tableLocks.firstIndex(where: { $0.0 == target }) {
      tableLocks[position].1 = max(tableLocks[position].1, mode)
    } else {
      tableLocks.append((target, mode))
    }
  }

  mutating func lockIndex(_ name: ObjectName, _ mode: LockMode) {
    if let position = indexLocks.firstIndex(where: { $0.0 == name }) {
      indexLocks[position].1 = max(indexLocks[position].1, mode)
    } else {
      indexLocks.append((name, mode))
    }
  }

  mutating func rewrite(_ name: ObjectName) {
    if !rewritten.contains(name) { rewritten.append(name) }
    scan(name)
  }

  mutating func scan(_ name: ObjectName) {
    if !scanned.contains(name) { scanned.append(name) }
  }

  mutating func create(_ name: ObjectName) {
    if !created.contains(name) { created.append(name) }
  }

  mutating func breaking(_ reason: String) {
    if !breakingReasons.contains(reason) { breakingReasons.append(reason) }
  }

  mutating func phase(_ phase: MigrationPhase) {
    self.phase = max(self.phase, phase)
  }

  mutating func assume(_ kind: EffectAssumption.Kind, _ message: String, object: String? = nil) {
    let assumption = EffectAssumption(kind, message, object: object)
    if !assumptions.contains(assumption) { assumptions.append(assumption) }
  }
}
