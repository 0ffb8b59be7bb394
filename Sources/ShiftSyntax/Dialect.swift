/// The SQL dialect a migration is written in.
public enum Dialect: String, Sendable, Hashable, Codable, CaseIterable {
  case postgres
  case sqlite
}
