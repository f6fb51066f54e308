#include "store/backend.h"

namespace modelwatch::store {

std::map<RollupKey, Rollup> AggregateRollups(std::span<const CheckResult> results) {
  std::map<RollupKey, Rollup> out;
  for (const CheckResult& r : results) {
    int64_t ms = ToUnixMillis(r.timestamp);
    for (Resolution res : {Resolution::kMinute, Resolution::kHour, Resolution::kDay}) {
      out[RollupKey{res, r.monitor, BucketStart(res, ms)}].Add(r);
    }
  }
  return out;
}

}  // namespace modelwatch::store
