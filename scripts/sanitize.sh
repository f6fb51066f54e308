#!/usr/bin/env bash
# Tests under the sanitizers; any report fails (they are built with
# -fno-sanitize-recover=all, and every process, the daemons and simulators the
# integration tests start included, writes its reports to a file that is
# checked at the end) and so does any failing test.
#  asan: AddressSanitizer + UndefinedBehaviorSanitizer (leaks included) on
#        the tests of the modules that read what others send: core, config,
#        net, probe, source, sim, cost, diagnose. Built in build-fuzz, so the
#        fuzz targets (scripts/fuzz.sh) reuse the objects.
#  asan-all: the whole suite there: every module's tests and the integration
#        tests (`modelwatch` and the simulator built with the sanitizers too,
#        the integration tests in two shards side by side).
#  tsan: ThreadSanitizer on the store's tests: its writer thread, the
#        buffered store's queue, the instance lock's heartbeat (build-tsan).
#        `tsan-all` adds net_tests (the loop's Post from other threads),
#        which needs the simulator built too.
# CI (.ci/run) runs `asan-all tsan-all`.
# asan-all starts a throw-away PostgreSQL (scripts/postgres.sh) for the
# store's contract cases, as scripts/test.sh does; the other modes skip them
# (no MODELWATCH_TEST_PG_URL). The store tests that kill -9 child processes
# in a loop run under ASan; the ThreadSanitizer run leaves them out for time
# (the writer thread they kill is the one the other store tests exercise).
#   scripts/sanitize.sh [asan|asan-all] [tsan|tsan-all]     (default: asan tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/sanitized-build.sh
. scripts/postgres.sh
unset MODELWATCH_TEST_PG_URL

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(asan tsan)
slow='SqliteCrash.*:SqliteStore.LockedDatabaseIsAClearError'

# ThreadSanitizer's fixed shadow layout can clash with the wide address
# randomization of newer kernels ("unexpected memory mapping"): its tests
# run with randomization off for their process.
norandom=()
command -v setarch >/dev/null && norandom=(setarch "$(uname -m)" -R)

run() {  # run DIR BINARY [GTEST_FILTER [LOG]]
  local dir=$1 bin=$2 filter=${3:-*} log=${4:-$1/$2.log} prefix=()
  [ "$dir" = build-tsan ] && prefix=("${norandom[@]}")
  echo "sanitize.sh: $dir/$bin${GTEST_SHARD_INDEX:+ (shard $GTEST_SHARD_INDEX of $GTEST_TOTAL_SHARDS)}"
  if ! "${prefix[@]}" "$dir/$bin" --gtest_filter="$filter" --gtest_brief=1 >"$log" 2>&1; then
    echo "sanitize.sh: $dir/$bin FAILED; its log ($log):" >&2
    tail -n 80 "$log" >&2
    return 1
  fi
}

# Every sanitized process writes its reports to DIR/report.<pid>: a report
# from a child that a test killed or whose exit code it did not read still
# fails the run.
reports_to() {  # reports_to DIR
  rm -rf "$1"
  mkdir -p "$1"
  reports=$(cd "$1" && pwd)
}
check_reports() {
  local f found=0
  for f in "$reports"/report.*; do
    [ -f "$f" ] || continue
    echo "sanitize.sh: sanitizer report $f:" >&2
    head -n 60 "$f" >&2
    found=1
  done
  [ $found -eq 0 ] || failed=1
}

failed=0
for mode in "${modes[@]}"; do
  case $mode in
    asan|asan-all)
      configure_sanitized build-fuzz address,undefined -DMODELWATCH_FUZZ=ON
      tests=(core_tests config_tests net_tests probe_tests source_tests sim_tests cost_tests
             diagnose_tests)
      [ "$mode" = asan-all ] && tests+=(store_tests alert_tests notify_tests engine_tests
                                        web_tests cli_tests)
      targets=("${tests[@]}")
      [ "$mode" = asan-all ] && targets+=(integration_tests modelwatch)
      cmake --build build-fuzz --target "${targets[@]}" -j"$(nproc)"
      [ "$mode" = asan-all ] && start_test_postgres
      reports_to build-fuzz/reports
      export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/report"
      export UBSAN_OPTIONS="print_stacktrace=1:log_path=$reports/report"
      for t in "${tests[@]}"; do run build-fuzz "$t" || failed=1; done
      if [ "$mode" = asan-all ]; then
        # Most integration tests wait on daemons and simulators: two shards
        # side by side keep both cores busy.
        pids=()
        for shard in 0 1; do
          GTEST_TOTAL_SHARDS=2 GTEST_SHARD_INDEX=$shard \
            run build-fuzz integration_tests "*" "build-fuzz/integration_tests.$shard.log" &
          pids+=($!)
        done
        for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
      fi
      check_reports
      unset ASAN_OPTIONS UBSAN_OPTIONS ;;
    tsan|tsan-all)
      configure_sanitized build-tsan thread
      tests=(store_tests)
      [ "$mode" = tsan-all ] && tests+=(net_tests)
      cmake --build build-tsan --target "${tests[@]}" -j"$(nproc)"
      unset MODELWATCH_TEST_PG_URL
      export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
      for t in "${tests[@]}"; do
        if [ "$t" = store_tests ]; then run build-tsan "$t" "-$slow" || failed=1
        else run build-tsan "$t" || failed=1; fi
      done ;;
    *) echo "sanitize.sh: unknown mode '$mode' (asan, asan-all, tsan, tsan-all)" >&2; exit 2 ;;
  esac
done
exit $failed
