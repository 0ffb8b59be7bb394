/// The `-- migrate:up` / `-- migrate:down` directives of a dbmate migration and their
/// options (`transaction:false`).
///
/// dbmate's rules (amacneil/dbmate `pkg/dbmate/migration.go`): the directives match
/// `^--\s*migrate:up(\s*$|\s+\S+)` at the start of a line, `up` must come before `down`,
/// nothing but comments and blank lines may precede `up`, and options are `key:value`
/// words after the directive; `transaction` defaults to true.
struct DbmateFile {
  /// The byte range of the up section (after the directive line, before the down line).
  var up: Range<Int>
  /// The byte range of the down section (after the down directive line).
  var down: Range<Int>
  /// Whether the file has a down directive.
  var hasDown: Bool
  /// `transaction:false` on the up directive.
  var upTransaction: Bool
  /// `transaction:false` on the down directive.
  var downTransaction: Bool

  /// Parses the directives of a file.
  ///
  /// - Throws: ``LayoutError`` for a missing or repeated `up`, `down` before `up`, SQL
  ///   before `up`, or an unknown `transaction:` value.
  init(bytes: [UInt8], path: String) throws(LayoutError) {
    let lines = SourceLines(bytes)
    var upInfo: (line: Int, next: Int, transaction: Bool)?
    var downInfo: (line: Int, start: Int, next: Int, transaction: Bool)?
    var sqlBeforeUp: Int?
    for (offset, line) in lines.lines.enumerated() {
      let number = offset + 1
      let text = lines.text(line)
      guard let (direction, options) = Self.directive(text) else {
        if upInfo == nil, sqlBeforeUp == nil, !lines.isBlank(line), !lines.isLineComment(line) {
          sqlBeforeUp = number
        }
        continue
      }
      let transaction = try Self.transaction(options, path: path, line: number)
      if direction == "up" {
        if upInfo != nil {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "dbmate: a second '-- migrate:up' directive"
          )
        }
        if downInfo != nil {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "dbmate: '-- migrate:up' must come before '-- migrate:down'"
          )
        }
        upInfo = (number, line.next, transaction)
      } else {
        guard upInfo != nil else {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "dbmate: '-- migrate:down' before '-- migrate:up'"
          )
        }
        if downInfo != nil {
          throw LayoutError(
            .malformedMarker,
            path: path,
            line: number,
            message: "dbmate: a second '-- migrate:down' directive"
          )
        }
        downInfo = (number, line.start, line.next, transaction)
      }
    }
    guard let upInfo else {
      throw LayoutError(
        .malformedMarker,
        path: path,
        message: "dbmate: no '-- migrate:up' directive (dbmate requires one in every file)"
      )
    }
    if let sqlBeforeUp {
      throw LayoutError(
        .malformedMarker,
        path: path,
        line: sqlBeforeUp,
        message: "dbmate: SQL before the '-- migrate:up' directive"
      )
    }
    self.up = upInfo.next..<(downInfo?.start ?? bytes.count)
    self.down = (downInfo?.next ?? bytes.count)..<bytes.count
    self.hasDown = downInfo != nil
    self.upTransaction = upInfo.transaction
    self.downTransaction = downInfo?.transaction ?? true
  }

  /// `("up" | "down", options)` for a directive line, or `nil`.
  static func directive(_ text: String) -> (String, [Substring])? {
    guard text.hasPrefix("--") else { return nil }
    let rest = text.dropFirst(2).drop { $0 == " " || $0 == "\t" }
    for direction in ["up", "down"] {
      let keyword = "migrate:" + direction
      guard rest.hasPrefix(keyword) else { continue }
      let after = rest.dropFirst(keyword.count)
      if let first = after.first, first != " " && first != "\t" && first != "\r" { return nil }
      return (direction, String(after).layoutWords)
    }
    return nil
  }

  private static func transaction(
    _ options: [Substring],
    path: String,
    line: Int
  ) throws(LayoutError) -> Bool {
    var result = true
    for option in options {
      let pair = option.split(separator: ":", omittingEmptySubsequences: false)
      guard pair.count == 2, pair[0] == "transaction" else { continue }
      switch pair[1] {
      case "false": result = false
      case "true": result = true
      default:
        throw LayoutError(
          .malformedMarker,
          path: path,
          line: line,
          message: "dbmate: 'transaction:' takes true or false, not '\(pair[1])'"
        )
      }
    }
    return result
  }
}
