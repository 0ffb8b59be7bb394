import ShiftCore
import ShiftSyntax
import Testing

/// Mutates every fixture (truncations, random bytes, stray quotes and brackets) and checks
/// that each result is a parse or a located error, never a crash or a hang.
@Suite(.timeLimit(.minutes(1)))
struct RobustnessTests {
  /// Text that opens or closes a construct when dropped into SQL.
  static let fragments: [[UInt8]] = [
    "'", "\"", "$$", "$a$", "/*", "*/", "(", ")", "[", ";", "--", "E'", "U&'", "\\", "BEGIN ",
    " END",
    "CASE ", "CREATE FUNCTION f() ", "COPY t FROM stdin;\n", "\u{0}", "é", "\u{FFFD}",
  ].map { Array($0.utf8) }

  /// A seed from the file name, stable across runs (Swift's `Hasher` is not).
  static func seed(_ name: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01B3
    }
    return hash
  }

  /// The mutated variants of `bytes`: truncations, random-byte and fragment insertions.
  static func mutations(of bytes: [UInt8], seed: UInt64) -> [[UInt8]] {
    var random = SplitMix64(seed: seed)
    var variants: [[UInt8]] = []
    let count = bytes.count
    // Truncation at evenly spaced and at random offsets.
    for step in 0..<12 { variants.append(Array(bytes.prefix(count * step / 12))) }
    for _ in 0..<12 {
      variants.append(Array(bytes.prefix(Int.random(in: 0...count, using: &random))))
    }
    // One to three random bytes, any value, at a random point.
    for _ in 0..<16 {
      var copy = bytes
      let at = Int.random(in: 0...count, using: &random)
      let inserted = (0..<Int.random(in: 1...3, using: &random)).map { _ in
        UInt8.random(in: 0...255, using: &random)
      }
      copy.insert(contentsOf: inserted, at: at)
      variants.append(copy)
    }
    // Random printable ASCII, so the file stays valid UTF-8 and reaches the parser.
    for _ in 0..<16 {
      var copy = bytes
      let at = Int.random(in: 0...count, using: &random)
      copy.insert(UInt8.random(in: 0x20...0x7E, using: &random), at: at)
      variants.append(copy)
    }
    // Fragments that open quotes, comments, bodies and groups.
    for _ in 0..<24 {
      var copy = bytes
      let fragment = fragments[Int.random(in: 0..<fragments.count, using: &random)]
      copy.insert(contentsOf: fragment, at: Int.random(in: 0...count, using: &random))
      variants.append(copy)
    }
    return variants
  }

  /// Every error is located inside the file with a message; statements are ordered,
  /// disjoint and inside the file; lexing stays lossless.
  static func checkInvariants(_ bytes: [UInt8], _ dialect: Dialect, _ label: String) {
    let source = SourceFile(path: label, bytes: bytes)
    let parsed = SQLParser.parse(source, dialect: dialect)
    var previousStart = -1
    for error in parsed.errors {
      #expect(
        error.location.line >= 1 && error.location.line <= source.lineCount + 1,
        "\(label): \(error)"
      )
      #expect(error.location.column >= 1, "\(label): \(error)")
      #expect(!error.message.isEmpty, "\(label)")
      #expect(error.range.start >= 0 && error.range.end <= bytes.count, "\(label): \(error.range)")
      #expect(source.location(at: error.range.start) == error.location, "\(label): \(error)")
      #expect(error.range.start >= previousStart, "\(label): errors out of order")
      previousStart = error.range.start
    }
    var previousEnd = 0
    for statement in parsed.statements {
      let range = statement.range
      #expect(range.start >= previousEnd && range.end <= bytes.count, "\(label): \(range)")
      previousEnd = range.end
      if let error = statement.syntaxError {
        #expect(statement.kindName == "other", "\(label)")
        #expect(parsed.errors.contains(error), "\(label)")
      }
    }
    let withErrors = parsed.statements.filter { $0.syntaxError != nil }.count
    #expect(parsed.errors.count >= withErrors, "\(label)")
    let tokens = Lexer.tokenize(source, dialect: dialect)
    #expect(tokens.reduce(0) { $0 + ($1.end - $1.start) } == bytes.count, "\(label)")
  }

  @Test(arguments: FixtureFile.all)
  func mutatedFixturesParseOrReportLocatedErrors(_ file: FixtureFile) throws {
    let bytes = try file.bytes()
    let variants = Self.mutations(of: bytes, seed: Self.seed(file.name))
    #expect(variants.count == 80)
    for (number, variant) in variants.enumerated() {
      Self.checkInvariants(variant, file.dialect, "\(file.name)#\(number)")
    }
  }

  @Test(arguments: [Dialect.postgres, .sqlite])
  func everyPrefixOfAStatementMixIsHandled(_ dialect: Dialect) {
    let sql = """
      CREATE TABLE t (a int DEFAULT 1 CHECK (a > 0), b text COLLATE "C");
      ALTER TABLE t ADD COLUMN c int REFERENCES u (id), ALTER COLUMN a TYPE bigint USING a::bigint;
      CREATE UNIQUE INDEX i ON t (lower(b)) WHERE a IS NOT NULL;
      CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT CASE WHEN 1 THEN 2 END; END;
      INSERT INTO t (a) SELECT 1; UPDATE t SET a = 2 WHERE b = 'x'; -- done
      """
    let bytes = Array(sql.utf8)
    for length in 0...bytes.count {
      Self.checkInvariants(Array(bytes.prefix(length)), dialect, "prefix \(length)")
    }
  }
}
