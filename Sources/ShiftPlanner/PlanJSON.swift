/// A JSON value with ordered object members, written pretty-printed with two-space
/// indentation (the plan files are read by people too).
enum PlanJSON {
  case string(String)
  case number(Int)
  case bool(Bool)
  case null
  case array([PlanJSON])
  case object([(String, PlanJSON)])

  /// A string, or `null` when absent.
  static func optional(_ text: String?) -> PlanJSON { text.map(PlanJSON.string) ?? .null }

  /// The document's text, ending in a newline.
  var text: String {
    var output = ""
    write(into: &output, depth: 0)
    return output + "\n"
  }

  private func write(into output: inout String, depth: Int) {
    let inner = String(repeating: "  ", count: depth + 1)
    let outer = String(repeating: "  ", count: depth)
    switch self {
    case .string(let value): Self.quote(value, into: &output)
    case .number(let value): output += String(value)
    case .bool(let value): output += value ? "true" : "false"
    case .null: output += "null"
    case .array(let items):
      if items.isEmpty {
        output += "[]"
        return
      }
      output += "[\n"
      for (position, item) in items.enumerated() {
        output += inner
        item.write(into: &output, depth: depth + 1)
        output += position == items.count - 1 ? "\n" : ",\n"
      }
      output += outer + "]"
    case .object(let members):
      if members.isEmpty {
        output += "{}"
        return
      }
      output += "{\n"
      for (position, member) in members.enumerated() {
        output += inner
        Self.quote(member.0, into: &output)
        output += ": "
        member.1.write(into: &output, depth: depth + 1)
        output += position == members.count - 1 ? "\n" : ",\n"
      }
      output += outer + "}"
    }
  }

  /// Writes a JSON string literal: `"` and `\` escaped, control characters as `\uXXXX`
  /// (newline and tab with their short forms).
  static func quote(_ value: String, into output: inout String) {
    output += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\t": output += "\\t"
      case "\r": output += "\\r"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }
}
