#!/usr/bin/env bash
# Runs every test: unit tests beside the code, integration tests on loopback,
# and the store contract suite against a throw-away PostgreSQL server.
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 300 "$@"
