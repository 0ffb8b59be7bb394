import ShiftCore
import ShiftSchema
import ShiftSyntax

extension RuleContext {
  /// The statement's text with a word inserted after the first matching keyword.
  ///
  /// Strings and comments are skipped, so `CONCURRENTLY` goes after the real `INDEX`.
  func statementText(inserting insertion: String, after keyword: Keyword) -> String {
    let text = sql
    let file = SourceFile(path: "", text: text)
    for token in Lexer.tokenize(file, dialect: dialect) where token.keyword == keyword {
      let bytes = Array(text.utf8)
      return String(decoding: bytes[..<token.end], as: UTF8.self) + " " + insertion
        + String(decoding: bytes[token.end...], as: UTF8.self)
    }
    return text
  }

  /// Where the finding for an ALTER TABLE action points: the action itself.
  func actionRange(_ action: AlterTableAction) -> SourceRange { action.range }

  /// Whether the table existed before this file or transaction (so others use it).
  func isExistingTable(_ name: QualifiedName) -> Bool {
    // SQLite locks the whole database, so its locks name no table: ask the catalog.
    if dialect == .sqlite { return existedBeforeFile(name) }
    return effect.locks.contains { lock in
      lock.relation?.name == name.name.value && !lock.isNewRelation
    }
  }
}
