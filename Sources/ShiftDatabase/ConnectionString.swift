/// Helpers for connection strings that must never leak their password.
public enum ConnectionString {
  /// The connection string with any password replaced by `***`, for messages and logs.
  ///
  /// Handles URLs (`postgres://user:secret@host/db`, `?password=secret`) and libpq
  /// key/value strings (`password=secret`, `password='a b'`).
  public static func redacted(_ connection: String) -> String {
    var text = connection
    if let scheme = text.firstRange(of: "://") {
      let afterScheme = text[scheme.upperBound...]
      let authorityEnd =
        afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
      let authority = text[scheme.upperBound..<authorityEnd]
      if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
        text.replaceSubrange(text.index(after: colon)..<at, with: "***")
      }
    }
    return redactKeyValue(text)
  }

  private static func redactKeyValue(_ text: String) -> String {
    var result = ""
    var rest = Substring(text)
    while let range = rest.firstRange(of: "password=") {
      let before =
        range.lowerBound == rest.startIndex ? nil : rest[rest.index(before: range.lowerBound)]
      result += rest[..<range.upperBound]
      rest = rest[range.upperBound...]
      guard before == nil || before == " " || before == "?" || before == "&" else { continue }
      result += "***"
      if rest.first == "'" {
        var index = rest.index(after: rest.startIndex)
        while index < rest.endIndex, rest[index] != "'" {
          if rest[index] == "\\" { index = rest.index(after: index) }
          if index < rest.endIndex { index = rest.index(after: index) }
        }
        rest = index < rest.endIndex ? rest[rest.index(after: index)...] : rest[rest.endIndex...]
      } else {
        let end = rest.firstIndex(where: { $0 == " " || $0 == "&" }) ?? rest.endIndex
        rest = rest[end...]
      }
    }
    return result + rest
  }
}
