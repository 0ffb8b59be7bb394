#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a command writes: standard output and standard error, or buffers in tests.
public final class Console {
  private var outputBuffer: [UInt8] = []
  private var errorBuffer: [UInt8] = []
  private let isCapturing: Bool

  /// A console writing to the process's standard output and error.
  public static func standard() -> Console { Console(capturing: false) }

  /// A console that keeps what is written, for tests.
  public static func capturing() -> Console { Console(capturing: true) }

  private init(capturing: Bool) {
    self.isCapturing = capturing
    outputBuffer.reserveCapacity(1 << 16)
  }

  deinit { flush() }

  /// Everything written to standard output so far (capturing consoles).
  public var output: String { String(decoding: outputBuffer, as: UTF8.self) }
  /// Everything written to standard error so far (capturing consoles).
  public var errorOutput: String { String(decoding: errorBuffer, as: UTF8.self) }

  /// Writes text to standard output.
  public func write(_ text: String) {
    outputBuffer.append(contentsOf: text.utf8)
    if !isCapturing, outputBuffer.count >= 1 << 16 { flushOutput() }
  }

  /// Writes raw bytes to standard output.
  public func write(bytes: [UInt8]) {
    outputBuffer.append(contentsOf: bytes)
    if !isCapturing, outputBuffer.count >= 1 << 16 { flushOutput() }
  }

  /// Writes a line (or, with `newline` false, text such as a progress bar) to standard error.
  public func error(_ text: String, newline: Bool = true) {
    errorBuffer.append(contentsOf: text.utf8)
    if newline { errorBuffer.append(0x0A) }
    if !isCapturing {
      flushOutput()
      flushError()
    }
  }

  /// Writes buffered output to the file descriptors (no-op when capturing).
  public func flush() {
    guard !isCapturing else { return }
    flushOutput()
    flushError()
  }

  private func flushOutput() {
    Self.writeAll(outputBuffer, to: 1)
    outputBuffer.removeAll(keepingCapacity: true)
  }

  private func flushError() {
    Self.writeAll(errorBuffer, to: 2)
    errorBuffer.removeAll(keepingCapacity: true)
  }

  private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Glibc.write(
          descriptor,
          raw.baseAddress.map { $0 + offset },
          raw.count - offset
        )
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}

@available(*, unavailable)
extension Console: Sendable {}
