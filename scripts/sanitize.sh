#!/usr/bin/env bash
# Unit tests under the sanitizers; any report fails (they are built with
# -fno-sanitize-recover=all) and so does any failing test.
#  asan: AddressSanitizer + UndefinedBehaviorSanitizer (leaks included) on
#        the tests of the modules that read what others send or write: core,
#        config, net, probe, source, sim, store, alert, cost, diagnose. Built
#        in build-fuzz, so the fuzz targets (scripts/fuzz.sh) reuse the objects.
#  tsan: ThreadSanitizer on the tests of the parts that cross threads: the
#        store's writer thread (store_tests) and the loop's Post from other
#        threads (net_tests), in build-tsan.
# The store tests that kill -9 child processes for minutes of wall time run
# in the plain build only (scripts/test.sh). PostgreSQL contract cases are
# skipped here (no MODELWATCH_TEST_PG_URL): they share the code under test.
#   scripts/sanitize.sh [asan] [tsan]     (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/sanitized-build.sh
unset MODELWATCH_TEST_PG_URL

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(asan tsan)
slow='SqliteCrash.*:SqliteStore.LockedDatabaseIsAClearError'

run() {  # run DIR BINARY [GTEST_FILTER]
  local dir=$1 bin=$2 filter=${3:-*}
  echo "sanitize.sh: $dir/$bin"
  if ! "$dir/$bin" --gtest_filter="$filter" --gtest_brief=1 >"$dir/$bin.log" 2>&1; then
    echo "sanitize.sh: $dir/$bin FAILED; its log:" >&2
    tail -n 80 "$dir/$bin.log" >&2
    failed=1
  fi
}

failed=0
for mode in "${modes[@]}"; do
  case $mode in
    asan)
      configure_sanitized build-fuzz address,undefined -DMODELWATCH_FUZZ=ON
      tests=(core_tests config_tests net_tests probe_tests source_tests sim_tests store_tests
             alert_tests cost_tests diagnose_tests)
      cmake --build build-fuzz --target "${tests[@]}" -j"$(nproc)"
      export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
      for t in "${tests[@]}"; do
        if [ "$t" = store_tests ]; then run build-fuzz "$t" "-$slow"; else run build-fuzz "$t"; fi
      done ;;
    tsan)
      configure_sanitized build-tsan thread
      cmake --build build-tsan --target store_tests net_tests -j"$(nproc)"
      export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
      run build-tsan store_tests "-$slow"
      run build-tsan net_tests ;;
    *) echo "sanitize.sh: unknown mode '$mode' (asan, tsan)" >&2; exit 2 ;;
  esac
done
exit $failed
