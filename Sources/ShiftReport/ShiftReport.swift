/// Renderers of lint results: pure functions from a report document to text.
public enum ShiftReport {
  /// The version of the JSON document (`lint --format json`).
  public static let jsonVersion = 1

  /// `text` as one JSON string literal, quotes included (the escaping every renderer uses).
  public static func jsonString(_ text: String) -> String {
    var buffer = OutputBuffer(capacity: text.utf8.count + 2)
    buffer.appendJSONString(text)
    return String(decoding: buffer.bytes, as: UTF8.self)
  }
}
