import Foundation
import ShiftCore
import ShiftDatabase
import ShiftPostgres
import ShiftSyntax
import ShiftTestSupport
import Testing

/// Differential test of the parser's verdicts against PostgreSQL's own parser.
///
/// Every statement of the PostgreSQL fixtures is mutated at the token level (a token
/// dropped, doubled, or swapped with its neighbour; seeded, so runs repeat) and both
/// parsers judge each variant. PostgreSQL's verdict is whether it reports SQLSTATE 42601;
/// each variant runs inside a transaction that is rolled back. A variant PostgreSQL accepts
/// but SafeShift rejects is a false error — the thing a linter must never do — and fails
/// the test. Variants SafeShift accepts but PostgreSQL rejects are counted only: the
/// parser is deliberately tolerant in clauses it does not model.
@Suite(.enabled(if: TestDatabase.isAvailable), .serialized)
struct MutationAgreementTests {
  struct Variant {
    var sql: String
    var origin: String
  }

  /// Seeded generator (SplitMix64) so every run tests the same variants.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var value = state
      value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
      value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
      return value ^ (value >> 31)
    }
  }

  static func variants(perStatement: Int) throws -> [Variant] {
    var generator = Generator(state: 20_261_127)
    var variants: [Variant] = []
    for file in Fixtures.files(in: "fixtures/postgres") {
      let source = SourceFile(path: file.lastPathComponent, bytes: try Fixtures.bytes(file))
      for statement in SQLParser.parse(source, dialect: .postgres).statements {
        if case .psqlMeta = statement.kind { continue }
        if case .copy = statement.kind { continue }
        let text = source.text(statement.range)
        let tokens = Lexer.tokenize(SourceFile(path: "", text: text), dialect: .postgres)
          .filter { !$0.kind.isTrivia }
        // Bodies with `;` inside (rules, BEGIN ATOMIC) would change statement boundaries.
        guard tokens.count >= 2, !tokens.contains(where: { $0.kind == .semicolon }) else {
          continue
        }
        let words = tokens.map {
          String(decoding: Array(text.utf8)[$0.start..<$0.end], as: UTF8.self)
        }
        let origin = "\(file.lastPathComponent):\(source.location(at: statement.range.start).line)"
        for _ in 0..<perStatement {
          var mutated = words
          let position = Int.random(in: 0..<words.count, using: &generator)
          switch Int.random(in: 0..<3, using: &generator) {
          case 0: mutated.remove(at: position)
          case 1: mutated.insert(words[position], at: position)
          default:
            let other = position + 1 < words.count ? position + 1 : position - 1
            mutated.swapAt(position, other)
          }
          variants.append(Variant(sql: mutated.joined(separator: " "), origin: origin))
        }
      }
    }
    return variants
  }

  @Test(
    "no statement PostgreSQL parses gets a syntax error from SafeShift",
    .timeLimit(.minutes(3))
  )
  func noFalseSyntaxErrors() throws {
    var connection = try TestDatabase.connect()
    try connection.execute("SET statement_timeout = '2s'")
    var falseErrors: [String] = []
    var tolerated = 0
    var agreed = 0
    let variants = try Self.variants(perStatement: 4)
    #expect(variants.count > 1_000)
    for variant in variants {
      let ours = SQLParser.parse(variant.sql)
      let safeShiftAccepts = ours.errors.isEmpty
      var postgresAccepts = true
      try connection.execute("BEGIN")
      do {
        try connection.executeSingleStatement(variant.sql)
      } catch {
        postgresAccepts = error.sqlstate != "42601"
      }
      try connection.execute("ROLLBACK")
      switch (postgresAccepts, safeShiftAccepts) {
      case (true, false):
        falseErrors.append(
          "\(variant.origin): \(variant.sql)\n  SafeShift: \(ours.errors[0].message)"
        )
      case (false, true):
        tolerated += 1
      default:
        agreed += 1
      }
    }
    #expect(
      falseErrors.isEmpty,
      "\(falseErrors.count) false syntax errors:\n\(falseErrors.prefix(20).joined(separator: "\n"))"
    )
    // Most variants are rejected by both; the tolerant clauses keep the rest small.
    #expect(agreed > variants.count / 2)
    print(
      "mutation agreement: \(variants.count) variants, \(agreed) agree, \(tolerated) accepted only by SafeShift, \(falseErrors.count) rejected only by SafeShift"
    )
  }
}
