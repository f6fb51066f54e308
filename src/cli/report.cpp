// Placeholder until the storage work lands; replaced by the real command.
#include <cstdio>

#include "cli/commands.h"

namespace modelwatch::cli {

int RunReport(int, char**) {
  std::fprintf(stderr, "modelwatch report: not available in this build\n");
  return 2;
}

}  // namespace modelwatch::cli
