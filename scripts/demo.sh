#!/usr/bin/env bash
# The demo: the simulator stands in for OpenAI, Google and OpenRouter; the
# daemon probes it on short intervals and stores results in SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/modelwatch
port=${MODELWATCH_SIM_PORT:-8790}
export MODELWATCH_SIM="http://127.0.0.1:${port}"
export MODELWATCH_DB="${MODELWATCH_DB:-$PWD/modelwatch-demo.db}"

"$bin" simulate --listen "127.0.0.1:${port}" --scenario examples/scenarios/demo.yaml >/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null' EXIT
sleep 0.3

cat <<MSG
modelwatch demo
  simulator   ${MODELWATCH_SIM} (scenario examples/scenarios/demo.yaml)
  config      examples/demo.yaml
  results     ${MODELWATCH_DB} (SQLite)
In another terminal:
  $bin check -c examples/demo.yaml         # run every monitor once, now
  $bin stats -c examples/demo.yaml         # windows 1h..30d per monitor
  $bin report -c examples/demo.yaml --since 1h
Stop with Ctrl-C. One JSON line per result follows.
MSG
"$bin" run -c examples/demo.yaml
