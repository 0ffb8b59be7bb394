import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftReport
import ShiftSchema
import ShiftSyntax
import Testing

@testable import ShiftCLI

/// The comparison of the effect model with a trace, without a database: which differences
/// count and which are explained.
@Suite struct TraceComparisonTests {
  static let users = RelationName(schema: "public", name: "users")
  static let usersTable = ObservedRelation(name: users, kind: .table)

  static func statement(_ sql: String) throws -> Statement {
    try #require(SQLParser.parse(sql).statements.first)
  }

  static func traced(
    locks: [ObservedLock] = [],
    observed: Bool = true,
    rewritten: [ObservedRelation] = [],
    scans: [ObservedScan] = [],
    heldBefore: [ObservedLock] = []
  ) -> TracedStatement {
    TracedStatement(
      result: TraceResult(
        sql: "",
        serverVersion: 150_018,
        execution: observed ? .rolledBack : .outsideTransaction,
        locksObserved: observed,
        locks: locks,
        rewrittenRelations: rewritten,
        scans: scans,
        createdRelations: [],
        droppedRelations: [],
        alteredRelations: [],
        duration: .zero,
        notes: []
      ),
      locksHeldBefore: heldBefore,
      locksHeldAfter: []
    )
  }

  static func effect(
    _ mode: LockMode?,
    rewrites: Bool = false,
    scans: Bool = false
  ) -> StatementEffect {
    let name = ObjectName(schema: "public", name: "users")
    return StatementEffect(
      locks: mode.map { [RelationLock(target: .relation(name), mode: $0)] } ?? [],
      rewrittenRelations: rewrites ? [name] : [],
      scannedRelations: scans ? [name] : []
    )
  }

  @Test("agreeing lock, rewrite and scan give no difference")
  func agreement() throws {
    let outcome = TraceComparison.compare(
      model: Self.effect(.accessExclusive, rewrites: true, scans: true),
      traced: Self.traced(
        locks: [ObservedLock(relation: Self.usersTable, mode: .accessExclusive)],
        rewritten: [Self.usersTable],
        scans: [
          .init(
            table: Self.users,
            sequentialScans: 1,
            rowsRead: 10,
            indexScans: 0,
            rowsFetchedByIndex: 0
          )
        ]
      ),
      statement: try Self.statement("ALTER TABLE users ALTER COLUMN a TYPE bigint"),
      dialect: .postgres,
      tablesWithRows: ["users"]
    )
    #expect(outcome == .init())
  }

  @Test("a different mode, a missing rewrite and an unexpected scan are differences")
  func differences() throws {
    let outcome = TraceComparison.compare(
      model: Self.effect(.share, rewrites: true),
      traced: Self.traced(
        locks: [ObservedLock(relation: Self.usersTable, mode: .accessExclusive)],
        scans: [
          .init(
            table: Self.users,
            sequentialScans: 1,
            rowsRead: 10,
            indexScans: 0,
            rowsFetchedByIndex: 0
          )
        ]
      ),
      statement: try Self.statement("CREATE INDEX i ON users (a)"),
      dialect: .postgres,
      tablesWithRows: ["users"]
    )
    #expect(
      outcome.differences.map(\.sentence) == [
        "lock on users: model SHARE, trace ACCESS EXCLUSIVE",
        "rewrite on users: model rewritten, trace not rewritten",
        "scan on users: model not scanned, trace scanned",
      ]
    )
  }

  @Test("locks held before, unobservable locks, empty tables and planner scans are explained")
  func explained() throws {
    let held = TraceComparison.compare(
      model: Self.effect(.accessExclusive),
      traced: Self.traced(
        heldBefore: [ObservedLock(relation: Self.usersTable, mode: .accessExclusive)]
      ),
      statement: try Self.statement("ALTER TABLE users ADD COLUMN b int"),
      dialect: .postgres,
      tablesWithRows: ["users"]
    )
    #expect(held.differences.isEmpty)
    #expect(held.explained.first?.hasPrefix("users ACCESS EXCLUSIVE was already held") == true)
    let outside = TraceComparison.compare(
      model: Self.effect(.shareUpdateExclusive, scans: true),
      traced: Self.traced(observed: false),
      statement: try Self.statement("CREATE INDEX CONCURRENTLY i ON users (a)"),
      dialect: .postgres,
      tablesWithRows: []
    )
    #expect(outside.differences.isEmpty)
    #expect(outside.explained.count == 2)
    let planner = TraceComparison.compare(
      model: Self.effect(.rowExclusive),
      traced: Self.traced(
        locks: [ObservedLock(relation: Self.usersTable, mode: .rowExclusive)],
        scans: [
          .init(
            table: Self.users,
            sequentialScans: 1,
            rowsRead: 10,
            indexScans: 0,
            rowsFetchedByIndex: 0
          )
        ]
      ),
      statement: try Self.statement("UPDATE users SET a = 1 WHERE b = 2"),
      dialect: .postgres,
      tablesWithRows: ["users"]
    )
    #expect(planner.differences.isEmpty)
    #expect(planner.explained.first?.hasPrefix("the planner chose a sequential scan") == true)
  }
}
