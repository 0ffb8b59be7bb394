import ShiftAnalysis
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftSchema
import ShiftSyntax
import Testing

/// The differential test of the effect model: for every case of `PostgresLockFactsTests`,
/// the model (run on the catalog the fixture SQL replays to) must predict the table locks,
/// rewrites and scans that `StatementTracer` measures on the live server.
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct EffectModelAgreesWithPostgresTests {
  /// Facts the server cannot show: statements that must run outside a transaction block
  /// release their locks before the tracer can look. Their rewrites and scans are still
  /// compared; their locks are compared with what the model documents instead.
  static let unobservableLocks: [String: [String: LockMode]] = [
    "create-index-concurrently": ["users": .shareUpdateExclusive],
    "drop-index-concurrently": ["users": .shareUpdateExclusive],
    "reindex-concurrently": ["users": .shareUpdateExclusive],
    "vacuum-full": ["users": .accessExclusive],
    "vacuum": ["users": .shareUpdateExclusive],
    "detach-partition-concurrently": [
      "events": .shareUpdateExclusive, "events_2025": .shareUpdateExclusive,
    ],
  ]

  /// The fixture, replayed as context (`--schema`) so its tables are not "new".
  static let fixture = SQLParser.parse(
    LockFactsFixture.sql,
    dialect: .postgres,
    path: "lock-facts-fixture.sql"
  )

  /// Whether the fact's session runs with a UTC TimeZone (the server's default is
  /// `Etc/UTC`, see docs/postgres-lock-facts.md).
  static func timeZoneIsUTC(_ fact: LockFact) -> Bool {
    let zone = fact.settings.last { $0.name.lowercased() == "timezone" }?.value ?? "Etc/UTC"
    return ["utc", "etc/utc"].contains(zone.lowercased())
  }

  /// The model's effect for the fact's statement on the fixture (PostgreSQL 15).
  static func modelEffect(_ fact: LockFact) throws -> StatementEffect {
    var analyzer = EffectAnalyzer(
      settings: EffectSettings(pgVersion: 15, sessionTimeZoneIsUTC: timeZoneIsUTC(fact))
    )
    analyzer.replaySchema(fixture)
    let file = SQLParser.parse(
      "SET search_path = facts;\n\(fact.sql);\n",
      dialect: .postgres,
      path: "\(fact.id).sql"
    )
    #expect(file.errors.isEmpty, "\(fact.id): \(file.errors)")
    let analyzed = analyzer.analyze(file)
    return try #require(analyzed.last?.effect)
  }

  /// A scratch database of this suite's own, so it can run in parallel with
  /// `PostgresLockFactsTests` (which rebuilds the same schema in its database).
  static let database: Result<String, any Error> = Result {
    try TestDatabase.createScratchDatabase("safeshift_effect_model")
  }

  /// A session on a freshly built fixture, as `LockFactsFixture.connect()` but in this
  /// suite's database.
  static func connect() throws -> PostgresConnection {
    var connection = try PostgresConnection(connectingTo: try database.get())
    try connection.execute("SET client_min_messages = warning")
    try connection.execute(LockFactsFixture.sql)
    return connection
  }

  static func name(_ name: ObjectName) -> String {
    name.schema == LockFactsFixture.schema ? name.name : name.description
  }

  /// The model's locks on relations that existed before the statement.
  static func modelLocks(_ effect: StatementEffect) -> [String: LockMode] {
    var locks: [String: LockMode] = [:]
    for lock in effect.locks where !lock.isCreatedByStatement {
      guard let relation = lock.relation else { continue }
      locks[name(relation)] = lock.mode
    }
    return locks
  }

  @Test(
    "the effect model predicts what PostgreSQL does",
    .timeLimit(.minutes(1)),
    arguments: PostgresLockFactsTests.facts
  )
  func agrees(_ fact: LockFact) throws {
    let effect = try Self.modelEffect(fact)
    var connection = try Self.connect()
    let result = try StatementTracer(settings: fact.settings).trace(fact.sql, on: &connection)
    let context = Comment(rawValue: "\(fact.id): model \(effect.locks) vs server \(result)")
    let modelLocks = Self.modelLocks(effect)
    if result.locksObserved {
      #expect(Self.unobservableLocks[fact.id] == nil, "listed as unobservable but observed")
      #expect(modelLocks == PostgresLockFactsTests.names(result.tableLocks), context)
    } else {
      let documented = try #require(
        Self.unobservableLocks[fact.id],
        "\(fact.id): locks not observable; add the case to the exception list"
      )
      #expect(modelLocks == documented, context)
      #expect(effect.requiresOutsideTransaction, context)
    }
    #expect(
      Set(effect.rewrittenRelations.map(Self.name))
        == PostgresLockFactsTests.names(result.rewrittenTables),
      context
    )
    #expect(
      Set(effect.scannedRelations.map(Self.name))
        == PostgresLockFactsTests.names(result.scannedTables),
      context
    )
  }

  @Test("every exception names a case that runs outside a transaction")
  func exceptionsAreCases() {
    let outside = Set(PostgresLockFactsTests.facts.filter(\.outside).map(\.id))
    #expect(Set(Self.unobservableLocks.keys) == outside)
  }
}
