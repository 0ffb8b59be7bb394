import ArgumentParser
import ShiftAnalysis

/// `--runner` values: `auto` detects the runner from the folder.
enum RunnerArgument: String, ExpressibleByArgument, CaseIterable {
  case auto
  case plain
  case golangMigrate = "golang-migrate"
  case goose
  case dbmate
  case flyway
  case diesel
  case prisma
  case sqitch
  case atlas

  /// The runner to apply, or `nil` to detect it.
  var runner: MigrationRunner? {
    self == .auto ? nil : MigrationRunner(rawValue: rawValue)
  }
}

/// `--direction` values.
enum DirectionArgument: String, ExpressibleByArgument, CaseIterable {
  case up
  case down

  var direction: MigrationDirection { self == .up ? .up : .down }
}
