public import ShiftCore

/// Checks that a file is text the parser can read: valid UTF-8 with no NUL bytes.
public enum EncodingCheck {
  /// The first encoding problem in `source`, or `nil` when it is valid UTF-8 text.
  public static func validate(_ source: SourceFile) -> SyntaxError? {
    source.bytes.withUnsafeBufferPointer { bytes -> SyntaxError? in
      let count = bytes.count
      var index = 0
      while index < count {
        let byte = bytes[index]
        if byte < 0x80 {
          if byte == 0 {
            return SyntaxError(
              kind: .nulByte,
              range: SourceRange(start: index, end: index + 1),
              location: source.location(at: index),
              message: "NUL byte (0x00) in SQL text; this looks like a binary file, not a migration"
            )
          }
          index += 1
          continue
        }
        let length = sequenceLength(bytes, index)
        if length == 0 {
          return SyntaxError(
            kind: .invalidUTF8,
            range: SourceRange(start: index, end: index + 1),
            location: source.location(at: index),
            message: "invalid UTF-8 byte 0x\(hex(byte)); migrations must be UTF-8 encoded"
          )
        }
        index += length
      }
      return nil
    }
  }

  private static func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
  }

  /// The length of the valid UTF-8 sequence starting at `index`, or 0 if it is invalid
  /// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated).
  private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
    let lead = bytes[index]
    let count = bytes.count
    func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
      index + offset < count && bytes[index + offset] >= low && bytes[index + offset] <= high
    }
    switch lead {
    case 0xC2...0xDF:
      return continuation(1) ? 2 : 0
    case 0xE0:
      return continuation(1, 0xA0) && continuation(2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF:
      return continuation(1) && continuation(2) ? 3 : 0
    case 0xED:
      return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
    case 0xF0:
      return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF1...0xF3:
      return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
    case 0xF4:
      return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
    default:
      return 0
    }
  }
}
