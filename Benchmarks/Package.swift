// swift-tools-version: 6.1
import PackageDescription

// On-demand benchmarks for the SQL front end (not run in CI). Run from this directory with
// `swift package benchmark`; see docs/benchmarks.md.
let package = Package(
  name: "SafeShiftBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(
      url: "https://github.com/ordo-one/benchmark",
      from: "1.38.0",
      traits: ["MallocInterposer"]
    ),
    .package(name: "safeshift", path: ".."),
  ],
  targets: [
    .executableTarget(
      name: "SyntaxBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "ShiftSyntax", package: "safeshift"),
      ],
      path: "SyntaxBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
