#include "store/backend.h"

#include <fmt/format.h>

#include "core/check_status.h"
#include "store/codes.h"

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

std::string CountResultsSql(size_t windows, char mark) {
  // The stored codes of the statuses that are not failures, from the enum,
  // so this list can never disagree with IsFailure.
  std::string not_failed;
  for (int i = 0; i < kCheckStatusCount; ++i) {
    auto s = static_cast<CheckStatus>(i);
    if (!IsFailure(s)) {
      not_failed += fmt::format("{}{}", not_failed.empty() ? "" : ", ", StatusToDb(s));
    }
  }
  std::string sql = "SELECT ";
  for (size_t w = 0; w < windows; ++w) {
    size_t p = 5 + w;
    sql += fmt::format(
        "{}COUNT(CASE WHEN r.ts_ms >= {}{} THEN 1 END), "
        "COUNT(CASE WHEN r.ts_ms >= {}{} AND r.status IN ({}) THEN 1 END)",
        w == 0 ? "" : ", ", mark, p, mark, p, not_failed);
  }
  sql += fmt::format(
      " FROM results r JOIN monitors m ON m.id = r.monitor_id"
      " WHERE m.name = {0}1 AND r.light = {0}2 AND r.ts_ms >= {0}3 AND r.ts_ms < {0}4",
      mark);
  return sql;
}

}  // namespace modelwatch::store
