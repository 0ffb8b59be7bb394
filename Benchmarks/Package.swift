// swift-tools-version: 6.1
import PackageDescription

// On-demand benchmarks for the SQL front end and for trace (not run in CI). Run from this directory with
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
    ),
    // A plain executable (wall clock against a live server, not the benchmark harness):
    // Scripts/bench-trace.sh builds and runs it.
    .executableTarget(
      name: "TraceBenchmarks",
      dependencies: [.product(name: "ShiftPostgres", package: "safeshift")],
      path: "TraceBenchmarks"
    ),
  ]
)
