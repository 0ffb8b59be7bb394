#!/usr/bin/env bash
# Measures trace overhead per statement and introspection time for 1,000 tables against a
# throwaway PostgreSQL (see docs/benchmarks.md, "Trace and introspection").
# Usage: Scripts/bench-trace.sh [statements] [rounds]   (defaults 200 and 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build -c release --package-path Benchmarks --product TraceBenchmarks
Scripts/with-postgres.sh Benchmarks/.build/release/TraceBenchmarks \
  "" "${1:-200}" "${2:-5}"
