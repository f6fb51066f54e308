// Config loading: YAML, interpolation and validation of any text end in a
// config or in positioned errors; never a crash, hang or unbounded memory.
#include <string>

#include "config/config.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modelwatch;
  auto cfg = config::LoadFromString(std::string(fuzz::AsText(data, size)), "fuzz.yaml");
  if (!cfg) {
    MW_FUZZ_CHECK(!cfg.error().message().empty());
  }
  return 0;
}
