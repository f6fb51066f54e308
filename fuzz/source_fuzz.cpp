// The status-source parsers: the first input byte picks the kind (Google
// Cloud incidents.json, Statuspage summary.json, OpenRouter's models and
// endpoints lists, an RSS/Atom feed), the rest is the answer. Any answer
// gives a snapshot; one that cannot be read is unknown with a reason, never
// "provider down".
#include <chrono>
#include <memory>
#include <vector>

#include "config/sources.h"
#include "fuzz/fuzz_util.h"
#include "source/source.h"

namespace {

using namespace modelwatch;

std::vector<source::SourcePtr>& All() {
  static auto* sources = [] {
    auto* all = new std::vector<source::SourcePtr>;
    std::vector<config::StatusSource> entries(5);
    entries[0] = {.name = "gcp", .kind = "google_cloud_status",
                  .url = "http://127.0.0.1:9/incidents.json", .products = {"Vertex Gemini API"}};
    entries[1] = {.name = "sp", .kind = "statuspage", .url = "http://127.0.0.1:9/api/v2/summary.json",
                  .components = {"API"}};
    entries[2] = {.name = "or", .kind = "openrouter", .base_url = "http://127.0.0.1:9",
                  .model = "google/gemini-3-pro-image"};
    entries[3] = {.name = "feed", .kind = "feed", .url = "http://127.0.0.1:9/feed.atom"};
    entries[4] = {.name = "gcp-all", .kind = "google_cloud_status",
                  .url = "http://127.0.0.1:9/incidents.json"};
    for (const config::StatusSource& e : entries) {
      auto made = source::MakeSource(e);
      if (!made) {
        std::fprintf(stderr, "%s\n", made.error().message().c_str());
        std::abort();
      }
      all->push_back(std::move(made).value());
    }
    return all;
  }();
  return *sources;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  auto& all = All();
  const source::Source& s = *all[data[0] % all.size()];
  std::vector<net::Response> answers;
  const size_t requests = s.BuildRequests().size();
  // OpenRouter reads two documents: the same bytes answer both.
  for (size_t i = 0; i < requests; ++i) {
    net::Response r;
    r.http_status = 200;
    r.headers = {{"content-type", data[0] & 0x80 ? "application/atom+xml" : "application/json"}};
    r.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    r.body_bytes = r.body.size();
    answers.push_back(std::move(r));
  }
  source::Snapshot snap = s.Parse(answers, WallTime(std::chrono::hours(24 * 20'000)));
  if (snap.health == source::Health::kUnknown) {
    MW_FUZZ_CHECK(!snap.why.empty());
  }
  return 0;
}
