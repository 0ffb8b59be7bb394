import ShiftCore
import ShiftSchema
import ShiftSyntax

/// The verdict on one `ALTER COLUMN … TYPE`.
struct TypeChangeVerdict: Equatable {
  /// Whether the table is rewritten.
  var rewrites: Bool
  /// Why old code breaks, if it does (a narrowed or changed type).
  var breakingReason: String?
}

extension EffectModel {
  func alterColumnType(
    _ column: Identifier,
    to newType: TypeName,
    using: Expression?,
    key: ObjectName,
    table: Table?,
    _ builder: inout EffectBuilder
  ) {
    let name = catalog.normalize(column)
    let target = catalog.canonicalType(newType)
    guard let oldType = table?.column(named: name)?.type else {
      builder.assume(
        .unknownColumn,
        "type of \(key).\(name) is unknown; assumed a rewrite",
        object: "\(key).\(name)"
      )
      builder.breaking("changes the type of \(key).\(name) (old type unknown)")
      for part in storage(of: key) { builder.rewrite(part) }
      return
    }
    var verdict = typeChange(from: oldType, to: target)
    if let using, !isTrivialUsing(using, column: name, type: target) {
      verdict.rewrites = true
    }
    if let reason = verdict.breakingReason {
      builder.breaking("\(reason) (\(key).\(name))")
    }
    if verdict.rewrites {
      for part in storage(of: key) { builder.rewrite(part) }
    }
  }

  /// Whether `USING` only names the column (or casts it to the new type).
  private func isTrivialUsing(_ using: Expression, column: String, type: TypeName) -> Bool {
    switch using {
    case .column(let name): catalog.normalize(name.name) == column
    case .cast(.column(let name), let castType, _):
      catalog.normalize(name.name) == column
        && catalog.canonicalType(castType).canonicalName == type.canonicalName
    default: false
    }
  }

  /// Whether changing a column from `old` to `new` rewrites the table and whether it
  /// narrows or changes what old code reads and writes.
  ///
  /// No rewrite when PostgreSQL knows the old values are valid as they are: varchar
  /// widening or unbounding, varchar ⇄ text, numeric precision increase at the same scale
  /// (or unbounding), `timestamp` ⇄ `timestamptz` when the session TimeZone is UTC
  /// (PostgreSQL 12 and later).
  func typeChange(from old: TypeName, to new: TypeName) -> TypeChangeVerdict {
    let from = old.canonicalName
    let to = new.canonicalName
    let fromLimits = old.modifiers.compactMap { Int(String($0.filter { $0 != " " })) }
    let toLimits = new.modifiers.compactMap { Int(String($0.filter { $0 != " " })) }
    if old.arrayDimensions != new.arrayDimensions {
      return TypeChangeVerdict(
        rewrites: true,
        breakingReason: "changes the type from \(old) to \(new)"
      )
    }
    if from == to, fromLimits == toLimits {
      return TypeChangeVerdict(rewrites: false, breakingReason: nil)
    }
    let narrowed = "narrows the type from \(old) to \(new)"
    switch (from, to) {
    case ("varchar", "varchar"):
      guard let newLimit = toLimits.first else {
        return .init(rewrites: false, breakingReason: nil)
      }
      guard let oldLimit = fromLimits.first, newLimit >= oldLimit else {
        return .init(rewrites: true, breakingReason: narrowed)
      }
      return .init(rewrites: false, breakingReason: nil)
    case ("varchar", "text"):
      return .init(rewrites: false, breakingReason: nil)
    case ("text", "varchar"):
      return toLimits.isEmpty
        ? .init(rewrites: false, breakingReason: nil)
        : .init(rewrites: true, breakingReason: narrowed)
    case ("bpchar", "text"), ("bpchar", "varchar"):
      if to == "varchar", let newLimit = toLimits.first, newLimit < (fromLimits.first ?? 1) {
        return .init(rewrites: true, breakingReason: narrowed)
      }
      return .init(rewrites: true, breakingReason: nil)
    case ("numeric", "numeric"):
      guard !toLimits.isEmpty else { return .init(rewrites: false, breakingReason: nil) }
      guard let oldPrecision = fromLimits.first else {
        return .init(rewrites: true, breakingReason: narrowed)
      }
      let oldScale = fromLimits.count > 1 ? fromLimits[1] : 0
      let newPrecision = toLimits[0]
      let newScale = toLimits.count > 1 ? toLimits[1] : 0
      if newScale == oldScale, newPrecision >= oldPrecision {
        return .init(rewrites: false, breakingReason: nil)
      }
      if newScale >= oldScale, newPrecision - newScale >= oldPrecision - oldScale {
        return .init(rewrites: true, breakingReason: nil)
      }
      return .init(rewrites: true, breakingReason: narrowed)
    case ("timestamp", "timestamptz"), ("timestamptz", "timestamp"):
      let inPlace = settings.pgVersion >= 12 && timeZoneIsUTC
      return .init(rewrites: !inPlace, breakingReason: nil)
    default:
      break
    }
    let integers = ["int2", "int4", "int8"]
    if let fromRank = integers.firstIndex(of: from), let toRank = integers.firstIndex(of: to) {
      return .init(rewrites: true, breakingReason: toRank > fromRank ? nil : narrowed)
    }
    if from == "float4", to == "float8" { return .init(rewrites: true, breakingReason: nil) }
    if integers.contains(from), to == "numeric", toLimits.isEmpty {
      return .init(rewrites: true, breakingReason: nil)
    }
    if to == "text", catalog.types[objectKey(from)]?.enumLabels != nil || from == "citext" {
      return .init(rewrites: true, breakingReason: nil)
    }
    return .init(rewrites: true, breakingReason: "changes the type from \(old) to \(new)")
  }

  private func objectKey(_ canonical: String) -> ObjectName {
    let parts = canonical.split(separator: ".", maxSplits: 1).map(String.init)
    if parts.count == 2 { return ObjectName(schema: parts[0], name: parts[1]) }
    return ObjectName(schema: catalog.creationSchema, name: canonical)
  }
}
