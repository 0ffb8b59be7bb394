// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "safeshift",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "safeshift", targets: ["safeshift"]),
    .library(name: "ShiftSyntax", targets: ["ShiftCore", "ShiftSyntax"]),
    // For Benchmarks/TraceBenchmarks (trace overhead, introspection time).
    .library(name: "ShiftPostgres", targets: ["ShiftPostgres", "ShiftDatabase"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibPQ",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
    ),
    .systemLibrary(
      name: "CSQLite3",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
    ),
    .target(name: "ShiftCore"),
    .target(name: "ShiftSyntax", dependencies: ["ShiftCore"]),
    .target(name: "ShiftSchema", dependencies: ["ShiftCore", "ShiftSyntax"]),
    .target(
      name: "ShiftAnalysis",
      dependencies: [
        "ShiftCore", "ShiftSyntax", "ShiftSchema", .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "ShiftPlanner",
      dependencies: ["ShiftCore", "ShiftSyntax", "ShiftSchema", "ShiftAnalysis"]
    ),
    .target(name: "ShiftReport", dependencies: ["ShiftCore"]),
    .target(name: "ShiftDatabase", dependencies: ["ShiftCore"]),
    .target(
      name: "ShiftPostgres",
      dependencies: ["ShiftCore", "ShiftDatabase", "ShiftSyntax", "ShiftSchema", "CLibPQ"]
    ),
    .target(
      name: "ShiftSQLite",
      dependencies: ["ShiftDatabase", "ShiftCore", "ShiftSyntax", "ShiftSchema", "CSQLite3"]
    ),
    .target(name: "ShiftBackfill", dependencies: ["ShiftDatabase", "ShiftPlanner", "ShiftSyntax"]),
    .target(
      name: "ShiftDeploy",
      dependencies: [
        "ShiftCore", "ShiftDatabase", "ShiftPlanner", "ShiftSyntax", "ShiftAnalysis",
        "ShiftBackfill", .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "ShiftCLI",
      dependencies: [
        "ShiftCore", "ShiftSyntax", "ShiftSchema", "ShiftAnalysis", "ShiftReport",
        "ShiftDatabase", "ShiftPostgres", "ShiftSQLite", "ShiftPlanner", "ShiftDeploy",
        "ShiftBackfill",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(
      name: "safeshift",
      dependencies: [
        "ShiftCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "ShiftTestSupport",
      dependencies: ["ShiftCore", "ShiftSyntax"],
      path: "Tests/ShiftTestSupport"
    ),
    .testTarget(
      name: "ShiftSyntaxTests",
      dependencies: ["ShiftSyntax", "ShiftCore", "ShiftTestSupport"]
    ),
    .testTarget(
      name: "ShiftSchemaTests",
      dependencies: ["ShiftSchema", "ShiftSyntax", "ShiftCore", "ShiftTestSupport"]
    ),
    .testTarget(
      name: "ShiftAnalysisTests",
      dependencies: [
        "ShiftAnalysis", "ShiftSchema", "ShiftSyntax", "ShiftCore", "ShiftTestSupport",
      ]
    ),
    .testTarget(
      name: "ShiftPlannerTests",
      dependencies: [
        "ShiftPlanner", "ShiftAnalysis", "ShiftSchema", "ShiftSyntax", "ShiftCore",
        "ShiftTestSupport",
      ],
      exclude: ["Snapshots"]
    ),
    .testTarget(name: "ShiftBackfillTests", dependencies: ["ShiftBackfill", "ShiftPlanner"]),
    .testTarget(
      name: "ShiftReportTests",
      dependencies: ["ShiftReport", "ShiftCore", "ShiftTestSupport"],
      exclude: ["Snapshots"]
    ),
    .testTarget(
      name: "ShiftCLITests",
      dependencies: [
        "ShiftCLI", "ShiftSyntax", "ShiftCore", "ShiftTestSupport", "ShiftPostgres",
        "ShiftSQLite", "ShiftDatabase", "ShiftReport", "ShiftAnalysis", "ShiftSchema",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "ShiftPostgresIntegrationTests",
      dependencies: [
        "ShiftPostgres", "ShiftDatabase", "ShiftSyntax", "ShiftCore", "ShiftTestSupport",
        "ShiftSchema", "ShiftAnalysis", "ShiftPlanner", "ShiftBackfill",
      ]
    ),
    .testTarget(
      name: "ShiftDeployTests",
      dependencies: [
        "ShiftDeploy", "ShiftCLI", "ShiftPostgres", "ShiftSQLite", "ShiftDatabase", "ShiftPlanner",
        "ShiftAnalysis", "ShiftSyntax", "ShiftCore", "ShiftTestSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Yams", package: "Yams"),
      ],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "ShiftSQLiteTests",
      dependencies: [
        "ShiftSQLite", "ShiftDatabase", "ShiftSyntax", "ShiftCore", "ShiftTestSupport",
        "ShiftSchema", "ShiftAnalysis", "ShiftPlanner", "ShiftBackfill",
      ]
    ),
  ]
)

for target in package.targets where target.type != .system {
  target.swiftSettings = (target.swiftSettings ?? []) + strict
}
