# Sourced by fuzz.sh and sanitize.sh: configures a clang build with
# sanitizers in DIR, the allocator off (the sanitizers bring their own).
#   configure_sanitized DIR SANITIZERS [CMAKE_ARG...]
configure_sanitized() {
  local dir=$1 sanitizers=$2
  shift 2
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 and line tables only: what the sanitizers' reports need (file:line
  # in every frame), at about half the compile time of -O2 -g.
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    "${launcher[@]}" -DMODELWATCH_SANITIZE="$sanitizers" -DMODELWATCH_TCMALLOC=OFF "$@" >/dev/null
}
