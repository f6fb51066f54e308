// Reading one image answer, as the network thread does once the bytes are
// out of the socket: a gpt-image style JSON answer with a 1024x1024 PNG
// (4.2 MB of base64; argument 1024) or the probe engine benchmark's 64x64
// one (22 KB; argument 64), delivered in 16 KiB pieces as libcurl delivers
// them.
//
//   whole:   append every piece to the body, parse it all, decode the header
//   clipped: stream the pieces through net::JsonClipper (Request::keep_bytes
//            as the image kinds set it), parse what was kept, decode the
//            header, size the image from the clip record
//
//   build/bench_image_answer --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "core/base64.h"
#include "net/json_clip.h"
#include "net/request.h"
#include "probe/image_data.h"
#include "probe/json_body.h"
#include "sim/image.h"

namespace modelwatch {
namespace {

constexpr size_t kPiece = 16 * 1024;

std::string Answer(int side) {
  return R"({"created":1795847009,"data":[{"b64_json":")" + EncodeBase64(sim::EncodePng(side, side)) +
         R"("}],"usage":{"total_tokens":4160}})";
}

// The check's verdict: the image's size, or 0 when it did not read.
size_t Read(const net::Response& r) {
  auto doc = probe::ParseJson(r.body);
  if (!doc) {
    return 0;
  }
  const auto* b64 = probe::Member(probe::Element(probe::Member(&*doc, "data"), 0), "b64_json");
  auto image = probe::DecodeImageBase64(probe::StringOf(b64), &r);
  return image.has_value() ? image->bytes : 0;
}

void Whole(benchmark::State& state) {
  const std::string answer = Answer(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    net::Response r;
    r.body.reserve(answer.size() + net::kBodyPadding);
    for (size_t i = 0; i < answer.size(); i += kPiece) {
      r.body.append(std::string_view(answer).substr(i, kPiece));
    }
    size_t bytes = Read(r);
    if (bytes == 0) {
      state.SkipWithError("the image did not read");
      return;
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * answer.size()));
}
BENCHMARK(Whole)->Arg(64)->Arg(1024)->Unit(benchmark::kMicrosecond);

void Clipped(benchmark::State& state) {
  const std::string answer = Answer(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    net::Response r;
    r.body.reserve(probe::kImageKeepBytes + 4096 + net::kBodyPadding);
    net::JsonClipper clipper(probe::kImageKeepBytes);
    for (size_t i = 0; i < answer.size(); i += kPiece) {
      clipper.Feed(std::string_view(answer).substr(i, kPiece), r.body, r.clipped);
    }
    size_t bytes = Read(r);
    bool clip_expected = answer.size() > probe::kImageKeepBytes;
    if (bytes == 0 || r.clipped.empty() == clip_expected) {
      state.SkipWithError("the image did not read, or its clipping was not as expected");
      return;
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * answer.size()));
}
BENCHMARK(Clipped)->Arg(64)->Arg(1024)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace modelwatch

BENCHMARK_MAIN();
