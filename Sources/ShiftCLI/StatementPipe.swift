import Dispatch
import ShiftCore
import ShiftSyntax
import Synchronization

/// Parses a file on another thread and hands its statements over in batches, so parsing
/// the next statements overlaps linting the current ones.
///
/// The pipe holds at most ``capacity`` batches: a parser that runs ahead waits, and memory
/// stays bounded however long the file is.
///
/// ```swift
/// let pipe = StatementPipe.parse(source, dialect: .postgres)
/// while let batch = pipe.next() { for statement in batch { … } }
/// let errors = pipe.errors
/// ```
final class StatementPipe: Sendable {
  /// Statements per batch: large enough that handing over costs little per statement.
  static let batchSize = 256
  /// Batches parsed ahead at most.
  static let capacity = 16

  private struct State {
    var batches: [[Statement]] = []
    var isFinished = false
    var errors: [SyntaxError] = []
  }

  private let state = Mutex(State())
  /// Counts the batches ready to take (and the end of the file).
  private let ready = DispatchSemaphore(value: 0)
  /// Counts the free places for batches.
  private let free = DispatchSemaphore(value: StatementPipe.capacity)

  private init() {}

  /// Starts parsing `source` on a background thread.
  static func parse(_ source: SourceFile, dialect: Dialect) -> StatementPipe {
    let pipe = StatementPipe()
    DispatchQueue.global().async {
      var batch: [Statement] = []
      batch.reserveCapacity(batchSize)
      let errors = SQLParser.forEachStatement(in: source, dialect: dialect) { statement in
        batch.append(statement)
        if batch.count == batchSize {
          pipe.send(batch)
          batch = []
          batch.reserveCapacity(batchSize)
        }
      }
      if !batch.isEmpty { pipe.send(batch) }
      pipe.state.withLock {
        $0.isFinished = true
        $0.errors = errors
      }
      pipe.ready.signal()
    }
    return pipe
  }

  private func send(_ batch: [Statement]) {
    free.wait()
    state.withLock { $0.batches.append(batch) }
    ready.signal()
  }

  /// The next batch in file order, waiting for the parser; `nil` after the last one.
  func next() -> [Statement]? {
    ready.wait()
    let batch: [Statement]? = state.withLock { state in
      state.batches.isEmpty ? nil : state.batches.removeFirst()
    }
    guard let batch else {
      // The end of the file: leave the signal for any later call.
      ready.signal()
      return nil
    }
    free.signal()
    return batch
  }

  /// The file's errors, in order; complete once ``next()`` returned `nil`.
  var errors: [SyntaxError] { state.withLock { $0.errors } }
}
