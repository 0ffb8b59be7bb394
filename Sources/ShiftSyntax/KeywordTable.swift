/// Case-insensitive keyword lookup without allocating or hashing with SipHash.
///
/// A word of up to 24 bytes is packed (lower-cased) into three integers; a multiplicative
/// hash of them indexes an open-addressing table built once from ``Keyword/allCases``.
/// Words longer than the longest keyword are rejected before any work.
final class KeywordTable: Sendable {
  struct Key: Hashable {
    var a: UInt64 = 0
    var b: UInt64 = 0
    var c: UInt64 = 0
  }

  static let shared = KeywordTable()

  private static let slotBits = 11
  private let keys: [Key]
  private let values: [Keyword]
  let maximumLength: Int

  private init() {
    let slotCount = 1 << Self.slotBits
    var keys = [Key](repeating: Key(), count: slotCount)
    var values = [Keyword](repeating: .none, count: slotCount)
    var longest = 0
    for keyword in Keyword.allCases where keyword != .none {
      let bytes = Array(keyword.rawValue.utf8)
      precondition(bytes.count <= 24, "keyword \(keyword.rawValue) is longer than 24 bytes")
      longest = max(longest, bytes.count)
      let key = bytes.withUnsafeBufferPointer { Self.pack($0, 0, $0.count) }
      var slot = Self.slot(for: key)
      while values[slot] != .none { slot = (slot + 1) & (slotCount - 1) }
      keys[slot] = key
      values[slot] = keyword
    }
    self.keys = keys
    self.values = values
    self.maximumLength = longest
  }

  @inline(__always)
  private static func slot(for key: Key) -> Int {
    let mixed =
      (key.a &* 0x9E37_79B9_7F4A_7C15) ^ (key.b &* 0xC2B2_AE3D_27D4_EB4F)
      ^ (key.c &* 0x1656_67B1_9E37_79F9)
    return Int(truncatingIfNeeded: mixed >> UInt64(64 - slotBits))
  }

  @inline(__always)
  static func pack(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Key {
    var key = Key()
    var index = start
    var shift: UInt64 = 0
    let firstEnd = min(end, start + 8)
    while index < firstEnd {
      key.a |= UInt64(lower(bytes[index])) << shift
      shift += 8
      index += 1
    }
    shift = 0
    let secondEnd = min(end, start + 16)
    while index < secondEnd {
      key.b |= UInt64(lower(bytes[index])) << shift
      shift += 8
      index += 1
    }
    shift = 0
    while index < end {
      key.c |= UInt64(lower(bytes[index])) << shift
      shift += 8
      index += 1
    }
    return key
  }

  @inline(__always)
  static func lower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  /// The keyword spelled by `bytes[start..<end]`, or `.none`.
  @inline(__always)
  func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword {
    let length = end - start
    guard length >= 2, length <= maximumLength else { return .none }
    let key = Self.pack(bytes, start, end)
    var slot = Self.slot(for: key)
    let mask = keys.count - 1
    while true {
      let value = values[slot]
      if value == .none { return .none }
      if keys[slot] == key { return value }
      slot = (slot + 1) & mask
    }
  }

  /// The keyword spelled by `bytes[start..<end]`, or `.none` (shared table).
  static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword {
    shared.lookup(bytes, start, end)
  }
}
