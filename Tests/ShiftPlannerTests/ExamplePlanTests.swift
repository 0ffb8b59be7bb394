import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftPlanner
import ShiftSyntax
import ShiftTestSupport
import Testing

/// A plan of example migrations: the files planned together and the files replayed before
/// them as schema.
struct ExamplePlan: Sendable, CustomTestStringConvertible {
  var name: String
  var dialect: Dialect
  var schema: [URL]
  var files: [URL]

  var testDescription: String { name }

  /// Every example file planned on its own after the earlier ones, the full-name story
  /// (0002-0004) as one plan, and each whole set as one plan.
  static let all: [ExamplePlan] = {
    var plans: [ExamplePlan] = []
    for (directory, dialect) in [("postgres", Dialect.postgres), ("sqlite", .sqlite)] {
      let files = Fixtures.files(in: "migrations-examples/\(directory)")
      for (position, file) in files.enumerated() where position > 0 {
        plans.append(
          ExamplePlan(
            name: "\(directory)-" + file.deletingPathExtension().lastPathComponent,
            dialect: dialect,
            schema: Array(files[..<position]),
            files: [file]
          )
        )
      }
      plans.append(
        ExamplePlan(name: "\(directory)-all", dialect: dialect, schema: [], files: files)
      )
      if files.count > 4 {
        plans.append(
          ExamplePlan(
            name: "\(directory)-story-full-name",
            dialect: dialect,
            schema: [files[0]],
            files: Array(files[1...3])
          )
        )
      }
    }
    return plans
  }()

  func parsedSchema() throws -> [ParsedFile] {
    try schema.map { try PlannerHarness.parse($0, dialect: dialect) }
  }

  func plan() throws -> Plan {
    PlannerHarness.plan(
      files: try files.map { try PlannerHarness.parse($0, dialect: dialect) },
      schema: try parsedSchema(),
      dialect: dialect
    )
  }
}

/// Each fixture of `fixtures/postgres` and `fixtures/sqlite` planned on its own.
let fixturePlans: [ExamplePlan] = [("postgres", Dialect.postgres), ("sqlite", .sqlite)].flatMap {
  directory,
  dialect in
  Fixtures.files(in: "fixtures/\(directory)").map {
    ExamplePlan(
      name: "fixture-\(directory)-" + $0.deletingPathExtension().lastPathComponent,
      dialect: dialect,
      schema: [],
      files: [$0]
    )
  }
}

@Suite struct ExamplePlanTests {
  /// `Snapshots/<plan>/<file>`: the committed plan of each example. `RECORD_SNAPSHOTS=1`
  /// rewrites them (and the run fails so that a recording is never taken for a pass).
  @Test(arguments: ExamplePlan.all)
  func examplePlanMatchesGoldenFiles(_ example: ExamplePlan) throws {
    let plan = try example.plan()
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Snapshots").appendingPathComponent(example.name)
    let files = PlanRenderer(plan: plan).files()
    let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    if recording {
      try? FileManager.default.removeItem(at: directory)
      for file in files {
        let url = directory.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(),
          withIntermediateDirectories: true
        )
        try Data(file.contents.utf8).write(to: url)
      }
      Issue.record("recorded \(example.name); run again without RECORD_SNAPSHOTS")
      return
    }
    for file in files {
      let url = directory.appendingPathComponent(file.path)
      guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record(
          "missing golden file \(example.name)/\(file.path) (record with RECORD_SNAPSHOTS=1)"
        )
        continue
      }
      if expected != file.contents {
        let actualLines = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
          zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?
          .offset ?? min(actualLines.count, expectedLines.count)
        Issue.record(
          """
          \(example.name)/\(file.path) differs at line \(line + 1) (re-record with RECORD_SNAPSHOTS=1)
          expected: \(line < expectedLines.count ? String(expectedLines[line]) : "<end>")
          actual:   \(line < actualLines.count ? String(actualLines[line]) : "<end>")
          """
        )
      }
    }
    let backfills = directory.appendingPathComponent("backfills")
    let committed = (try? FileManager.default.contentsOfDirectory(atPath: backfills.path)) ?? []
    let written = Set(files.map(\.path).filter { $0.hasPrefix("backfills/") })
    for name in committed where !written.contains("backfills/" + name) {
      Issue.record("stale golden file \(example.name)/backfills/\(name)")
    }
  }

  /// A plan must never contain what the analyzer flags: every statement of every plan of
  /// the examples and fixtures lints without a warning or an error.
  @Test(arguments: ExamplePlan.all + fixturePlans)
  func everyPlannedStatementLintsClean(_ example: ExamplePlan) throws {
    let plan = try example.plan()
    for problem in PlannerHarness.lintProblems(plan, schema: try example.parsedSchema()) {
      Issue.record("\(example.name) \(problem)")
    }
  }

  @Test func fullNameStoryComesOutRight() throws {
    let story = try #require(ExamplePlan.all.first { $0.name == "postgres-story-full-name" })
    let plan = try story.plan()
    #expect(
      plan.steps(in: .expand).map(\.summary) == [
        "add column users.full_name",
        "trigger users_full_name_safeshift_sync: fill users.full_name when the running version writes first_name, last_name",
      ]
    )
    let backfill = try #require(plan.backfills.first)
    #expect(plan.backfills.count == 1)
    #expect(backfill.table == "users")
    #expect(backfill.keyColumns == ["id"])
    #expect(
      backfill.assignments == [
        .init(column: "full_name", expression: "first_name || ' ' || last_name")
      ]
    )
    #expect(
      plan.steps(in: .contract).map(\.summary) == [
        "remove sync trigger users_full_name_safeshift_sync",
        "drop column users.first_name",
        "drop column users.last_name",
      ]
    )
    #expect(
      plan.steps(in: .contract).compactMap(\.backup).map(\.columns) == [
        ["first_name"], ["last_name"],
      ]
    )
    #expect(!plan.hasUnsafeParts)
  }
}
