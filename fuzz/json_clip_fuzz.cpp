// The JSON clipper, fed in chunks whose sizes come from the input: it never
// grows the body, keeps everything when the cap is large enough, and every
// clipped string record points inside what it kept.
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "net/json_clip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace modelwatch;
  if (size < 2) {
    return 0;
  }
  const size_t cap = data[0] % 64;
  const size_t chunk = 1 + data[1] % 32;
  const std::string_view body = fuzz::AsText(data + 2, size - 2);
  for (size_t c : {cap, body.size() + 1}) {
    net::JsonClipper clipper(c);
    std::string out;
    std::vector<net::ClippedString> clipped;
    for (size_t i = 0; i < body.size(); i += chunk) {
      clipper.Feed(body.substr(i, chunk), out, clipped);
    }
    MW_FUZZ_CHECK(out.size() <= body.size());
    for (const net::ClippedString& s : clipped) {
      MW_FUZZ_CHECK(s.offset + s.kept <= out.size());
      MW_FUZZ_CHECK(s.kept <= s.length);
    }
    if (c > body.size()) {
      MW_FUZZ_CHECK(out == body);
      MW_FUZZ_CHECK(clipped.empty());
    }
  }
  return 0;
}
