// Placeholder; replaced by the real command.
#include <cstdio>

#include "cli/commands.h"

namespace modelwatch::cli {

int RunValidate(int, char**) {
  std::fprintf(stderr, "modelwatch validate: not available in this build\n");
  return 2;
}

}  // namespace modelwatch::cli
