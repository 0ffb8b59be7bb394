import ShiftCore
import ShiftSyntax

/// The significant tokens of one stretch of a source, with their text: for the few
/// statement details the syntax tree does not keep (`OWNED BY`, `RENAME TO` of objects
/// parsed only by their name, `DROP IDENTITY`, exclusion constraint elements).
struct SourceWords {
  struct Word {
    var kind: TokenKind
    var keyword: Keyword
    /// The text as written.
    var text: String
    /// Identifiers folded as PostgreSQL does (unquoted lower-cased, quoted unquoted).
    var value: String
  }

  var words: [Word]

  init(_ source: SourceFile, range: SourceRange, dialect: Dialect) {
    var words: [Word] = []
    source.bytes.withUnsafeBufferPointer { buffer in
      var lexer = Lexer(bytes: buffer, dialect: dialect, start: max(0, range.start))
      while let token = lexer.next(), token.start < range.end {
        if token.kind.isTrivia { continue }
        let text = String(decoding: buffer[token.start..<token.end], as: UTF8.self)
        words.append(
          Word(kind: token.kind, keyword: token.keyword, text: text, value: Self.fold(token, text))
        )
      }
    }
    self.words = words
  }

  private static func fold(_ token: Token, _ text: String) -> String {
    switch token.kind {
    case .word: return text.lowercased()
    case .quotedIdentifier:
      guard text.count >= 2 else { return text }
      let quote = text.first
      let inner = String(text.dropFirst().dropLast())
      return quote == "\"" ? inner.replacingAll("\"\"", with: "\"") : inner
    case .string:
      guard text.count >= 2, text.hasPrefix("'") else { return text }
      return String(text.dropFirst().dropLast()).replacingAll("''", with: "'")
    default: return text
    }
  }

  /// The index of the first occurrence of the keyword sequence, searching from `start`
  /// at parenthesis depth 0.
  func find(_ keywords: [Keyword], from start: Int = 0) -> Int? {
    guard !keywords.isEmpty else { return nil }
    var depth = 0
    var index = start
    while index < words.count {
      let word = words[index]
      if word.kind == .leftParen { depth += 1 }
      if word.kind == .rightParen { depth = max(0, depth - 1) }
      if depth == 0, index + keywords.count <= words.count {
        var matches = true
        for (offset, keyword) in keywords.enumerated()
        where words[index + offset].kind != .word || words[index + offset].keyword != keyword {
          matches = false
          break
        }
        if matches { return index }
      }
      index += 1
    }
    return nil
  }

  /// The dotted name starting at `index` (`a`, `a.b`, `a.b.c`), as identifiers.
  func qualifiedName(at index: Int) -> QualifiedName? {
    var parts: [Identifier] = []
    var position = index
    while position < words.count {
      let word = words[position]
      guard word.kind == .word || word.kind == .quotedIdentifier else { break }
      parts.append(Identifier(word.value, isQuoted: word.kind == .quotedIdentifier))
      guard position + 1 < words.count, words[position + 1].kind == .dot else { break }
      position += 2
    }
    return parts.isEmpty ? nil : QualifiedName(parts)
  }
}

extension String {
  /// The string with every occurrence of `target` replaced (no Foundation).
  func replacingAll(_ target: String, with replacement: String) -> String {
    guard !target.isEmpty, firstRange(of: target) != nil else { return self }
    var result = ""
    var rest = self[...]
    while let range = rest.firstRange(of: target) {
      result += rest[..<range.lowerBound]
      result += replacement
      rest = rest[range.upperBound...]
    }
    return result + rest
  }
}
