/// A JSON value with ordered object keys, printed with two-space indentation (SARIF).
indirect enum JSONValue {
  case string(String)
  case int(Int)
  case bool(Bool)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// The value pretty-printed, with a final newline.
  var pretty: String {
    var buffer = OutputBuffer()
    write(to: &buffer, indent: 0)
    buffer.append("\n")
    return String(decoding: buffer.bytes, as: UTF8.self)
  }

  private func write(to buffer: inout OutputBuffer, indent: Int) {
    switch self {
    case .string(let text): buffer.appendJSONString(text)
    case .int(let number): buffer.append(number)
    case .bool(let flag): buffer.append(flag)
    case .array(let elements):
      guard !elements.isEmpty else { return buffer.append("[]") }
      buffer.append("[")
      for (index, element) in elements.enumerated() {
        buffer.append(index == 0 ? "\n" : ",\n")
        Self.pad(&buffer, indent + 2)
        element.write(to: &buffer, indent: indent + 2)
      }
      buffer.append("\n")
      Self.pad(&buffer, indent)
      buffer.append("]")
    case .object(let members):
      guard !members.isEmpty else { return buffer.append("{}") }
      buffer.append("{")
      for (index, (key, value)) in members.enumerated() {
        buffer.append(index == 0 ? "\n" : ",\n")
        Self.pad(&buffer, indent + 2)
        buffer.appendJSONString(key)
        buffer.append(": ")
        value.write(to: &buffer, indent: indent + 2)
      }
      buffer.append("\n")
      Self.pad(&buffer, indent)
      buffer.append("}")
    }
  }

  private static func pad(_ buffer: inout OutputBuffer, _ count: Int) {
    buffer.bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
  }
}
