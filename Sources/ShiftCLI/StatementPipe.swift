import Dispatch
import ShiftCore
import ShiftSyntax
import Synchronization

/// Batches handed from one thread to another, in order, with at most ``capacity`` waiting:
/// a producer that runs ahead waits, so memory stays bounded however long the input is.
final class BatchPipe<Element: Sendable>: Sendable {
  /// Batches waiting at most.
  static var capacity: Int { 16 }

  private struct State {
    var batches: [[Element]] = []
    var errors: [SyntaxError] = []
  }

  private let state = Mutex(State())
  /// Counts the batches ready to take (and the end).
  private let ready = DispatchSemaphore(value: 0)
  /// Counts the free places for batches.
  private let free = DispatchSemaphore(value: BatchPipe.capacity)

  init() {}

  /// Hands over a batch, waiting while ``capacity`` batches are waiting already.
  func send(_ batch: [Element]) {
    free.wait()
    state.withLock { $0.batches.append(batch) }
    ready.signal()
  }

  /// Ends the input, with the errors found in it.
  func finish(errors: [SyntaxError] = []) {
    state.withLock { $0.errors = errors }
    ready.signal()
  }

  /// The next batch in order, waiting for the producer; `nil` after the last one.
  func next() -> [Element]? {
    ready.wait()
    let batch: [Element]? = state.withLock { state in
      state.batches.isEmpty ? nil : state.batches.removeFirst()
    }
    guard let batch else {
      // The end: leave the signal for any later call.
      ready.signal()
      return nil
    }
    free.signal()
    return batch
  }

  /// The errors ``finish(errors:)`` gave; complete once ``next()`` returned `nil`.
  var errors: [SyntaxError] { state.withLock { $0.errors } }
}

/// Parses a file on another thread and hands its statements over in batches, so parsing
/// the next statements overlaps linting the current ones.
///
/// ```swift
/// let pipe = StatementPipe.parse(source, dialect: .postgres)
/// while let batch = pipe.next() { for statement in batch { … } }
/// let errors = pipe.errors
/// ```
enum StatementPipe {
  /// Statements per batch: large enough that handing over costs little per statement.
  static let batchSize = 256
  /// Batches parsed ahead at most.
  static var capacity: Int { BatchPipe<Statement>.capacity }

  /// Starts parsing `source` on a background thread.
  static func parse(_ source: SourceFile, dialect: Dialect) -> BatchPipe<Statement> {
    let pipe = BatchPipe<Statement>()
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
      pipe.finish(errors: errors)
    }
    return pipe
  }
}
