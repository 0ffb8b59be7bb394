import ShiftAnalysis
import ShiftCore
import ShiftSchema
import ShiftSyntax
import Testing

@Suite
struct SizeAwareSeverityTests {
  static let schema = """
    CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
    CREATE TABLE tiny (id bigint PRIMARY KEY, label text);
    CREATE TABLE unsized (id bigint PRIMARY KEY, label text);
    """

  /// A catalog as introspection fills it: `users` big, `tiny` small, `unsized` unknown.
  static func catalog() -> Catalog {
    var builder = CatalogBuilder(dialect: .postgres)
    _ = builder.replay(SQLParser.parse(schema, path: "schema.sql"), isSchemaFile: true)
    var catalog = builder.catalog
    let users = ObjectName(schema: "public", name: "users")
    let tiny = ObjectName(schema: "public", name: "tiny")
    catalog[table: users]?.estimatedRows = 50_000_000
    catalog[table: users]?.sizeBytes = 4_509_715_660  // 4.2 GB
    catalog[table: tiny]?.estimatedRows = 50
    catalog[table: tiny]?.sizeBytes = 8192
    return catalog
  }

  static func lint(
    _ sql: String,
    sizes: SizeSettings = SizeSettings(),
    ruleLevels: [String: Configuration.RuleLevel] = [:],
    catalog: Catalog? = nil
  ) -> [Finding] {
    let settings = LintSettings(ruleLevels: ruleLevels, sizes: sizes)
    var linter = Linter(settings: settings, catalog: catalog ?? Self.catalog())
    // require-lock-timeout is about the lock queue, not the lock's length: left out here.
    return linter.lint(SQLParser.parse(sql, path: "0001.sql")).statements.flatMap(\.findings)
      .filter { $0.rule != "require-lock-timeout" }
  }

  @Test("a rewrite of a big table is an error with its estimated duration")
  func bigRewrite() throws {
    let findings = Self.lint("ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();")
    let finding = try #require(findings.first { $0.rule == "adding-volatile-default" })
    #expect(finding.severity == .error)
    #expect(
      finding.message.hasSuffix(
        " — rewrites users (≈ 4.2 GB, 50M rows): about 3 min at ~25 MB/s holding ACCESS EXCLUSIVE"
      ),
      "\(finding.message)"
    )
    let estimate = try #require(finding.estimate)
    #expect(estimate.tables.map(\.relation) == ["users"])
    #expect(estimate.tables.first?.work == .rewrite)
    #expect(estimate.tables.first?.lock == .accessExclusive)
    #expect(abs(estimate.seconds - 172.03) < 0.1)
  }

  @Test("the same rewrite of a 50-row table is info and says why")
  func smallRewrite() throws {
    let findings = Self.lint("ALTER TABLE tiny ADD COLUMN token uuid DEFAULT gen_random_uuid();")
    let finding = try #require(findings.first { $0.rule == "adding-volatile-default" })
    #expect(finding.severity == .info)
    #expect(finding.message.contains("rewrites tiny (≈ 8 kB, 50 rows): under 1 s"))
    #expect(finding.message.hasSuffix("; brief (under 1 s), so reported as info"))
  }

  @Test("an index build on a big table names the SHARE lock and the build rate")
  func indexBuild() throws {
    let big = try #require(Self.lint("CREATE INDEX users_name_idx ON users (name);").first)
    #expect(big.rule == "require-concurrent-index")
    #expect(big.severity == .error)
    #expect(big.message.contains("builds an index over users (≈ 4.2 GB, 50M rows): about 86 s"))
    #expect(big.message.contains("at ~50 MB/s holding SHARE"))
    let small = try #require(Self.lint("CREATE INDEX tiny_label_idx ON tiny (label);").first)
    #expect(small.severity == .info)
  }

  @Test("a warning-level rule is raised to error on a big table, unless configured")
  func raisedUnlessConfigured() throws {
    let raised = try #require(Self.lint("ALTER TABLE users SET LOGGED;").first)
    #expect(raised.rule == "table-storage-rewrite")
    #expect(raised.severity == .error)
    #expect(raised.message.hasSuffix("; long (10 s or more), so reported as error"))
    let configured = try #require(
      Self.lint("ALTER TABLE users SET LOGGED;", ruleLevels: ["table-storage-rewrite": .warning])
        .first
    )
    #expect(configured.severity == .warning)
    #expect(configured.estimate != nil)
  }

  @Test("an unbounded UPDATE or DELETE of a big table is raised to error")
  func unboundedDataChanges() throws {
    let update = try #require(Self.lint("UPDATE users SET name = 'x';").first)
    #expect(update.rule == "unbatched-backfill")
    #expect(update.severity == .error)
    #expect(update.message.contains("writes every row of users (≈ 4.2 GB, 50M rows): about 3 min"))
    #expect(update.message.contains("holding ROW EXCLUSIVE"))
    let delete = try #require(Self.lint("DELETE FROM users;").first)
    #expect(delete.severity == .error)
    #expect(delete.estimate?.tables.first?.work == .delete)
    #expect(delete.message.contains("deletes every row of users"))
    let small = try #require(Self.lint("DELETE FROM tiny;").first)
    #expect(small.severity == .info)
  }

  @Test("compatibility findings do not depend on size")
  func breakingUnchanged() throws {
    let finding = try #require(
      Self.lint("ALTER TABLE tiny RENAME COLUMN label TO title;").first {
        $0.rule == "renaming-column"
      }
    )
    #expect(finding.severity == .error)
    #expect(finding.estimate == nil)
    #expect(!finding.message.contains("≈"))
  }

  @Test("unknown sizes leave findings as they are, and say so only when sizes are known")
  func unknownSizes() throws {
    let sql = "CREATE INDEX unsized_label_idx ON unsized (label);"
    var plainCatalog = CatalogBuilder(dialect: .postgres)
    _ = plainCatalog.replay(SQLParser.parse(Self.schema, path: "schema.sql"), isSchemaFile: true)
    let plain = try #require(Self.lint(sql, catalog: plainCatalog.catalog).first)
    let sized = try #require(Self.lint(sql).first)
    #expect(sized.severity == plain.severity)
    #expect(sized.message == plain.message)
    #expect(sized.estimate == nil)
    var live = SizeSettings()
    live.hasLiveSizes = true
    let told = try #require(Self.lint(sql, sizes: live).first)
    #expect(told.severity == plain.severity)
    #expect(told.message == plain.message + " (size of unsized unknown: severity not adjusted)")
  }

  @Test("sizes from the configuration win over the catalog's; rows alone are enough")
  func declaredSizes() throws {
    var sizes = SizeSettings()
    sizes.declaredTables = [
      "tiny": TableSize(rows: 80_000_000), "public.unsized": TableSize(rows: 10),
    ]
    let tiny = try #require(Self.lint("CREATE INDEX i ON tiny (label);", sizes: sizes).first)
    #expect(tiny.severity == .error)
    #expect(tiny.message.contains("builds an index over tiny (≈ 7.5 GB from 80M rows)"))
    #expect(tiny.estimate?.tables.first?.bytesFromRows == true)
    let unsized = try #require(Self.lint("CREATE INDEX i ON unsized (label);", sizes: sizes).first)
    #expect(unsized.severity == .info)
  }

  @Test("briefLevel off drops findings on small tables; sizeAware off changes nothing")
  func briefOffAndDisabled() {
    var off = SizeSettings()
    off.briefLevel = .off
    #expect(Self.lint("CREATE INDEX i ON tiny (label);", sizes: off).isEmpty)
    #expect(Self.lint("CREATE INDEX i ON users (name);", sizes: off).count == 1)
    var disabled = SizeSettings()
    disabled.isEnabled = false
    let finding = Self.lint("CREATE INDEX i ON tiny (label);", sizes: disabled).first
    #expect(finding?.severity == .error)
    #expect(finding?.estimate == nil)
  }

  @Test("throughputs and thresholds change the verdict")
  func configuredRates() throws {
    var slow = SizeSettings()
    slow.scanBytesPerSecond = 1024  // 1 kB/s: the 8 kB table takes 8 s
    slow.errorFromSeconds = 5
    let finding = try #require(
      Self.lint("ALTER TABLE tiny ADD CONSTRAINT c CHECK (id > 0);", sizes: slow).first
    )
    #expect(finding.rule == "constraint-missing-not-valid")
    #expect(finding.severity == .error)
    #expect(finding.message.contains("scans tiny (≈ 8 kB, 50 rows): about 8 s at ~1 kB/s"))
  }

  @Test("a table created in the same file is never sized")
  func newTable() {
    let findings = Self.lint(
      "CREATE TABLE fresh (id bigint, v text);\nCREATE INDEX fresh_v ON fresh (v);"
    )
    #expect(findings.allSatisfy { $0.estimate == nil })
  }

  @Test("on SQLite the journal mode is explained where the write lock matters")
  func sqliteJournalMode() throws {
    var builder = CatalogBuilder(dialect: .sqlite)
    _ = builder.replay(
      SQLParser.parse("CREATE TABLE t (id integer PRIMARY KEY, v text);", dialect: .sqlite),
      isSchemaFile: true
    )
    var catalog = builder.catalog
    catalog[table: ObjectName(schema: "main", name: "t")]?.estimatedRows = 20_000_000
    for (mode, expected) in [("wal", "readers keep reading"), ("delete", "readers are blocked")] {
      var sizes = SizeSettings()
      sizes.sqliteJournalMode = mode
      let settings = LintSettings(sizes: sizes)
      var linter = Linter(settings: settings, catalog: catalog)
      let file = linter.lint(SQLParser.parse("UPDATE t SET v = 'x';", dialect: .sqlite))
      let finding = try #require(file.statements.flatMap(\.findings).first)
      #expect(finding.rule == "unbatched-backfill")
      #expect(finding.severity == .error)
      #expect(finding.message.contains("holding the database write lock"), "\(finding.message)")
      #expect(finding.help?.contains(expected) == true, "\(finding.help ?? "")")
    }
  }
}
