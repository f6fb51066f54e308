#!/usr/bin/env bash
# Unit tests under the sanitizers; any report fails (they are built with
# -fno-sanitize-recover=all) and so does any failing test.
#  asan: AddressSanitizer + UndefinedBehaviorSanitizer (leaks included) on
#        the tests of the modules that read what others send: core, config,
#        net, probe, source, sim, cost, diagnose. Built in build-fuzz, so the
#        fuzz targets (scripts/fuzz.sh) reuse the objects. `asan-all` adds the
#        store and the alert engine (about 2.5 more minutes on two cores).
#  tsan: ThreadSanitizer on the store's tests: its writer thread, the
#        buffered store's queue, the instance lock's heartbeat (build-tsan).
#        `tsan-all` adds net_tests (the loop's Post from other threads),
#        which needs the simulator built too (about 1.5 more minutes).
# CI (.ci/run) runs `asan-all tsan-all`.
# The store tests that kill -9 child processes for minutes of wall time run
# in the plain build only (scripts/test.sh). PostgreSQL contract cases are
# skipped here (no MODELWATCH_TEST_PG_URL): they share the code under test.
#   scripts/sanitize.sh [asan|asan-all] [tsan|tsan-all]     (default: asan tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/sanitized-build.sh
unset MODELWATCH_TEST_PG_URL

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(asan tsan)
slow='SqliteCrash.*:SqliteStore.LockedDatabaseIsAClearError'

# ThreadSanitizer's fixed shadow layout can clash with the wide address
# randomization of newer kernels ("unexpected memory mapping"): its tests
# run with randomization off for their process.
norandom=()
command -v setarch >/dev/null && norandom=(setarch "$(uname -m)" -R)

run() {  # run DIR BINARY [GTEST_FILTER]
  local dir=$1 bin=$2 filter=${3:-*} prefix=()
  [ "$dir" = build-tsan ] && prefix=("${norandom[@]}")
  echo "sanitize.sh: $dir/$bin"
  if ! "${prefix[@]}" "$dir/$bin" --gtest_filter="$filter" --gtest_brief=1 >"$dir/$bin.log" 2>&1; then
    echo "sanitize.sh: $dir/$bin FAILED; its log:" >&2
    tail -n 80 "$dir/$bin.log" >&2
    failed=1
  fi
}

failed=0
for mode in "${modes[@]}"; do
  case $mode in
    asan|asan-all)
      configure_sanitized build-fuzz address,undefined -DMODELWATCH_FUZZ=ON
      tests=(core_tests config_tests net_tests probe_tests source_tests sim_tests cost_tests
             diagnose_tests)
      [ "$mode" = asan-all ] && tests+=(store_tests alert_tests)
      cmake --build build-fuzz --target "${tests[@]}" -j"$(nproc)"
      export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
      for t in "${tests[@]}"; do
        if [ "$t" = store_tests ]; then run build-fuzz "$t" "-$slow"; else run build-fuzz "$t"; fi
      done ;;
    tsan|tsan-all)
      configure_sanitized build-tsan thread
      tests=(store_tests)
      [ "$mode" = tsan-all ] && tests+=(net_tests)
      cmake --build build-tsan --target "${tests[@]}" -j"$(nproc)"
      export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
      for t in "${tests[@]}"; do
        if [ "$t" = store_tests ]; then run build-tsan "$t" "-$slow"; else run build-tsan "$t"; fi
      done ;;
    *) echo "sanitize.sh: unknown mode '$mode' (asan, asan-all, tsan, tsan-all)" >&2; exit 2 ;;
  esac
done
exit $failed
