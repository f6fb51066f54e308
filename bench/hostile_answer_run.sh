#!/usr/bin/env bash
# One hostile answer inside a running daemon: `modelwatch run` probes the
# simulator with MONITORS ordinary openai_images monitors (1 s interval) and
# one monitor whose every answer is a 50 MB JSON body: a valid PNG in front,
# then 25 million small values ([0,0,0,...]). It reports what the hostile
# monitor's checks were judged, what the other monitors lost (checks missing
# against their interval, the longest gap between two checks of one monitor,
# their latency p50 / p99 / max), the daemon's peak RSS and its CPU time.
#
#   bash bench/hostile_answer_run.sh [BUILD_DIR] [SECONDS] [MONITORS]
#   (defaults: build 60 50)
#   HOSTILE=0 bash bench/hostile_answer_run.sh ...   the same run with an
#                                                    ordinary answer, to compare
set -euo pipefail
build=${1:-build}
seconds=${2:-60}
monitors=${3:-50}
bin=$(realpath "$build/modelwatch")
dir=$(mktemp -d "${TMPDIR:-/tmp}/mw-hostile.XXXXXX")
sim_pids=()
run_pid=""
cleanup() {
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null || true
  for p in "${sim_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# The body: {"data":[{"b64_json":"<64x64 PNG>"}],"extra":[0,0,...]}, 50 MB.
python3 - "$dir/hostile.json" <<'EOF'
import base64, struct, sys, zlib
def chunk(kind, data):
    c = struct.pack(">I", len(data)) + kind + data
    return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
w = h = 64
raw = b"".join(b"\x00" + b"\x80\x40\x20" * w for _ in range(h))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
head = '{"data":[{"b64_json":"%s"}],"extra":[' % base64.b64encode(png).decode()
values = 25_000_000
with open(sys.argv[1], "w") as f:
    f.write(head)
    f.write("0," * (values - 1))
    f.write("0]}")
EOF

# The hostile provider is a simulator of its own, as it would be another
# server: the figures of the other monitors are then the daemon's, not those
# of a simulator busy sending 50 MB.
echo "routes: []" >"$dir/ordinary.yaml"
if [ "${HOSTILE:-1}" = 0 ]; then
  cp "$dir/ordinary.yaml" "$dir/scenario.yaml"
else
  cat >"$dir/scenario.yaml" <<'EOF'
routes:
  - route: openai_images
    model: hostile-model
    timeline:
      - {behaviour: ok, body_file: hostile.json}
EOF
fi

{
  cat <<EOF
providers:
  openai: {base_url: "\${SIM}/v1", api_key: "sk-bench-not-a-real-key"}
  hostile: {base_url: "\${HOSTILE_SIM}/v1", api_key: "sk-bench-not-a-real-key"}
storage: {sqlite: "$dir/run.db"}
defaults: {timeout: 30s}
monitors:
  - {name: hostile, kind: openai_images, provider: hostile, model: hostile-model, interval: 5s}
EOF
  for i in $(seq 1 "$monitors"); do
    echo "  - {name: m$i, kind: openai_images, provider: openai, model: gpt-image-2, interval: 1s}"
  done
} >"$dir/config.yaml"

start_sim() {  # start_sim SCENARIO NAME: prints the port
  "$bin" simulate --listen 127.0.0.1:0 --scenario "$1" >"$dir/$2.out" 2>"$dir/$2.err" &
  sim_pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "listening on" "$dir/$2.out" 2>/dev/null && break
    sleep 0.1
  done
  sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$dir/$2.out"
}
port=$(start_sim "$dir/ordinary.yaml" ordinary)
hostile_port=$(start_sim "$dir/scenario.yaml" hostile)
[ -n "$port" ] && [ -n "$hostile_port" ] || { echo "simulator did not start" >&2; exit 1; }

SIM="http://127.0.0.1:$port" HOSTILE_SIM="http://127.0.0.1:$hostile_port" "$bin" run -c "$dir/config.yaml" >"$dir/run.out" 2>"$dir/run.err" &
run_pid=$!
start=$(date +%s%3N)
peak=0
while [ $(( $(date +%s%3N) - start )) -lt $((seconds * 1000)) ]; do
  if ! kill -0 "$run_pid" 2>/dev/null; then
    echo "run exited early:" >&2
    tail -20 "$dir/run.err" >&2
    exit 1
  fi
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$run_pid/status" 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  sleep 0.5
done
# utime + stime of the daemon, in clock ticks.
cpu=$(awk '{print $14 + $15}' "/proc/$run_pid/stat")
kill -TERM "$run_pid"
wait "$run_pid" || true
run_pid=""

if [ "${HOSTILE:-1}" = 0 ]; then
  echo "modelwatch run, $seconds s: $monitors monitors at 1 s + 1 at 5 s, every answer ordinary"
else
  echo "modelwatch run, $seconds s: $monitors monitors at 1 s + 1 monitor answered with a" \
       "$(( $(stat -c %s "$dir/hostile.json") / 1000000 )) MB JSON body every 5 s"
fi
echo "peak RSS: $((peak / 1024)) MB; daemon CPU: $(awk -v t="$cpu" -v hz="$(getconf CLK_TCK)" \
  -v s="$seconds" 'BEGIN {printf "%.2f s (%.1f %% of a core)", t / hz, 100 * t / hz / s}')"
sqlite3 "$dir/run.db" <<'EOF'
.mode list
.separator ": "
SELECT 'hostile checks', count(*) || ', statuses ' || group_concat(DISTINCT status) ||
       ' (9 = invalid_response), max latency ' || max(latency_ms) || ' ms'
  FROM results JOIN monitors m ON m.id = monitor_id WHERE m.name = 'hostile';
SELECT 'hostile error', error FROM results JOIN monitors m ON m.id = monitor_id
  WHERE m.name = 'hostile' ORDER BY ts_ms DESC LIMIT 1;
CREATE TEMP TABLE o AS
  SELECT r.ts_ms, r.latency_ms, r.status,
         r.ts_ms - lag(r.ts_ms) OVER (PARTITION BY m.id ORDER BY r.ts_ms) AS gap
    FROM results r JOIN monitors m ON m.id = r.monitor_id WHERE m.name <> 'hostile';
SELECT 'other monitors',
       count(*) || ' checks, ' ||
       sum(CASE WHEN gap > 1500 THEN (gap + 500) / 1000 - 1 ELSE 0 END) ||
       ' missed against the 1 s interval, longest gap ' || max(gap) || ' ms, statuses ' ||
       group_concat(DISTINCT status) || '; latency p50 ' ||
       (SELECT latency_ms FROM o ORDER BY latency_ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM o)) ||
       ' ms, p99 ' ||
       (SELECT latency_ms FROM o ORDER BY latency_ms LIMIT 1
          OFFSET (SELECT count(*) * 99 / 100 FROM o)) || ' ms, max ' || max(latency_ms) || ' ms'
  FROM o;
EOF
