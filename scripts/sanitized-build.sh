# Sourced by fuzz.sh and sanitize.sh: configures a clang build with
# sanitizers in DIR, the allocator off (the sanitizers bring their own).
#   configure_sanitized DIR SANITIZERS [CMAKE_ARG...]
configure_sanitized() {
  local dir=$1 sanitizers=$2
  shift 2
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O0 and line tables only: what the sanitizers' reports need (file:line
  # in every frame). -O0 compiles in a little over half the CPU time of -O1
  # with ASan + UBSan (the whole suite is built here), and the tests wait on
  # sockets and child processes far more than they compute.
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only -DNDEBUG" \
    "${launcher[@]}" -DMODELWATCH_SANITIZE="$sanitizers" -DMODELWATCH_TCMALLOC=OFF "$@" >/dev/null
}
