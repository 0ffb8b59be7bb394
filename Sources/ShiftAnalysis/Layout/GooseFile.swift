/// The annotations of a goose SQL migration (`-- +goose Up`, `Down`, `StatementBegin`,
/// `StatementEnd`, `NO TRANSACTION`, `ENVSUB ON|OFF`).
///
/// goose's rules (pressly.github.io/goose/documentation/annotations): annotations are
/// case-insensitive, start at column 1 with `-- +goose`, exactly one `Up` is required and
/// the optional `Down` comes after it; `NO TRANSACTION` applies to both directions.
struct GooseFile {
  /// The byte range of the up section (after the `Up` line, before the `Down` line).
  var up: Range<Int>
  /// The byte range of the down section (after the `Down` line), empty without one.
  var down: Range<Int>
  /// Whether the file has a `Down` annotation.
  var hasDown: Bool
  /// Whether `-- +goose NO TRANSACTION` appears.
  var noTransaction: Bool
  /// `StatementBegin` bodies and the lines of their `StatementBegin` annotations.
  var groups: [(range: Range<Int>, line: Int)]

  /// Parses the annotations of a file.
  ///
  /// - Throws: ``LayoutError`` naming the line of a missing, repeated, misplaced, unknown or
  ///   unbalanced annotation.
  init(bytes: [UInt8], path: String) throws(LayoutError) {
    let lines = SourceLines(bytes)
    var upLine: Int?
    var downLine: Int?
    var upRange: Range<Int>?
    var downStart: Int?
    var noTransaction = false
    var groups: [(range: Range<Int>, line: Int)] = []
    var openGroup: (start: Int, line: Int)?
    var sqlBeforeUp: Int?
    for (offset, line) in lines.lines.enumerated() {
      let number = offset + 1
      guard let command = Self.annotation(lines.text(line)) else {
        if upLine == nil, sqlBeforeUp == nil, !lines.isBlank(line), !lines.isLineComment(line) {
          sqlBeforeUp = number
        }
        continue
      }
      switch command {
      case "up":
        if upLine != nil {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "goose: a second '-- +goose Up' annotation"
          )
        }
        upLine = number
        upRange = line.next..<bytes.count
      case "down":
        guard upLine != nil, let start = upRange?.lowerBound else {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "goose: '-- +goose Down' before '-- +goose Up'"
          )
        }
        if downLine != nil {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "goose: a second '-- +goose Down' annotation"
          )
        }
        if let open = openGroup {
          throw Self.unclosed(path: path, line: open.line)
        }
        downLine = number
        upRange = start..<line.start
        downStart = line.next
      case "statementbegin":
        if let open = openGroup {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "goose: StatementBegin inside the StatementBegin block of line \(open.line)"
          )
        }
        if upLine == nil {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "goose: StatementBegin before '-- +goose Up'"
          )
        }
        openGroup = (line.next, number)
      case "statementend":
        guard let open = openGroup else {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "goose: StatementEnd without a StatementBegin"
          )
        }
        groups.append((open.start..<line.start, open.line))
        openGroup = nil
      case "no transaction":
        noTransaction = true
      case "envsub on", "envsub off":
        continue
      default:
        throw LayoutError(
          .malformedMarker,
          path: path,
          line: number,
          message: "goose: unknown annotation '-- +goose \(command)'"
        )
      }
    }
    if let open = openGroup { throw Self.unclosed(path: path, line: open.line) }
    guard let upRange else {
      throw LayoutError(
        .malformedMarker,
        path: path,
        message: "goose: no '-- +goose Up' annotation (goose requires one in every file)"
      )
    }
    if let sqlBeforeUp {
      throw LayoutError(
        .malformedMarker,
        path: path,
        line: sqlBeforeUp,
        message: "goose: SQL before the '-- +goose Up' annotation"
      )
    }
    self.up = upRange
    self.down = (downStart ?? bytes.count)..<bytes.count
    self.hasDown = downLine != nil
    self.noTransaction = noTransaction
    self.groups = groups
  }

  private static func unclosed(path: String, line: Int) -> LayoutError {
    LayoutError(
      .malformedMarker,
      path: path,
      line: line,
      message: "goose: StatementBegin without a matching StatementEnd"
    )
  }

  /// The lowercased command of a `-- +goose …` line, or `nil` for other lines.
  ///
  /// Words are joined by one space. Like goose, leading whitespace disqualifies a line.
  static func annotation(_ text: String) -> String? {
    guard text.hasPrefix("--") else { return nil }
    let rest = text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    guard rest.lowercased().hasPrefix("+goose") else { return nil }
    let command = rest.dropFirst(6)
    if let first = command.first, first != " " && first != "\t" { return nil }
    let words = String(command).layoutWords
    return words.map { $0.lowercased() }.joined(separator: " ")
  }
}
