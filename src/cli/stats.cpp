// Placeholder until the storage work lands; replaced by the real command.
#include <cstdio>

#include "cli/commands.h"

namespace modelwatch::cli {

int RunStats(int, char**) {
  std::fprintf(stderr, "modelwatch stats: not available in this build\n");
  return 2;
}

}  // namespace modelwatch::cli
