import Foundation
import ShiftTestSupport
import Testing

/// End-to-end checks on the built `safeshift` binary: real process, real exit codes.
@Suite
struct ExecutableTests {
  /// The `safeshift` executable built next to this test bundle.
  static let executable: URL? = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("safeshift")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return nil
  }()

  func run(_ arguments: [String], input: String? = nil, in directory: URL? = nil) throws -> (
    code: Int32, output: String, error: String
  ) {
    let executable = try #require(Self.executable, "safeshift binary not built next to the tests")
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? Fixtures.root
    let output = Pipe()
    let error = Pipe()
    let standardInput = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = standardInput
    try process.run()
    if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
    try standardInput.fileHandleForWriting.close()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus,
      String(decoding: outputData, as: UTF8.self),
      String(decoding: errorData, as: UTF8.self)
    )
  }

  @Test("the README's main command reports the examples' hazards and exits 1")
  func readmeCommand() throws {
    let result = try run(["lint", "migrations-examples/postgres", "migrations-examples/sqlite"])
    #expect(result.code == 1, "\(result.error)")
    #expect(result.error.isEmpty)
    #expect(
      result.output.contains(
        "migrations-examples/postgres/0006_index_orders_status_created_at.sql:4:1: "
          + "error[require-concurrent-index]"
      )
    )
  }

  @Test("a syntax error exits 2 with a located message on stderr")
  func syntaxErrorExitCode() throws {
    let result = try run(["lint", "fixtures/invalid/syntax_error_add_column.sql"])
    #expect(result.code == 2)
    #expect(
      result.error.contains(
        "fixtures/invalid/syntax_error_add_column.sql:3:30: error: expected a column name"
      )
    )
  }

  @Test("unknown options exit 64")
  func usageExitCode() throws {
    #expect(try run(["lint", "--no-such-flag", "x.sql"]).code == 64)
  }

  @Test("standard input is read when the path is -")
  func standardInput() throws {
    let result = try run(["lint", "--format", "json", "-"], input: "CREATE INDEX i ON t (a);\n")
    // t is unknown, so it is assumed to exist and be in use: a plain CREATE INDEX is an error.
    #expect(result.code == 1, "\(result.error)")
    #expect(result.output.contains("require-concurrent-index"))
    #expect(result.output.contains("\"path\": \"<stdin>\""))
    #expect(result.output.contains("\"kind\": \"create_index\""))
  }

  func git(_ arguments: [String], in directory: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
    process.currentDirectoryURL = directory
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "git \(arguments)")
  }

  @Test("--since reports only changed files but replays the others as context")
  func sinceReportsChangedFilesOnly() throws {
    let scratch = try ScratchDirectory()
    try scratch.write(
      "m/0001_create.sql",
      "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
    )
    try scratch.write("m/0002_index.sql", "CREATE INDEX users_email_idx ON users (email);\n")
    try git(["init", "-q"], in: scratch.url)
    try git(["add", "."], in: scratch.url)
    try git(["commit", "-q", "-m", "base"], in: scratch.url)
    try scratch.write("m/0003_rename.sql", "ALTER TABLE users RENAME COLUMN email TO mail;\n")
    let result = try run(["lint", "--format", "json", "--since", "HEAD", "m"], in: scratch.url)
    #expect(result.code == 1, "\(result.error)")
    let document = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
    )
    let paths = (document["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    #expect(paths == ["m/0003_rename.sql"])
    // 0001 was replayed: the rename's help knows the column's type from it.
    #expect(result.output.contains("renaming-column"))
    #expect(result.output.contains("ADD COLUMN mail text"))
    let bad = try run(["lint", "--since", "no-such-ref", "m"], in: scratch.url)
    #expect(bad.code == 2)
    #expect(bad.error.contains("--since"))
  }
}
