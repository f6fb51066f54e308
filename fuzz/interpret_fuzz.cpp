// Every probe kind's reading of an answer: the first input byte picks the
// kind and the answer's HTTP status, the rest is the body. Any body gives a
// verdict; a success carries an image with sane dimensions (image kinds), and
// an error text is printable.
#include <chrono>
#include <memory>
#include <vector>

#include "config/config.h"
#include "fuzz/fuzz_util.h"
#include "probe/probe.h"

namespace {

using namespace modelwatch;

const char kConfig[] = R"(
monitors:
  - {name: gemini, kind: gemini, model: gemini-3-pro-image, api_key: fuzz-key-0123456789}
  - {name: openai, kind: openai_images, model: gpt-image-2, api_key: sk-fuzz-0123456789}
  - {name: openai-url, kind: openai_images, model: gpt-image-2, api_key: sk-fuzz-0123456789,
     fetch_url: true}
  - {name: openrouter, kind: openrouter_image, model: google/gemini-3-pro-image,
     api_key: sk-or-fuzz-0123456789}
  - name: http
    kind: http
    url: http://127.0.0.1:9/x
    conditions: ['status == 200', 'body.data[0].status == "ok"', 'latency < 5s']
)";

struct Probes {
  std::vector<std::unique_ptr<probe::Probe>> all;
  std::vector<std::string> keys;  // each probe's own key ("" for none)
};

Probes& All() {
  static Probes* probes = [] {
    auto* p = new Probes;
    auto cfg = config::LoadFromString(kConfig, "fuzz.yaml");
    if (!cfg) {
      std::fprintf(stderr, "%s\n", cfg.error().message().c_str());
      std::abort();
    }
    for (const config::Monitor& m : cfg->monitors) {
      auto probe = probe::MakeProbe(m);
      if (!probe) {
        std::fprintf(stderr, "%s\n", probe.error().message().c_str());
        std::abort();
      }
      p->all.push_back(std::move(probe).value());
      p->keys.push_back(m.api_key.reveal());
    }
    return p;
  }();
  return *probes;
}

constexpr int kStatuses[] = {200, 200, 200, 400, 401, 403, 404, 429, 500, 503};

bool Printable(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  Probes& probes = All();
  const size_t which = data[0] % probes.all.size();
  const probe::Probe& p = *probes.all[which];
  const std::string& key = probes.keys[which];
  net::Response r;
  r.http_status = kStatuses[(data[0] / probes.all.size()) % std::size(kStatuses)];
  r.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  r.body_bytes = r.body.size();
  r.headers = {{"content-type", "application/json"}};
  for (int step : {0, 1}) {
    probe::Verdict v = p.Interpret(r, step, std::chrono::milliseconds(1'000));
    MW_FUZZ_CHECK(Printable(v.error));
    // An answer that echoes the monitor's key never brings it into the error text.
    MW_FUZZ_CHECK(key.empty() || v.error.find(key) == std::string::npos);
    if (v.image) {
      MW_FUZZ_CHECK(v.image->width > 0 && v.image->height > 0);
    }
  }
  return 0;
}
