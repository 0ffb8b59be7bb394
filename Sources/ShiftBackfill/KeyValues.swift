import Foundation

/// Key values (one text value per key column) as the ledger stores them.
///
/// A JSON array of strings: `["42","b"]`.
enum KeyValues {
  /// The JSON text of `values`.
  static func encode(_ values: [String]) -> String {
    var text = "["
    for (index, value) in values.enumerated() {
      if index > 0 { text += "," }
      text += "\""
      for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": text += "\\\""
        case "\\": text += "\\\\"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        default:
          if scalar.value < 0x20 {
            let hex = String(scalar.value, radix: 16)
            text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
          } else {
            text.unicodeScalars.append(scalar)
          }
        }
      }
      text += "\""
    }
    return text + "]"
  }

  /// The values of JSON text written by ``encode(_:)``; `nil` for NULL or malformed text.
  static func decode(_ text: String?) -> [String]? {
    guard let text,
      let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
    else { return nil }
    return array
  }

  /// `(lower, upper]` for messages.
  static func describeRange(lower: [String]?, upper: [String]) -> String {
    func tuple(_ values: [String]) -> String {
      values.count == 1 ? values[0] : "(" + values.joined(separator: ", ") + ")"
    }
    return "(" + (lower.map(tuple) ?? "-∞") + ", " + tuple(upper) + "]"
  }
}
