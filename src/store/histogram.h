#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace modelwatch::store {

// A mergeable latency histogram with fixed log-spaced buckets, so that
// per-minute histograms add up to hourly, daily and window ones exactly.
// Bucket 0 holds [0, 1 ms); bucket i (1..78) holds [2^((i-1)/4), 2^(i/4)) ms
// rounded up to whole milliseconds (each about 1.19x wider than the last);
// bucket 79 holds everything from 2^19.5 ms (about 12.4 min) up.
class Histogram {
 public:
  static constexpr int kBuckets = 80;

  // The bucket holding a latency of `ms` milliseconds.
  static int BucketOf(int64_t ms);
  // Smallest whole millisecond in bucket `i`.
  static int64_t LowerBound(int i);

  void Add(int64_t ms, uint64_t n = 1) { counts_[BucketOf(ms)] += n; }
  void Merge(const Histogram& other);
  uint64_t count() const;
  uint64_t at(int bucket) const { return counts_[bucket]; }
  void set(int bucket, uint64_t n) { counts_[bucket] = n; }

  // Nearest-rank percentile (0 < p <= 1), interpolated inside its bucket and
  // clamped to [min_ms, max_ms], the smallest and largest values added.
  // Always lands in the bucket of the exact nearest-rank value. 0 when empty.
  double Percentile(double p, int64_t min_ms, int64_t max_ms) const;

  bool operator==(const Histogram&) const = default;

 private:
  std::array<uint64_t, kBuckets> counts_{};
};

// Varint helpers for the compact rollup encoding.
void PutVarint(std::string* out, uint64_t v);
// Reads one varint at *pos; false when `in` ends first or it is too long.
bool GetVarint(std::string_view in, size_t* pos, uint64_t* v);

}  // namespace modelwatch::store
