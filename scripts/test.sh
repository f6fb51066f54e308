#!/usr/bin/env bash
# Runs every test: unit tests beside the code, integration tests on loopback,
# and the store contract suite against a throw-away PostgreSQL server
# (Debian's packages, loopback only, a temporary data directory, trust auth,
# stopped and removed on exit). Tests find it in MODELWATCH_TEST_PG_URL.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/postgres.sh
start_test_postgres

cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300 "$@"
# The Debian package: install, run the unit's commands, purge (root only).
if [ $# -eq 0 ]; then
  bash tests/package_test.sh build
fi
