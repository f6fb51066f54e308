#!/usr/bin/env bash
# The demo: the simulator stands in for OpenAI, Google and OpenRouter; the
# daemon probes it on short intervals and stores results in SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/modelwatch
port=${MODELWATCH_SIM_PORT:-8790}
export MODELWATCH_SIM="http://127.0.0.1:${port}"
export MODELWATCH_DB="${MODELWATCH_DB:-$PWD/modelwatch-demo.db}"
web=${MODELWATCH_WEB:-127.0.0.1:8080}
export MODELWATCH_WEB="$web"

"$bin" simulate --listen "127.0.0.1:${port}" --scenario examples/scenarios/demo.yaml >/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null' EXIT
sleep 0.5
# A busy port stops the demo: it must never probe someone else's server.
if ! kill -0 "$sim" 2>/dev/null; then
  echo "demo: the simulator could not listen on 127.0.0.1:${port} (busy?);" \
       "set MODELWATCH_SIM_PORT to a free port" >&2
  exit 1
fi

cat <<MSG
modelwatch demo
  dashboard   http://${web}/   (set MODELWATCH_WEB=127.0.0.1:PORT for another port)
  simulator   ${MODELWATCH_SIM} (scenario examples/scenarios/demo.yaml)
  config      examples/demo.yaml
  results     ${MODELWATCH_DB} (SQLite)
Watch for: a rate-limit spell on nano-banana-pro (neither up nor down), a
quota phase on gpt-image-2 that fires a critical alert ("event":"alert" lines)
and resolves, and a Gemini outage that Google's status feed confirms.
In another terminal (the same variables, so the commands find this demo):
  export MODELWATCH_SIM=${MODELWATCH_SIM} MODELWATCH_DB=${MODELWATCH_DB} MODELWATCH_WEB=${web}
  $bin check -c examples/demo.yaml         # run every monitor once, now
  $bin stats -c examples/demo.yaml         # windows 1h..30d per monitor
  $bin report -c examples/demo.yaml --since 1h
Stop with Ctrl-C. One JSON line per result follows.
MSG
"$bin" run -c examples/demo.yaml
