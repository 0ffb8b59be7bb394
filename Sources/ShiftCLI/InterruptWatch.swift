import Dispatch
import ShiftPostgres
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into a request to stop, so that `trace` can cancel the
/// running statement (a server-side cancel through libpq, which is safe from any thread),
/// then drop its scratch database before exiting, instead of dying with it left behind.
///
/// While the watch runs, the signals' actions are set to ignore and Dispatch signal
/// sources observe them; ``stop()`` restores the previous actions.
final class InterruptWatch: @unchecked Sendable {
  // Invariant making @unchecked Sendable true: `state` is only touched under its Mutex;
  // `sources` and `previousHandlers` are written in `init` and `stop()` only, both on the
  // owning thread, while the sources' handlers touch only `state`.
  private let state = Mutex<State>(State())
  private var sources: [any DispatchSourceSignal] = []
  /// The dispositions the signals had before, restored by ``stop()``.
  private var previousHandlers: [(Int32, Handler?)] = []

  private typealias Handler = @convention(c) (Int32) -> Void

  private struct State: Sendable {
    var signal: Int32?
    var canceller: PostgresCanceller?
  }

  private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  /// Starts watching.
  init() {
    for number in Self.signals {
      previousHandlers.append((number, signal(number, SIG_IGN)))
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [weak self] in
        let canceller: PostgresCanceller? = self?.state.withLock { current -> PostgresCanceller? in
          current.signal = current.signal ?? number
          return current.canceller
        }
        canceller?.cancel()
      }
      source.resume()
      sources.append(source)
    }
  }

  /// The signal received, if any.
  var signalReceived: Int32? { state.withLock { $0.signal } }

  /// Sets the canceller of the session whose statement a signal should cancel.
  func watch(_ canceller: PostgresCanceller?) {
    state.withLock { $0.canceller = canceller }
  }

  /// Stops watching and restores the signals' previous dispositions.
  func stop() {
    for source in sources { source.cancel() }
    sources = []
    state.withLock { $0.canceller = nil }
    for (number, handler) in previousHandlers { signal(number, handler) }
    previousHandlers = []
  }
}
