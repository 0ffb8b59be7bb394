import ShiftCore
import ShiftReport

/// The document every format test renders: two files, findings of each severity, a syntax
/// error, a tab before a finding, and unicode and special characters (`%`, `,`, `:`, `|`,
/// `<`, `&`, quotes, newlines, backticks) in paths and messages.
enum SampleDocument {
  static let firstPath = "db/migrations/0001 üsers,a:b|c&<d>\"q\"%.sql"
  static let secondPath = "db/migrations/0002_drop.sql"

  static let firstSource = """
    BEGIN;
    ALTER TABLE "tökén" ADD COLUMN token uuid DEFAULT gen_random_uuid();
    CREATE INDEX idx ON users (email);
    \tUPDATE users SET a = 1;
    COMMIT;

    """

  static let secondSource = """
    DROP TABLE legacy;
    ALTER TABLE users ADD COLUMN ;

    """

  static let sources: [String: SourceFile] = [
    firstPath: SourceFile(path: firstPath, text: firstSource),
    secondPath: SourceFile(path: secondPath, text: secondSource),
  ]

  /// Source lines by path, as the CLI would supply them.
  static let options = ReportOptions(
    sourceLines: { path, line in sources[path]?.lineText(line) },
    sourceRoot: nil,
    failureThreshold: .warning,
    toolVersion: "0.1.0",
    toolInformationURI: "https://example.invalid/safeshift"
  )

  static let rules: [RuleInfo] = [
    RuleInfo(
      id: "adding-volatile-default",
      summary: "Add columns without a volatile default.",
      description: "A volatile default rewrites the whole table under ACCESS EXCLUSIVE.",
      helpURI: "https://example.invalid/rules/adding-volatile-default",
      defaultSeverity: .error
    ),
    RuleInfo(
      id: "require-concurrent-index",
      summary: "Build indexes with CREATE INDEX CONCURRENTLY.",
      defaultSeverity: .warning
    ),
  ]

  static var document: ReportDocument {
    let first = sources[firstPath]!
    let second = sources[secondPath]!
    let alter = statement(
      in: first,
      "ALTER TABLE \"tökén\" ADD COLUMN token uuid DEFAULT gen_random_uuid()",
      kind: "alter_table",
      tables: ["tökén"],
      locks: [ReportLock(relation: "tökén", mode: .accessExclusive)],
      rewrites: true,
      findings: [
        (
          "gen_random_uuid()", "adding-volatile-default", .error,
          "Adding column \"token\" with a volatile default rewrites 100% of \"tökén\": reads, writes | all <blocked> & waiting.",
          "Add the column without a default:\n  ALTER TABLE \"tökén\" ADD COLUMN token uuid;\nthen backfill it in batches (`safeshift backfill`)."
        ),
        (
          "ALTER TABLE", "table-lock", .warning,
          "Takes ACCESS EXCLUSIVE on \"tökén\",\nline two of the message.", nil
        ),
      ]
    )
    let index = statement(
      in: first,
      "CREATE INDEX idx ON users (email)",
      kind: "create_index",
      tables: ["users"],
      locks: [ReportLock(relation: "users", mode: .share)],
      scans: true,
      findings: [
        (
          "CREATE INDEX", "require-concurrent-index", .warning,
          "CREATE INDEX blocks writes to users while it builds.",
          "Use ``CREATE INDEX CONCURRENTLY`` outside the transaction."
        )
      ]
    )
    let update = statement(
      in: first,
      "UPDATE users SET a = 1",
      kind: "update",
      tables: ["users"],
      locks: [ReportLock(relation: "users", mode: .rowExclusive)],
      scans: true,
      phase: "migrate",
      findings: [("UPDATE users", "unbatched-update", .info, "Unbatched UPDATE of users.", nil)]
    )
    let begin = statement(in: first, "BEGIN", kind: "begin")
    let commit = statement(in: first, "COMMIT", kind: "commit")
    let drop = statement(
      in: second,
      "DROP TABLE legacy",
      kind: "drop_table",
      tables: ["legacy"],
      locks: [ReportLock(relation: "*", mode: "EXCLUSIVE")],
      compatibility: "breaking",
      phase: "contract",
      findings: [
        ("DROP TABLE legacy", "drop-table", .error, "Dropping legacy breaks old code.", nil)
      ]
    )
    let files = [
      ReportFile(
        path: firstPath,
        dialect: "postgres",
        transactionMode: "transaction",
        statements: [begin, alter, index, update, commit].map {
          var statement = $0
          statement.inTransactionBlock = $0.kind != "begin" && $0.kind != "commit"
          return statement
        }
      ),
      ReportFile(
        path: secondPath,
        dialect: "sqlite",
        statements: [drop],
        errors: [
          ReportError(
            location: SourceLocation(line: 2, column: 30),
            message: "expected a column definition, found \";\"",
            sourceLine: second.lineText(2)
          )
        ]
      ),
    ]
    return ReportDocument(files: files, rules: rules)
  }

  typealias FindingSpec = (
    at: String, rule: String, severity: Severity, message: String, help: String?
  )

  /// A statement located by searching its text in the source; findings likewise inside it.
  static func statement(
    in source: SourceFile,
    _ sql: String,
    kind: String,
    tables: [String] = [],
    locks: [ReportLock] = [],
    rewrites: Bool = false,
    scans: Bool = false,
    compatibility: String = "compatible",
    phase: String = "expand",
    findings: [FindingSpec] = []
  ) -> ReportStatement {
    let text = String(decoding: source.bytes, as: UTF8.self)
    let start = offset(of: sql, in: text, from: 0)
    let range = SourceRange(start: start, end: start + sql.utf8.count)
    var end = source.location(at: range.end - 1)
    end.column += 1
    return ReportStatement(
      range: range,
      location: source.location(at: range.start),
      endLocation: end,
      sql: sql,
      kind: kind,
      tables: tables,
      locks: locks,
      rewritesTable: rewrites,
      scansTable: scans,
      compatibility: compatibility,
      phase: phase,
      findings: findings.map { spec in
        let findingStart = offset(of: spec.at, in: text, from: start)
        return Finding(
          rule: spec.rule,
          severity: spec.severity,
          message: spec.message,
          help: spec.help,
          range: SourceRange(start: findingStart, end: findingStart + spec.at.utf8.count),
          location: source.location(at: findingStart)
        )
      }
    )
  }

  private static func offset(of needle: String, in haystack: String, from: Int) -> Int {
    let bytes = Array(haystack.utf8)
    let pattern = Array(needle.utf8)
    var index = from
    while index + pattern.count <= bytes.count {
      if Array(bytes[index..<index + pattern.count]) == pattern { return index }
      index += 1
    }
    preconditionFailure("\(needle) not found")
  }
}
