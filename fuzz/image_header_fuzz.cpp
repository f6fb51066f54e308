// The image header reader: any bytes give an image or nothing, and an image
// has sane dimensions.
#include "fuzz/fuzz_util.h"
#include "probe/image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modelwatch;
  auto info = probe::ReadImageHeader(fuzz::AsText(data, size));
  if (info) {
    MW_FUZZ_CHECK(info->width > 0 && info->height > 0);
  }
  return 0;
}
