/// Case-insensitive keyword lookup without allocating: a word of up to 24 bytes is packed
/// into three integers that key a dictionary built once from ``Keyword/allCases``.
enum KeywordTable {
  struct Key: Hashable {
    var a: UInt64 = 0
    var b: UInt64 = 0
    var c: UInt64 = 0
  }

  static let maximumLength = 24

  static let table: [Key: Keyword] = {
    var table: [Key: Keyword] = [:]
    for keyword in Keyword.allCases where keyword != .none {
      let bytes = Array(keyword.rawValue.utf8)
      table[pack(bytes, 0, bytes.count)] = keyword
    }
    return table
  }()

  @inline(__always)
  static func lower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  static func pack(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Key {
    var key = Key()
    var index = start
    var shift: UInt64 = 0
    var slot = 0
    while index < end {
      let value = UInt64(lower(bytes[index])) << shift
      switch slot {
      case 0: key.a |= value
      case 1: key.b |= value
      default: key.c |= value
      }
      shift += 8
      if shift == 64 {
        shift = 0
        slot += 1
      }
      index += 1
    }
    return key
  }

  static func pack(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Key {
    bytes.withUnsafeBufferPointer { pack($0, start, end) }
  }

  /// The keyword spelled by `bytes[start..<end]`, or `.none`.
  static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword {
    let length = end - start
    guard length >= 2, length <= maximumLength else { return .none }
    return table[pack(bytes, start, end)] ?? .none
  }
}
