import Foundation
import ShiftCLI
import ShiftTestSupport
import Testing

/// The paths of the files in a `lint --format json` document, relative to `root`.
private func lintedFiles(_ output: String, root: URL) throws -> [String] {
  let document = try #require(
    try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
  )
  let files = try #require(document["files"] as? [[String: Any]])
  return files.compactMap {
    ($0["path"] as? String)?.replacingOccurrences(of: root.path + "/", with: "")
  }
}

/// Statement positions `(line, column)` of each file in a JSON document.
private func positions(_ output: String) throws -> [[[Int]]] {
  let document = try #require(
    try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
  )
  let files = try #require(document["files"] as? [[String: Any]])
  return files.map { file in
    ((file["statements"] as? [[String: Any]]) ?? []).map {
      [($0["line"] as? Int) ?? 0, ($0["column"] as? Int) ?? 0]
    }
  }
}

@Suite
struct RunnerLayoutTests {
  @Test("a goose folder lints the up sections in version order, positions true to the file")
  func gooseUp() throws {
    let scratch = try ScratchDirectory()
    try scratch.write(
      "10_c.sql",
      "-- +goose Up\nCREATE TABLE c (id int);\n-- +goose Down\nDROP TABLE c;\n"
    )
    try scratch.write(
      "2_b.sql",
      "-- +goose Up\n\n  CREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE b;\n"
    )
    let result = runSafeShift(["lint", "--format", "json", scratch.url.path])
    #expect(result.code == 0, "\(result.error)")
    #expect(try lintedFiles(result.output, root: scratch.url) == ["2_b.sql", "10_c.sql"])
    #expect(try positions(result.output) == [[[3, 3]], [[2, 1]]])
    #expect(!result.output.contains("drop_table"))
  }

  @Test("--direction down lints the down sections, newest first")
  func gooseDown() throws {
    let scratch = try ScratchDirectory()
    try scratch.write(
      "1_a.sql",
      "-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n"
    )
    try scratch.write(
      "2_b.sql",
      "-- +goose Up\nCREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE b;\n"
    )
    let result = runSafeShift(["lint", "--format", "json", "--direction", "down", scratch.url.path])
    #expect(result.code == 0, "\(result.error)")
    #expect(try lintedFiles(result.output, root: scratch.url) == ["2_b.sql", "1_a.sql"])
    #expect(try positions(result.output) == [[[4, 1]], [[4, 1]]])
    #expect(!result.output.contains("create_table"))
  }

  @Test("golang-migrate and Flyway folders follow their runner's order")
  func namedLayouts() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("go/1_a.up.sql", "CREATE TABLE a (id int);")
    try scratch.write("go/1_a.down.sql", "DROP TABLE a;")
    try scratch.write("go/10_c.up.sql", "CREATE TABLE c (id int);")
    try scratch.write("go/2_b.up.sql", "CREATE TABLE b (id int);")
    try scratch.write("fw/V1_10__c.sql", "CREATE TABLE c (id int);")
    try scratch.write("fw/V1_2__b.sql", "CREATE TABLE b (id int);")
    try scratch.write("fw/R__view.sql", "CREATE VIEW v AS SELECT 1;")
    let go = runSafeShift([
      "lint", "--format", "json", scratch.url.appendingPathComponent("go").path,
    ])
    #expect(go.code == 0, "\(go.error)")
    #expect(
      try lintedFiles(go.output, root: scratch.url) == [
        "go/1_a.up.sql", "go/2_b.up.sql", "go/10_c.up.sql",
      ]
    )
    let fw = runSafeShift([
      "lint", "--format", "json", scratch.url.appendingPathComponent("fw").path,
    ])
    #expect(fw.code == 0, "\(fw.error)")
    #expect(
      try lintedFiles(fw.output, root: scratch.url) == [
        "fw/V1_2__b.sql", "fw/V1_10__c.sql", "fw/R__view.sql",
      ]
    )
  }

  @Test("a goose file without '-- +goose Up' exits 2 naming the file")
  func missingUp() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("1_a.sql", "-- +goose Up\nCREATE TABLE a (id int);\n")
    let bad = try scratch.write("2_b.sql", "CREATE TABLE b (id int);\n")
    let result = runSafeShift(["lint", "--runner", "goose", scratch.url.path])
    #expect(result.code == 2)
    #expect(result.error.contains("\(bad): goose: no '-- +goose Up' annotation"), "\(result.error)")
  }

  @Test("an unbalanced StatementBegin exits 2 naming file and line")
  func unbalanced() throws {
    let scratch = try ScratchDirectory()
    let bad = try scratch.write(
      "1_a.sql",
      "-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE a (id int);\n-- +goose Down\n"
    )
    let result = runSafeShift(["lint", scratch.url.path])
    #expect(result.code == 2)
    #expect(result.error.contains("\(bad):2: goose: StatementBegin without"), "\(result.error)")
  }

  @Test("an ambiguous folder exits 2 and asks for --runner")
  func ambiguous() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("atlas.sum", "h1:x=\n")
    try scratch.write("1_a.sql", "-- +goose Up\nCREATE TABLE a (id int);\n")
    let result = runSafeShift(["lint", scratch.url.path])
    #expect(result.code == 2)
    #expect(result.error.contains("--runner"), "\(result.error)")
    let chosen = runSafeShift(["lint", "--runner", "goose", scratch.url.path])
    #expect(chosen.code == 0, "\(chosen.error)")
  }

  @Test("--runner plain keeps the lexical order even for runner-shaped names")
  func plainOverride() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("10_c.up.sql", "CREATE TABLE c (id int);")
    try scratch.write("2_b.up.sql", "CREATE TABLE b (id int);")
    let result = runSafeShift(["lint", "--format", "json", "--runner", "plain", scratch.url.path])
    #expect(result.code == 0, "\(result.error)")
    #expect(try lintedFiles(result.output, root: scratch.url) == ["10_c.up.sql", "2_b.up.sql"])
  }

  @Test("Prisma keeps no down migrations: --direction down exits 2")
  func prismaDown() throws {
    let scratch = try ScratchDirectory()
    try scratch.write("20240101000000_a/migration.sql", "CREATE TABLE a (id int);")
    let result = runSafeShift(["lint", "--direction", "down", scratch.url.path])
    #expect(result.code == 2)
    #expect(result.error.contains("prisma"), "\(result.error)")
  }

  @Test("bad --runner values are usage errors")
  func badRunner() {
    #expect(runSafeShift(["lint", "--runner", "rails", "x.sql"]).code == 64)
  }

  static let fixtureRunners = [
    "golang-migrate", "goose", "dbmate", "flyway", "diesel", "prisma", "sqitch", "atlas",
  ]

  @Test("each example layout in fixtures/runners is read without errors", arguments: fixtureRunners)
  func fixtures(runner: String) {
    let path = Fixtures.root.appendingPathComponent("fixtures/runners/\(runner)").path
    // Exit 1 means findings, which the examples may have; 2 would be a layout or parse error.
    let detected = runSafeShift(["lint", path])
    #expect([0, 1].contains(detected.code), "\(detected.error)")
    #expect(detected.error.isEmpty)
    let explicit = runSafeShift(["lint", "--runner", runner, path])
    #expect([0, 1].contains(explicit.code), "\(explicit.error)")
    #expect(detected.output == explicit.output)
  }
}
