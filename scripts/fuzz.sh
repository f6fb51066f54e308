#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each for SECONDS (default 30; `make
# fuzz` runs them for 300). Seeds: fuzz/corpus/<target>/ and, for the
# targets that read provider answers, the real samples in
# tests/data/formats/samples (prefixed with the target's selector bytes).
# A crash, a sanitizer report, a leak or an input slower than 10 s fails the
# script; the input is left in build-fuzz/artifacts/ and printed as a hex
# dump, to be turned into a regression test. Targets run side by side, one per
# core.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true

# The same build directory as scripts/sanitize.sh's address,undefined tests.
. scripts/sanitized-build.sh
configure_sanitized build-fuzz address,undefined -DMODELWATCH_FUZZ=ON
cmake --build build-fuzz --target fuzz_all -j"$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

samples=tests/data/formats/samples
seed() {  # seed TARGET DIR: fills DIR with the target's seeds
  local t=$1 dir=$2
  [ -d "fuzz/corpus/$t" ] && cp fuzz/corpus/"$t"/* "$dir"/
  case $t in
    json_clip_fuzz)  # cap 8, chunks of 8 bytes
      for f in "$samples"/*.json; do
        { printf '\x08\x08'; cat "$f"; } >"$dir/$(basename "$f")"
      done ;;
    interpret_fuzz)  # the kind byte: 0 gemini, 1 openai_images, 3 openrouter_image
      for f in "$samples"/gemini-*.json "$samples"/openai-*.json "$samples"/openrouter-*.json; do
        case $(basename "$f") in gemini-*) k='\x00' ;; openai-*) k='\x01' ;; *) k='\x03' ;; esac
        { printf "$k"; cat "$f"; } >"$dir/$(basename "$f")"
      done ;;
    source_fuzz)  # the kind byte: 0 google_cloud_status, 1 statuspage, 3|0x80 an Atom feed
      for f in "$samples"/gcp-incidents-*.json; do
        { printf '\x00'; cat "$f"; } >"$dir/$(basename "$f")"
      done
      for f in "$samples"/statuspage-*.json "$samples"/incidentio-*.json; do
        { printf '\x01'; cat "$f"; } >"$dir/$(basename "$f")"
      done
      for f in "$samples"/*.atom; do
        { printf '\x83'; cat "$f"; } >"$dir/$(basename "$f")"
      done ;;
  esac
}

mkdir -p build-fuzz/artifacts
# One target per core at a time (libFuzzer runs one process per target).
fuzz_one() {  # fuzz_one TARGET
  local t=$1 work seeds
  work=$(mktemp -d)
  seeds=$(mktemp -d)
  seed "$t" "$seeds"
  echo "fuzz.sh: $t for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      "build-fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t-" \
      "$work" "$seeds" >"build-fuzz/$t.log" 2>&1; then
    {
      echo "fuzz.sh: $t FAILED; its log:"
      tail -n 60 "build-fuzz/$t.log"
      for a in build-fuzz/artifacts/"$t"-*; do
        [ -f "$a" ] && { echo "input $a:"; od -A d -c "$a" | head -n 20; }
      done
    } >&2
    rm -rf "$work" "$seeds"
    return 1
  fi
  echo "fuzz.sh: $t: $(grep -E "stat::number_of_executed_units|stat::peak_rss_mb" \
    "build-fuzz/$t.log" | tr '\n' ' ')"
  rm -rf "$work" "$seeds"
}

failed=0
jobs_max=$(nproc)
running=()
for t in "${targets[@]}"; do
  if [ ${#running[@]} -ge "$jobs_max" ]; then
    wait "${running[0]}" || failed=1
    running=("${running[@]:1}")
  fi
  fuzz_one "$t" &
  running+=($!)
done
for pid in "${running[@]}"; do wait "$pid" || failed=1; done
exit $failed
