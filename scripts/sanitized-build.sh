# Sourced by fuzz.sh and sanitize.sh: configures a clang build with
# sanitizers in DIR, the allocator off (the sanitizers bring their own).
#   configure_sanitized DIR SANITIZERS [CMAKE_ARG...]
configure_sanitized() {
  local dir=$1 sanitizers=$2
  shift 2
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    "${launcher[@]}" -DMODELWATCH_SANITIZE="$sanitizers" -DMODELWATCH_TCMALLOC=OFF "$@" >/dev/null
}
