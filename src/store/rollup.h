#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/check_result.h"
#include "core/check_status.h"
#include "store/histogram.h"

namespace modelwatch::store {

// Rollup bucket sizes. Minute and hour rollups are what the issue asks for;
// day rollups make 7- and 30-day windows read ~30 rows instead of 720.
enum class Resolution { kMinute, kHour, kDay };
inline constexpr int kResolutionCount = 3;

std::chrono::milliseconds Length(Resolution r);
// Start of the bucket holding `ms` (UTC, ms since epoch).
int64_t BucketStart(Resolution r, int64_t ms);

// Everything the statistics need about the checks of one monitor in one
// bucket. Latency figures cover successes (incl. degraded) only. Light
// checks (CheckMode::kLight) are not counted: Add ignores them. Mergeable:
// Merge of the minute rollups of an hour equals that hour's rollup.
struct Rollup {
  std::array<uint64_t, kCheckStatusCount> counts{};  // by CheckStatus
  uint64_t latency_sum_ms = 0;
  int64_t latency_min_ms = 0;  // meaningful when successes() > 0
  int64_t latency_max_ms = 0;
  Histogram histogram;
  // Cost of the checks that had one (CheckResult::cost), in millionths of a
  // USD so sums stay exact, and how many checks it covers.
  uint64_t cost_micros = 0;
  uint64_t costed = 0;

  void Add(const CheckResult& r);
  void Merge(const Rollup& other);

  uint64_t count(CheckStatus s) const { return counts[static_cast<int>(s)]; }
  uint64_t checks() const;
  uint64_t successes() const;
  uint64_t failures() const;
  uint64_t rate_limited() const { return count(CheckStatus::kRateLimited); }
  double cost_usd() const { return static_cast<double>(cost_micros) / 1e6; }

  bool operator==(const Rollup&) const = default;
};

// The compact BLOB stored in the rollup tables: a version byte, then varints
// (counts, latency sum/min/max, then the non-empty histogram buckets as
// (index gap, count) pairs), then (version 2) cost_micros and costed.
// Typical sizes: 20 bytes a minute, 40 an hour. Version 1 blobs (before
// cost) decode with no cost.
std::string EncodeRollup(const Rollup& r);
// False when `data` is not a valid encoding; *out is then unspecified.
bool DecodeRollup(std::string_view data, Rollup* out);

}  // namespace modelwatch::store
