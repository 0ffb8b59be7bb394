import Foundation

/// Splits a PostgreSQL connection string into a password-free string for command lines and
/// the password for the `PGPASSWORD` environment variable.
///
/// pg_dump and pg_restore receive the password only through the environment (or the user's
/// `.pgpass`), never in their arguments, where any user of the machine could read it.
public struct PostgresCredentials: Sendable, Hashable {
  /// The connection string without its password.
  public var connectionString: String
  /// The password, decoded, if the connection string had one.
  public var password: String?

  /// Splits `connection` (a `postgres://` / `postgresql://` URL or a libpq key/value string).
  public init(_ connection: String) {
    if connection.hasPrefix("postgres://") || connection.hasPrefix("postgresql://") {
      (connectionString, password) = Self.splitURL(connection)
    } else {
      (connectionString, password) = Self.splitKeyValue(connection)
    }
  }

  /// The environment for a client program: `PGPASSWORD` when there is a password.
  public var environment: [String: String] {
    password.map { ["PGPASSWORD": $0] } ?? [:]
  }

  private static func splitURL(_ url: String) -> (String, String?) {
    var text = url
    var password: String?
    guard let scheme = text.range(of: "://") else { return (text, nil) }
    let rest = text[scheme.upperBound...]
    let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
    let authority = text[scheme.upperBound..<authorityEnd]
    if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
      password = percentDecoded(String(text[text.index(after: colon)..<at]))
      text.removeSubrange(colon..<at)
    }
    if let question = text.firstIndex(of: "?") {
      let query = text[text.index(after: question)...].split(separator: "&")
      var kept: [Substring] = []
      for item in query {
        if item.hasPrefix("password=") {
          password = percentDecoded(String(item.dropFirst("password=".count)))
        } else {
          kept.append(item)
        }
      }
      text = String(text[..<question]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }
    return (text, password)
  }

  private static func splitKeyValue(_ text: String) -> (String, String?) {
    var kept: [String] = []
    var password: String?
    var index = text.startIndex
    while index < text.endIndex {
      while index < text.endIndex, text[index] == " " { index = text.index(after: index) }
      guard index < text.endIndex else { break }
      let start = index
      var value = ""
      var key = ""
      while index < text.endIndex, text[index] != "=", text[index] != " " {
        key.append(text[index])
        index = text.index(after: index)
      }
      while index < text.endIndex, text[index] == " " { index = text.index(after: index) }
      if index < text.endIndex, text[index] == "=" { index = text.index(after: index) }
      while index < text.endIndex, text[index] == " " { index = text.index(after: index) }
      if index < text.endIndex, text[index] == "'" {
        index = text.index(after: index)
        while index < text.endIndex, text[index] != "'" {
          if text[index] == "\\" { index = text.index(after: index) }
          if index < text.endIndex { value.append(text[index]) }
          if index < text.endIndex { index = text.index(after: index) }
        }
        if index < text.endIndex { index = text.index(after: index) }
      } else {
        while index < text.endIndex, text[index] != " " {
          value.append(text[index])
          index = text.index(after: index)
        }
      }
      if key == "password" {
        password = value
      } else {
        kept.append(String(text[start..<index]))
      }
    }
    return (kept.joined(separator: " "), password)
  }

  private static func percentDecoded(_ text: String) -> String {
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
    var index = 0
    while index < utf8.count {
      if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
        let value = UInt8(String(decoding: utf8[index + 1...index + 2], as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        index += 3
      } else {
        bytes.append(utf8[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
