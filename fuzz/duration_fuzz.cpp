// Durations: any text parses or is refused; what parses formats and parses
// back to the same value, within the documented bound.
#include "core/duration.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modelwatch;
  auto d = ParseDuration(fuzz::AsText(data, size));
  if (d) {
    MW_FUZZ_CHECK(d->count() >= 0);
    MW_FUZZ_CHECK(*d <= kMaxDuration);
    auto again = ParseDuration(FormatDuration(*d));
    MW_FUZZ_CHECK(again.has_value());
    MW_FUZZ_CHECK(*again == *d);
  }
  return 0;
}
