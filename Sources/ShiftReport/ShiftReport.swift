/// Renderers of lint results: pure functions from a report document to text.
public enum ShiftReport {
  /// The version of the JSON document (`lint --format json`).
  public static let jsonVersion = 1
}
