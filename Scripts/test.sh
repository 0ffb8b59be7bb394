#!/usr/bin/env bash
# Runs the whole test suite, as CI does (.ci/run):
#   1. installs missing system packages (Scripts/install-deps.sh),
#   2. builds everything including tests, failing on undeclared target dependency imports,
#   3. runs `swift test` against a throwaway PostgreSQL (Scripts/with-postgres.sh), so the
#      ShiftPostgresIntegrationTests suites get SAFESHIFT_TEST_DATABASE_URL.
# Extra arguments go to `swift test`, e.g. Scripts/test.sh --filter ShiftSyntaxTests
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

Scripts/install-deps.sh
swift build --build-tests --explicit-target-dependency-import-check error
Scripts/with-postgres.sh swift test --skip-build "$@"
