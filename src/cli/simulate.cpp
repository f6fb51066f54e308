// Placeholder; replaced by the real command.
#include <cstdio>

#include "cli/commands.h"

namespace modelwatch::cli {

int RunSimulate(int, char**) {
  std::fprintf(stderr, "modelwatch simulate: not available in this build\n");
  return 2;
}

}  // namespace modelwatch::cli
