/// A trigger on a table or view.
public struct Trigger: Sendable, Hashable {
  /// The trigger's name.
  public var name: String
  /// The table (or view) it fires on.
  public var table: ObjectName
  /// The function it executes (PostgreSQL); `nil` for SQLite triggers, whose body is SQL.
  public var function: ObjectName?
  /// `BEFORE`, `AFTER` or `INSTEAD OF`.
  public var timing: String
  /// `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`.
  public var events: [String]
  /// Columns of `UPDATE OF …`.
  public var updateColumns: [String]
  /// `FOR EACH ROW` rather than per statement.
  public var isForEachRow: Bool
  /// False after `ALTER TABLE … DISABLE TRIGGER`.
  public var isEnabled: Bool
  /// Where the trigger was created.
  public var origin: Origin

  /// Creates a trigger.
  public init(
    name: String,
    table: ObjectName,
    function: ObjectName? = nil,
    timing: String = "",
    events: [String] = [],
    updateColumns: [String] = [],
    isForEachRow: Bool = false,
    isEnabled: Bool = true,
    origin: Origin
  ) {
    self.name = name
    self.table = table
    self.function = function
    self.timing = timing
    self.events = events
    self.updateColumns = updateColumns
    self.isForEachRow = isForEachRow
    self.isEnabled = isEnabled
    self.origin = origin
  }
}
