import ShiftAnalysis
import ShiftPostgres
import ShiftSQLite
import ShiftSchema
import ShiftSyntax

/// `--database-url`: which live database to read, and reading it.
enum LiveDatabase: Equatable {
  /// A PostgreSQL URL (`postgres://…`, `postgresql://…`) or libpq key/value string.
  case postgres(String)
  /// A SQLite database file: `sqlite:PATH`, `sqlite://PATH` or the path of a file.
  case sqlite(path: String)

  /// Classifies a `--database-url` value.
  ///
  /// - Parameters:
  ///   - value: the option's value.
  ///   - fileExists: whether a path names an existing file (injected for tests).
  init(_ value: String, fileExists: (String) -> Bool = { FileSystem.kind(of: $0) == .file }) {
    if value.hasPrefix("sqlite://") {
      self = .sqlite(path: String(value.dropFirst("sqlite://".count)))
    } else if value.hasPrefix("sqlite:") {
      self = .sqlite(path: String(value.dropFirst("sqlite:".count)))
    } else if !value.contains("://"), !value.contains("="), fileExists(value) {
      self = .sqlite(path: value)
    } else {
      self = .postgres(value)
    }
  }

  /// Reads the database's catalog (with table sizes) and makes the configuration follow
  /// what the database says: PostgreSQL's server version and time zone unless configured,
  /// SQLite's journal mode and dialect.
  ///
  /// - Parameter configuration: the run's settings, completed from the database.
  /// - Returns: the live catalog.
  /// - Throws: `DriverError` (never containing a password) when the database cannot be read.
  func read(into configuration: inout Configuration) throws -> Catalog {
    switch self {
    case .postgres(let url):
      var connection = try PostgresConnection(connectingTo: url)
      let database = try PostgresIntrospector.introspect(&connection)
      if configuration.pgVersion == nil {
        configuration.pgVersion = min(
          max(database.serverVersionNumber / 10_000, 10),
          ShiftAnalysis.newestPostgresVersion
        )
      }
      if configuration.sessionTimeZone == nil {
        configuration.sessionTimeZone = database.timeZone
      }
      configuration.sizes.hasLiveSizes = true
      return database.catalog
    case .sqlite(let path):
      // Read-only: linting never creates or changes the user's database file.
      var connection = try SQLiteConnection(path: path, readOnly: true)
      let database = try SQLiteIntrospector.introspect(&connection)
      if configuration.dialect == nil { configuration.dialect = .sqlite }
      configuration.sizes.sqliteJournalMode = database.journalMode
      configuration.sizes.hasLiveSizes = true
      return database.catalog
    }
  }
}
