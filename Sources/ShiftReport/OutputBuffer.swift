/// Builds output as UTF-8 bytes, with JSON string escaping straight from UTF-8 bytes.
struct OutputBuffer: Sendable {
  var bytes: [UInt8] = []

  init(capacity: Int = 4096) {
    bytes.reserveCapacity(capacity)
  }

  mutating func append(_ text: String) {
    bytes.append(contentsOf: text.utf8)
  }

  /// Appends a decimal number (`String(Int)` is a small string: no allocation).
  mutating func append(_ number: Int) {
    bytes.append(contentsOf: String(number).utf8)
  }

  mutating func append(_ flag: Bool) {
    append(flag ? "true" : "false")
  }

  /// Appends a string as one JSON string literal.
  mutating func appendJSONString(_ text: String) {
    var text = text
    text.withUTF8 { appendJSONString(utf8: $0) }
  }

  /// Appends a string as a JSON string literal, or `null`.
  mutating func appendJSONString(orNull text: String?) {
    if let text { appendJSONString(text) } else { append("null") }
  }

  /// Appends UTF-8 bytes as one JSON string literal.
  ///
  /// The bytes must be valid UTF-8: bytes ≥ 0x80 are copied as they are; quotes,
  /// backslashes and control characters are escaped. Runs of plain bytes are copied at once.
  mutating func appendJSONString(utf8 source: UnsafeBufferPointer<UInt8>) {
    bytes.append(UInt8(ascii: "\""))
    var runStart = 0
    var index = 0
    let count = source.count
    while index < count {
      let byte = source[index]
      if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      if runStart < index {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
      }
      bytes.append(UInt8(ascii: "\\"))
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
      case 0x0A: bytes.append(UInt8(ascii: "n"))
      case 0x0D: bytes.append(UInt8(ascii: "r"))
      case 0x09: bytes.append(UInt8(ascii: "t"))
      case 0x08: bytes.append(UInt8(ascii: "b"))
      case 0x0C: bytes.append(UInt8(ascii: "f"))
      default:
        bytes.append(UInt8(ascii: "u"))
        bytes.append(UInt8(ascii: "0"))
        bytes.append(UInt8(ascii: "0"))
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0x0F)])
      }
      index += 1
      runStart = index
    }
    if runStart < count {
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<count]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
