/// How a traced statement was run.
public enum TraceExecution: String, Sendable, Hashable, Codable {
  /// Inside `BEGIN … ROLLBACK`: the database is unchanged afterwards.
  case rolledBack
  /// Inside `BEGIN … COMMIT`: the statement's effects persist.
  case committed
  /// Outside a transaction block, because the statement cannot run inside one
  /// (`CREATE INDEX CONCURRENTLY`, `VACUUM`, …). Its effects persist, and the locks it took
  /// were released before they could be observed.
  case outsideTransaction
}
