// The simulator's scenario parser: any text gives a scenario or positioned
// errors. body_file paths resolve in an empty folder, so nothing is read.
#include <filesystem>

#include "fuzz/fuzz_util.h"
#include "sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modelwatch;
  auto s = sim::ParseScenario(fuzz::AsText(data, size), "fuzz.yaml",
                              "/nonexistent-modelwatch-fuzz");
  if (!s) {
    MW_FUZZ_CHECK(s.error().message().rfind("fuzz.yaml", 0) == 0);
  }
  return 0;
}
