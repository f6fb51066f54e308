// ${VAR} interpolation: every problem points inside the text.
#include "config/interpolate.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modelwatch;
  const std::string_view text = fuzz::AsText(data, size);
  config::EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "SET") {
      return std::string("value");
    }
    if (name == "EMPTY") {
      return std::string();
    }
    return std::nullopt;
  };
  config::Interpolated r = config::Interpolate(text, env);
  for (const config::InterpolationProblem& p : r.problems) {
    MW_FUZZ_CHECK(p.offset < text.size());
    MW_FUZZ_CHECK(!p.message.empty());
  }
  return 0;
}
