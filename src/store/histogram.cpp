#include "store/histogram.h"

#include <algorithm>
#include <cmath>

namespace modelwatch::store {
namespace {

// kLower[i] is the smallest whole millisecond in bucket i.
constexpr std::array<int64_t, Histogram::kBuckets> MakeLowerBounds() {
  std::array<int64_t, Histogram::kBuckets> lo{};
  lo[0] = 0;
  // 2^(k/4) for k = 0..3, scaled by 1e9 to stay in integers at compile time.
  constexpr int64_t kQuarterPow[4] = {1'000'000'000, 1'189'207'115, 1'414'213'562, 1'681'792'830};
  for (int i = 1; i < Histogram::kBuckets; ++i) {
    int k = i - 1;
    int64_t whole = int64_t{1} << (k / 4);
    // ceil(whole * 2^((k%4)/4))
    __int128 scaled = static_cast<__int128>(whole) * kQuarterPow[k % 4];
    int64_t v = static_cast<int64_t>((scaled + 999'999'999) / 1'000'000'000);
    lo[i] = v;
  }
  return lo;
}

constexpr std::array<int64_t, Histogram::kBuckets> kLower = MakeLowerBounds();

}  // namespace

int Histogram::BucketOf(int64_t ms) {
  if (ms <= 0) {
    return 0;
  }
  // The last bucket whose lower bound is <= ms.
  auto it = std::upper_bound(kLower.begin() + 1, kLower.end(), ms);
  return static_cast<int>(it - kLower.begin()) - 1;
}

int64_t Histogram::LowerBound(int i) { return kLower[i]; }

void Histogram::Merge(const Histogram& other) {
  for (int i = 0; i < kBuckets; ++i) {
    counts_[i] += other.counts_[i];
  }
}

uint64_t Histogram::count() const {
  uint64_t n = 0;
  for (uint64_t c : counts_) {
    n += c;
  }
  return n;
}

double Histogram::Percentile(double p, int64_t min_ms, int64_t max_ms) const {
  uint64_t n = count();
  if (n == 0) {
    return 0;
  }
  auto rank = static_cast<uint64_t>(std::ceil(p * static_cast<double>(n)));
  rank = std::clamp<uint64_t>(rank, 1, n);
  uint64_t before = 0;
  for (int i = 0; i < kBuckets; ++i) {
    uint64_t c = counts_[i];
    if (c == 0 || before + c < rank) {
      before += c;
      continue;
    }
    // Values in bucket i are whole ms in [lo, hi]; spread the bucket's ranks
    // evenly over that span.
    double lo = static_cast<double>(kLower[i]);
    double hi = i + 1 < kBuckets ? static_cast<double>(kLower[i + 1] - 1)
                                 : static_cast<double>(std::max(max_ms, kLower[i]));
    hi = std::max(hi, lo);
    double f = c == 1 ? 0.5 : static_cast<double>(rank - before - 1) / static_cast<double>(c - 1);
    double v = lo + f * (hi - lo);
    // The exact value lies in [lo, hi] and in [min_ms, max_ms], so both
    // ranges overlap; clamping keeps the estimate in its bucket.
    double floor_v = std::max(lo, static_cast<double>(min_ms));
    double ceil_v = std::max(floor_v, std::min(hi, static_cast<double>(max_ms)));
    v = std::clamp(v, floor_v, ceil_v);
    return v;
  }
  return static_cast<double>(max_ms);
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63; shift += 7) {
    if (*pos >= in.size()) {
      return false;
    }
    auto byte = static_cast<uint8_t>(in[(*pos)++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

}  // namespace modelwatch::store
