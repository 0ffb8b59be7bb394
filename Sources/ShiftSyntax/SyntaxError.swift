public import ShiftCore

/// An error in a migration's text: where it is, what went wrong and what was expected.
///
/// Rendered with ``render(in:)`` as `path:line:col: error: message`, the source line and a
/// caret, like a compiler.
public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Sendable, Hashable {
    case unterminated(UnterminatedKind)
    case invalidUTF8
    case nulByte
    case binaryFile
    case unexpectedCharacter
    /// A token other than what the grammar allows here.
    case unexpected(expected: String)
    /// The statement ended where more was required.
    case unexpectedEnd(expected: String)
  }

  /// What went wrong.
  public var kind: Kind
  /// The offending bytes.
  public var range: SourceRange
  /// Line and column of the start of ``range``.
  public var location: SourceLocation
  /// A one-line message without the location.
  public var message: String

  /// Creates an error.
  public init(kind: Kind, range: SourceRange, location: SourceLocation, message: String) {
    self.kind = kind
    self.range = range
    self.location = location
    self.message = message
  }

  public var description: String { "\(location): \(message)" }

  /// The widest part of a source line ``render(in:)`` shows.
  static let maximumShownColumns = 120

  /// The compiler-style rendering: `path:line:col: error: message`, the line, a caret.
  public func render(in source: SourceFile) -> String {
    let line = source.lineText(location.line)
    var display = ""
    var caretColumn = 1
    var column = 1
    for scalar in line.unicodeScalars {
      if column == location.column { caretColumn = display.unicodeScalars.count + 1 }
      // Show control characters visibly so the caret stays aligned.
      if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
        display += "\u{FFFD}"
      } else {
        display.unicodeScalars.append(scalar)
      }
      column += 1
    }
    if location.column >= column { caretColumn = display.unicodeScalars.count + 1 }
    // A very long line (minified SQL, a binary file) is shown as a window around the caret.
    let scalars = Array(display.unicodeScalars)
    if scalars.count > Self.maximumShownColumns {
      let start = max(
        0,
        min(
          caretColumn - 1 - Self.maximumShownColumns / 2,
          scalars.count - Self.maximumShownColumns
        )
      )
      let end = start + Self.maximumShownColumns
      var window = String.UnicodeScalarView()
      if start > 0 { window.append("…") }
      window.append(contentsOf: scalars[start..<end])
      if end < scalars.count { window.append("…") }
      caretColumn = caretColumn - start + (start > 0 ? 1 : 0)
      display = String(window)
    }
    var prefix = ""
    for (index, scalar) in display.unicodeScalars.enumerated() where index < caretColumn - 1 {
      prefix += scalar == "\t" ? "\t" : " "
    }
    return "\(source.path):\(location.line):\(location.column): error: \(message)\n"
      + "  \(display)\n"
      + "  \(prefix)^"
  }
}
