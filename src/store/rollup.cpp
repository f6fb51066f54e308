#include "store/rollup.h"

#include <algorithm>
#include <cmath>

#include "store/codes.h"

namespace modelwatch::store {
namespace {

// Version 1: ten status counts, no cost. Version 2 added model_not_found
// (eleven counts) and the cost sums at the end. Both are read.
constexpr uint8_t kEncodingVersion = 2;
constexpr uint8_t kTenStatusVersion = 1;
constexpr int kTenStatuses = 10;

}  // namespace

std::chrono::milliseconds Length(Resolution r) {
  switch (r) {
    case Resolution::kMinute:
      return std::chrono::minutes(1);
    case Resolution::kHour:
      return std::chrono::hours(1);
    case Resolution::kDay:
      return std::chrono::hours(24);
  }
  return std::chrono::minutes(1);
}

int64_t BucketStart(Resolution r, int64_t ms) {
  int64_t len = Length(r).count();
  int64_t q = ms / len;
  if (ms % len < 0) {
    --q;
  }
  return q * len;
}

void Rollup::Add(const CheckResult& r) {
  if (r.mode == CheckMode::kLight) {
    return;  // windows are of generations: a light check is kept raw only (docs/cost.md)
  }
  ++counts[static_cast<int>(r.status)];
  if (r.cost && *r.cost >= 0) {
    cost_micros += static_cast<uint64_t>(std::llround(*r.cost * 1e6));
    ++costed;
  }
  if (!IsSuccess(r.status)) {
    return;
  }
  int64_t ms = std::max<int64_t>(0, r.latency.count());
  bool first = successes() == 1;
  latency_sum_ms += static_cast<uint64_t>(ms);
  latency_min_ms = first ? ms : std::min(latency_min_ms, ms);
  latency_max_ms = first ? ms : std::max(latency_max_ms, ms);
  histogram.Add(ms);
}

void Rollup::Merge(const Rollup& o) {
  uint64_t mine = successes();
  uint64_t theirs = o.successes();
  for (int i = 0; i < kCheckStatusCount; ++i) {
    counts[i] += o.counts[i];
  }
  cost_micros += o.cost_micros;
  costed += o.costed;
  if (theirs == 0) {
    return;
  }
  latency_sum_ms += o.latency_sum_ms;
  latency_min_ms = mine == 0 ? o.latency_min_ms : std::min(latency_min_ms, o.latency_min_ms);
  latency_max_ms = mine == 0 ? o.latency_max_ms : std::max(latency_max_ms, o.latency_max_ms);
  histogram.Merge(o.histogram);
}

uint64_t Rollup::checks() const {
  uint64_t n = 0;
  for (uint64_t c : counts) {
    n += c;
  }
  return n;
}

uint64_t Rollup::successes() const {
  return count(CheckStatus::kSuccess) + count(CheckStatus::kDegraded);
}

uint64_t Rollup::failures() const { return checks() - successes() - rate_limited(); }

std::string EncodeRollup(const Rollup& r) {
  std::string out;
  out.reserve(32);
  out.push_back(static_cast<char>(kEncodingVersion));
  for (int code = 0; code < kCheckStatusCount; ++code) {
    PutVarint(&out, r.count(*StatusFromDb(code)));
  }
  PutVarint(&out, r.latency_sum_ms);
  PutVarint(&out, static_cast<uint64_t>(r.latency_min_ms));
  PutVarint(&out, static_cast<uint64_t>(r.latency_max_ms));
  int nonzero = 0;
  for (int i = 0; i < Histogram::kBuckets; ++i) {
    nonzero += r.histogram.at(i) != 0;
  }
  PutVarint(&out, static_cast<uint64_t>(nonzero));
  int next = 0;
  for (int i = 0; i < Histogram::kBuckets; ++i) {
    if (r.histogram.at(i) != 0) {
      PutVarint(&out, static_cast<uint64_t>(i - next));
      PutVarint(&out, r.histogram.at(i));
      next = i + 1;
    }
  }
  PutVarint(&out, r.cost_micros);
  PutVarint(&out, r.costed);
  return out;
}

bool DecodeRollup(std::string_view data, Rollup* out) {
  *out = Rollup();
  const uint8_t version = data.empty() ? 0 : static_cast<uint8_t>(data[0]);
  if (version != kEncodingVersion && version != kTenStatusVersion) {
    return false;
  }
  const int statuses = version == kTenStatusVersion ? kTenStatuses : kCheckStatusCount;
  size_t pos = 1;
  uint64_t v = 0;
  for (int code = 0; code < statuses; ++code) {
    if (!GetVarint(data, &pos, &v)) {
      return false;
    }
    out->counts[static_cast<int>(*StatusFromDb(code))] = v;
  }
  uint64_t min = 0;
  uint64_t max = 0;
  uint64_t nonzero = 0;
  if (!GetVarint(data, &pos, &out->latency_sum_ms) || !GetVarint(data, &pos, &min) ||
      !GetVarint(data, &pos, &max) || !GetVarint(data, &pos, &nonzero) ||
      nonzero > Histogram::kBuckets) {
    return false;
  }
  out->latency_min_ms = static_cast<int64_t>(min);
  out->latency_max_ms = static_cast<int64_t>(max);
  uint64_t next = 0;
  for (uint64_t k = 0; k < nonzero; ++k) {
    uint64_t gap = 0;
    uint64_t count = 0;
    if (!GetVarint(data, &pos, &gap) || !GetVarint(data, &pos, &count)) {
      return false;
    }
    uint64_t i = next + gap;
    if (i >= Histogram::kBuckets) {
      return false;
    }
    out->histogram.set(static_cast<int>(i), count);
    next = i + 1;
  }
  if (version >= 2 &&
      (!GetVarint(data, &pos, &out->cost_micros) || !GetVarint(data, &pos, &out->costed))) {
    return false;
  }
  return pos == data.size();
}

}  // namespace modelwatch::store
