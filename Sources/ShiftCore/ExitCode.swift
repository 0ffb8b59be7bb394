/// The documented process exit codes of `safeshift` (DESIGN.md, "Exit codes").
public enum ShiftExitCode: Int32, Sendable {
  /// Nothing at or above `--fail-on`.
  case success = 0
  /// Findings at or above `--fail-on`.
  case findings = 1
  /// The job could not be done: unreadable file, SQL that cannot be split, database error.
  case failure = 2
  /// Command-line usage error.
  case usage = 64
}
