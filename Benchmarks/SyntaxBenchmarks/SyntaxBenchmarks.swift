import Benchmark
import Foundation
import ShiftCore
import ShiftSyntax

/// Statements in the in-process corpus: large enough to dwarf per-call overhead (about 1 MB
/// of SQL), small enough that every benchmark gets dozens of iterations in a few seconds.
private let corpusStatements = 10_000

/// The corpus, generated once per process (global `let`s are initialized lazily and once).
private let corpus = SourceFile(
  path: "corpus.sql",
  text: CorpusGenerator.corpus(statements: corpusStatements)
)

/// Statements per second and megabytes (10^6 bytes) per second of one iteration, recorded
/// from our own clock so the figures read directly, whatever the iteration count.
private enum Rate {
  static let statements = BenchmarkMetric.custom(
    "statements/s",
    polarity: .prefersLarger,
    useScalingFactor: false
  )
  static let megabytes = BenchmarkMetric.custom(
    "MB/s",
    polarity: .prefersLarger,
    useScalingFactor: false
  )

  static func record(_ benchmark: Benchmark, elapsed: Duration, statements: Int, bytes: Int) {
    let seconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    guard seconds > 0 else { return }
    benchmark.measurement(Rate.statements, Int(Double(statements) / seconds))
    benchmark.measurement(Rate.megabytes, Int(Double(bytes) / seconds / 1e6))
  }
}

/// An optional file corpus, such as the one `Scripts/bench-vs-squawk.sh` generates
/// (`SAFESHIFT_BENCH_CORPUS=../.build/bench/corpus-60000-1.sql swift package benchmark`).
private let fileCorpus: SourceFile? = {
  guard let path = ProcessInfo.processInfo.environment["SAFESHIFT_BENCH_CORPUS"],
    let data = FileManager.default.contents(atPath: path)
  else { return nil }
  return SourceFile(path: path, bytes: [UInt8](data))
}()

/// Lexes, splits and parses `source`, recording the rates; flags any syntax error.
private func parseAll(_ source: SourceFile, _ benchmark: Benchmark, expected: Int?) {
  let clock = ContinuousClock()
  for _ in benchmark.scaledIterations {
    var statements = 0
    var errors: [SyntaxError] = []
    let elapsed = clock.measure {
      errors = SQLParser.forEachStatement(in: source, dialect: .postgres) { statement in
        blackHole(statement)
        statements += 1
      }
    }
    if !errors.isEmpty || (expected.map { $0 != statements } ?? false) {
      benchmark.error(
        "expected \(expected.map(String.init) ?? "any number of") statements and no errors, "
          + "got \(statements) statements and \(errors.count) errors"
      )
    }
    Rate.record(benchmark, elapsed: elapsed, statements: statements, bytes: source.bytes.count)
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [
      .wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, Rate.statements,
      Rate.megabytes,
    ],
    warmupIterations: 2,
    scalingFactor: .one,
    maxDuration: .seconds(5),
    maxIterations: 200
  )

  // Lexing alone: every token of the corpus, trivia included, nothing stored.
  Benchmark("Lex (\(corpusStatements) statements)") { benchmark in
    let source = corpus
    let clock = ContinuousClock()
    for _ in benchmark.scaledIterations {
      var tokens = 0
      let elapsed = clock.measure {
        source.bytes.withUnsafeBufferPointer { bytes in
          var lexer = Lexer(bytes: bytes, dialect: .postgres)
          while lexer.next() != nil { tokens += 1 }
        }
      }
      blackHole(tokens)
      Rate.record(
        benchmark,
        elapsed: elapsed,
        statements: corpusStatements,
        bytes: source.bytes.count
      )
    }
  }

  // Lexing into the token array, as the formatter and disable-comment scanner use it.
  Benchmark("Tokenize to array (\(corpusStatements) statements)") { benchmark in
    let source = corpus
    let clock = ContinuousClock()
    for _ in benchmark.scaledIterations {
      var tokens: [Token] = []
      let elapsed = clock.measure {
        tokens = Lexer.tokenize(source, dialect: .postgres)
      }
      blackHole(tokens.count)
      Rate.record(
        benchmark,
        elapsed: elapsed,
        statements: corpusStatements,
        bytes: source.bytes.count
      )
    }
  }

  // The whole front end as `safeshift lint` drives it: lex, split and parse each statement,
  // streamed so memory stays bounded by the file.
  Benchmark("Lex + split + parse (\(corpusStatements) statements)") { benchmark in
    parseAll(corpus, benchmark, expected: corpusStatements)
  }

  if let fileCorpus {
    let name = fileCorpus.path.split(separator: "/").last.map(String.init) ?? fileCorpus.path
    Benchmark(
      "Lex + split + parse (\(name))",
      configuration: .init(maxDuration: .seconds(10), maxIterations: 30)
    ) { benchmark in
      parseAll(fileCorpus, benchmark, expected: nil)
    }
  }
}
