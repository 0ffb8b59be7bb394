public import ShiftSyntax

/// PostgreSQL's rules for the names it gives unnamed constraints, indexes and sequences
/// (`makeObjectName`, `ChooseRelationName`, `ChooseConstraintName`,
/// `ChooseIndexColumnNames` and `FigureColname` in the server's source).
public enum PostgresNaming {
  /// `NAMEDATALEN`: names are at most `NAMEDATALEN - 1` = 63 bytes.
  public static let maximumLength = 63

  /// `name1[_name2]_label`, truncated to 63 bytes: the longer of the two names loses bytes
  /// first, and a name is cut only at a UTF-8 character boundary.
  /// - Parameters:
  ///   - name1: usually the table's name.
  ///   - name2: usually the columns joined with `_`; `nil` for `pkey`.
  ///   - label: `pkey`, `key`, `fkey`, `check`, `excl`, `idx`, `seq`, or one with a number.
  /// - Returns: the name.
  public static func makeObjectName(_ name1: String, _ name2: String?, label: String) -> String {
    let first = Array(name1.utf8)
    let second = name2.map { Array($0.utf8) }
    var overhead = label.utf8.count + 1
    if second != nil { overhead += 1 }
    let available = maximumLength - overhead
    var firstCount = first.count
    var secondCount = second?.count ?? 0
    while firstCount + secondCount > available {
      if firstCount > secondCount { firstCount -= 1 } else { secondCount -= 1 }
    }
    var bytes = Array(first[..<clip(first, to: firstCount)])
    if let second {
      bytes.append(UInt8(ascii: "_"))
      bytes += second[..<clip(second, to: secondCount)]
    }
    bytes.append(UInt8(ascii: "_"))
    bytes += label.utf8
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The longest prefix of at most `count` bytes that ends on a character boundary
  /// (`pg_mbcliplen`).
  static func clip(_ bytes: [UInt8], to count: Int) -> Int {
    var end = min(count, bytes.count)
    while end > 0, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
    return end
  }

  /// Tries `label`, then `label1`, `label2`, … until `isTaken` accepts the name.
  /// - Parameters:
  ///   - name1: the first part (table).
  ///   - name2: the second part (columns), if any.
  ///   - label: the suffix.
  ///   - isTaken: whether a candidate conflicts with an existing name.
  /// - Returns: the first free name.
  public static func choose(
    _ name1: String,
    _ name2: String?,
    label: String,
    isTaken: (String) -> Bool
  ) -> String {
    var candidate = makeObjectName(name1, name2, label: label)
    var pass = 0
    while isTaken(candidate) {
      pass += 1
      candidate = makeObjectName(name1, name2, label: label + String(pass))
    }
    return candidate
  }

  /// Column names joined with `_`, stopping once 63 bytes are reached
  /// (`ChooseIndexNameAddition`, `ChooseForeignKeyConstraintNameAddition`).
  public static func nameAddition(_ names: [String]) -> String {
    var result: [UInt8] = []
    for name in names {
      if !result.isEmpty { result.append(UInt8(ascii: "_")) }
      let bytes = Array(name.utf8)
      result += bytes[..<clip(bytes, to: maximumLength)]
      if result.count >= maximumLength + 1 { break }
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// The names PostgreSQL gives index columns when choosing an index's name: a plain
  /// column's name, a function's name, a cast's type, `expr` for other expressions, with
  /// `1`, `2`, … appended to repeats (`ChooseIndexColumnNames`).
  public static func indexColumnNames(_ keys: [Index.Key]) -> [String] {
    var result: [String] = []
    for key in keys {
      let original = key.column ?? key.expression.flatMap(figureColumnName) ?? "expr"
      var current = original
      var suffix = 0
      while result.contains(current) {
        suffix += 1
        let number = String(suffix)
        let bytes = Array(original.utf8)
        let kept = clip(bytes, to: maximumLength - number.utf8.count)
        current = String(decoding: bytes[..<kept], as: UTF8.self) + number
      }
      result.append(current)
    }
    return result
  }

  /// The column name PostgreSQL derives from an expression (`FigureColname`), or `nil`
  /// when it has none (`?column?`, which index naming turns into `expr`).
  public static func figureColumnName(_ expression: Expression) -> String? {
    figure(expression).map(\.name)
  }

  /// `FigureColnameInternal`: the name and its strength (2 = from a column or function,
  /// 1 = a fallback such as a cast's type).
  private static func figure(_ expression: Expression) -> (name: String, strength: Int)? {
    switch expression {
    case .column(let name):
      return (name.name.value, 2)
    case .function(let call):
      return (call.name.name.value, 2)
    case .cast(let inner, let type, _):
      if let found = figure(inner), found.strength > 1 { return found }
      let typeName = type.canonicalName.split(separator: ".").last.map(String.init)
      return typeName.map { ($0, 1) }
    case .compound(let kind, let items, _):
      switch kind {
      case "collate": return items.first.flatMap(figure)
      case "array": return ("array", 2)
      case "row": return ("row", 2)
      case "exists": return ("exists", 2)
      case "case":
        // The ELSE result names a CASE; a CASE without ELSE is `case`. Whether the last
        // item is an ELSE is not recorded, so only a strong name from it is trusted.
        if items.count % 2 == 1, let last = items.last, let found = figure(last),
          found.strength > 1
        {
          return found
        }
        return ("case", 1)
      default: return nil
      }
    case .literal, .parameter, .unary, .binary:
      return nil
    }
  }
}
