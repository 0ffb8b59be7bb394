#!/usr/bin/env bash
# Usage: Scripts/format.sh          format Sources, Tests and Package.swift in place, then lint
#        Scripts/format.sh --lint   only lint (strict: any finding fails); used by .ci/run
# Configuration: .swift-format (root) and Tests/.swift-format (swift-format uses the nearest).
# Benchmarks/ is a separate package and is not formatted here.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

paths=(Sources Tests Package.swift)

lint() {
  swift format lint --strict --recursive --parallel "${paths[@]}"
}

case "${1:-}" in
  "")
    swift format format --in-place --recursive --parallel "${paths[@]}"
    lint
    ;;
  --lint)
    lint
    ;;
  *)
    echo "usage: $0 [--lint]" >&2
    exit 64
    ;;
esac
