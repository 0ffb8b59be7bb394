import Foundation

/// Runs external programs (pg_dump, pg_restore, kubectl, gate commands) with an
/// environment, captured output and a timeout.
public struct ProcessRunner: Sendable {
  /// What a finished program reported.
  public struct Result: Sendable {
    /// Exit status (or the signal number + 128 when killed).
    public var status: Int32
    /// Standard output.
    public var output: String
    /// Standard error.
    public var errorOutput: String
    /// Whether it was stopped because it ran past the timeout.
    public var timedOut: Bool
  }

  /// Creates a runner.
  public init() {}

  /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments`.
  ///
  /// - Parameters:
  ///   - executable: the program.
  ///   - arguments: its arguments (never a secret: any user can read them).
  ///   - environment: variables added to the process's own (secrets such as `PGPASSWORD`
  ///     go here, never into `arguments`).
  ///   - timeoutSeconds: the program is terminated (SIGTERM, then SIGKILL) after this long.
  /// - Returns: the exit status and the captured output.
  /// - Throws: ``DeployError`` `.configuration` when the program cannot be started.
  public func run(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String] = [:],
    timeoutSeconds: Double = 3600
  ) throws -> Result {
    let process = Process()
    if executable.contains("/") {
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [executable] + arguments
    }
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let outputPipe = Pipe()
    let errorPipe = Pipe()
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw DeployError(.configuration, "cannot start \(executable): \(error.localizedDescription)")
    }
    // Read both pipes concurrently so a chatty program cannot fill one and block.
    let collector = OutputCollector()
    let group = DispatchGroup()
    for (pipe, isError) in [(outputPipe, false), (errorPipe, true)] {
      group.enter()
      DispatchQueue.global().async {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        collector.store(data, isError: isError)
        group.leave()
      }
    }
    let deadline = Date().addingTimeInterval(timeoutSeconds)
    var timedOut = false
    while process.isRunning {
      if Date() >= deadline {
        timedOut = true
        process.terminate()
        let grace = Date().addingTimeInterval(2)
        while process.isRunning, Date() < grace { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        break
      }
      usleep(10_000)
    }
    process.waitUntilExit()
    group.wait()
    let (output, errorOutput) = collector.texts()
    return Result(
      status: process.terminationStatus,
      output: output,
      errorOutput: errorOutput,
      timedOut: timedOut
    )
  }
}

/// Collects a process's two output streams from reader threads.
///
/// `@unchecked Sendable`: every access to the buffers goes through `lock`.
private final class OutputCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var output = Data()
  private var errorOutput = Data()

  func store(_ data: Data, isError: Bool) {
    lock.lock()
    defer { lock.unlock() }
    if isError { errorOutput = data } else { output = data }
  }

  func texts() -> (String, String) {
    lock.lock()
    defer { lock.unlock() }
    return (String(decoding: output, as: UTF8.self), String(decoding: errorOutput, as: UTF8.self))
  }
}
