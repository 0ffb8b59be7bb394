/// Reads and writes the quantities of size-aware findings: bytes (`4.2 GB`), rates
/// (`25 MB/s`), durations (`about 3 min`) and row counts (`50M rows`).
///
/// Byte units are powers of 1024 spelled as PostgreSQL's `pg_size_pretty` spells them
/// (`bytes`, `kB`, `MB`, `GB`, `TB`), so they compare directly with what `psql` shows.
public enum SizeFormat {
  private static let units: [(suffix: String, factor: Double)] = [
    ("TB", 1_099_511_627_776), ("GB", 1_073_741_824), ("MB", 1_048_576), ("KB", 1024),
    ("B", 1),
  ]

  /// Parses a byte count: a plain number, or a number with a unit (`4.2GB`, `500 MB`, `8kB`).
  ///
  /// - Parameter text: the text.
  /// - Returns: the bytes, or `nil` when the text is not a size.
  public static func parseBytes(_ text: String) -> Int? {
    var trimmed = text.filter { $0 != " " && $0 != "_" }.uppercased()
    if trimmed.hasSuffix("BYTES") { trimmed.removeLast(5) }
    for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
      let number = trimmed.dropLast(suffix.count)
      guard let value = Double(number), value >= 0, value.isFinite else { return nil }
      return Int((value * factor).rounded())
    }
    guard let value = Double(trimmed), value >= 0, value.isFinite else { return nil }
    return Int(value.rounded())
  }

  /// Parses a throughput: a byte count per second (`25MB/s`); the `/s` may be left out.
  public static func parseRate(_ text: String) -> Int? {
    var trimmed = text.filter { $0 != " " }
    if trimmed.lowercased().hasSuffix("/s") { trimmed.removeLast(2) }
    guard let bytes = parseBytes(trimmed), bytes > 0 else { return nil }
    return bytes
  }

  /// Parses a duration in seconds: a plain number, or a number with `ms`, `s`, `min` or `h`.
  public static func parseSeconds(_ text: String) -> Double? {
    let trimmed = text.filter { $0 != " " }.lowercased()
    let suffixes: [(String, Double)] = [("ms", 0.001), ("min", 60), ("s", 1), ("h", 3600)]
    for (suffix, factor) in suffixes where trimmed.hasSuffix(suffix) {
      guard let value = Double(trimmed.dropLast(suffix.count)), value >= 0, value.isFinite
      else { return nil }
      return value * factor
    }
    guard let value = Double(trimmed), value >= 0, value.isFinite else { return nil }
    return value
  }

  /// `4.2 GB`, `812 MB`, `8 kB`, `0 bytes`.
  public static func bytes(_ count: Int) -> String {
    for (suffix, factor) in units.dropLast() where Double(count) >= factor {
      return number(Double(count) / factor) + " " + (suffix == "KB" ? "kB" : suffix)
    }
    return "\(count) bytes"
  }

  /// `25 MB/s`.
  public static func rate(_ bytesPerSecond: Int) -> String { bytes(bytesPerSecond) + "/s" }

  /// `50 rows`, `12k rows`, `1.5M rows`, `2.1B rows`.
  public static func rows(_ count: Int) -> String {
    if count == 1 { return "1 row" }
    let scales: [(String, Double)] = [("B", 1e9), ("M", 1e6), ("k", 1e3)]
    for (suffix, factor) in scales where Double(count) >= factor {
      return number(Double(count) / factor) + suffix + " rows"
    }
    return "\(count) rows"
  }

  /// `under 1 s`, `about 40 s`, `about 3 min`, `about 2.5 h`.
  public static func duration(_ seconds: Double) -> String {
    if seconds < 1 { return "under 1 s" }
    if seconds < 90 { return "about \(Int(seconds.rounded())) s" }
    if seconds < 90 * 60 { return "about \(Int((seconds / 60).rounded())) min" }
    return "about " + number(seconds / 3600) + " h"
  }

  /// One decimal under 10 (`4.2`, `4`), none from 10 on (`42`).
  static func number(_ value: Double) -> String {
    if value >= 9.95 { return "\(Int(value.rounded()))" }
    let tenths = Int((value * 10).rounded())
    return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
  }

  /// `1 s`, `0.5 s`, `2 min`: a threshold as the messages write it.
  static func threshold(_ seconds: Double) -> String {
    if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 {
      return "\(Int(seconds / 60)) min"
    }
    return number(seconds) + " s"
  }
}
