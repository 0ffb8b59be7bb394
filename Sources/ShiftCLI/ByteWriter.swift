/// Builds output as UTF-8 bytes, with JSON string escaping straight from source bytes.
struct ByteWriter {
  var bytes: [UInt8] = []

  init() {
    bytes.reserveCapacity(4096)
  }

  mutating func append(_ text: String) {
    bytes.append(contentsOf: text.utf8)
  }

  mutating func append(_ number: Int) {
    if number < 0 {
      bytes.append(UInt8(ascii: "-"))
      append(-number)
      return
    }
    if number >= 10 { append(number / 10) }
    bytes.append(UInt8(ascii: "0") + UInt8(number % 10))
  }

  /// Appends bytes of a source as one JSON string.
  ///
  /// The source is valid UTF-8 (checked before parsing), so bytes ≥ 0x80 are copied as
  /// they are; quotes, backslashes and control characters are escaped.
  mutating func appendJSONString(_ source: [UInt8], _ start: Int, _ end: Int) {
    bytes.append(UInt8(ascii: "\""))
    var index = start
    while index < end {
      let byte = source[index]
      switch byte {
      case UInt8(ascii: "\""):
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(byte)
      case UInt8(ascii: "\\"):
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(byte)
      case 0x0A:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "n"))
      case 0x0D:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "r"))
      case 0x09:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "t"))
      case 0..<0x20:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [
          UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
          hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
        ])
      default:
        bytes.append(byte)
      }
      index += 1
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func appendJSONString(_ text: String) {
    let utf8 = Array(text.utf8)
    appendJSONString(utf8, 0, utf8.count)
  }
}
