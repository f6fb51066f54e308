#include "store/sqlite/rows.h"

#include "store/codes.h"
#include "store/sqlite/db.h"

namespace modelwatch::store::sqlite {

void BindOptionalTime(sqlite3_stmt* s, int i, const std::optional<WallTime>& t) {
  if (t) {
    sqlite3_bind_int64(s, i, ToUnixMillis(*t));
  } else {
    sqlite3_bind_null(s, i);
  }
}

std::optional<WallTime> ColumnOptionalTime(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) {
    return std::nullopt;
  }
  return FromUnixMillis(sqlite3_column_int64(s, i));
}

void BindResult(sqlite3_stmt* s, int64_t monitor_id, const CheckResult& r) {
  sqlite3_bind_int64(s, 1, monitor_id);
  sqlite3_bind_int64(s, 2, ToUnixMillis(r.timestamp));
  sqlite3_bind_int(s, 3, StatusToDb(r.status));
  sqlite3_bind_int64(s, 4, r.latency.count());
  sqlite3_bind_int(s, 5, r.http_status);
  if (!r.error.empty()) {
    BindText(s, 6, r.error);
  }
  if (r.retry_after) {
    sqlite3_bind_int64(s, 7, r.retry_after->count());
  }
  sqlite3_bind_int64(s, 8, r.phases.dns.count());
  sqlite3_bind_int64(s, 9, r.phases.connect.count());
  sqlite3_bind_int64(s, 10, r.phases.tls.count());
  sqlite3_bind_int64(s, 11, r.phases.first_byte.count());
  sqlite3_bind_int64(s, 12, r.phases.total.count());
  if (r.image) {
    sqlite3_bind_int(s, 13, ImageFormatToDb(r.image->format));
    sqlite3_bind_int(s, 14, r.image->width);
    sqlite3_bind_int(s, 15, r.image->height);
    sqlite3_bind_int64(s, 16, static_cast<int64_t>(r.image->bytes));
  }
  if (r.cost) {
    sqlite3_bind_double(s, 17, *r.cost);
  }
  sqlite3_bind_int(s, 18, r.mode == CheckMode::kLight ? 1 : 0);
  if (r.async) {
    sqlite3_bind_int64(s, 19, r.async->accept.count());
    sqlite3_bind_int64(s, 20, r.async->queue.count());
    sqlite3_bind_int64(s, 21, r.async->fetch.count());
    sqlite3_bind_int(s, 22, r.async->polls);
  }
}

CheckResult ColumnResult(sqlite3_stmt* s) {
  using std::chrono::microseconds;
  CheckResult r;
  r.timestamp = FromUnixMillis(sqlite3_column_int64(s, 0));
  r.status = StatusFromDb(sqlite3_column_int64(s, 1)).value_or(CheckStatus::kInvalidResponse);
  r.latency = std::chrono::milliseconds(sqlite3_column_int64(s, 2));
  r.http_status = sqlite3_column_int(s, 3);
  r.error = std::string(ColumnText(s, 4));
  if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
    r.retry_after = std::chrono::seconds(sqlite3_column_int64(s, 5));
  }
  r.phases.dns = microseconds(sqlite3_column_int64(s, 6));
  r.phases.connect = microseconds(sqlite3_column_int64(s, 7));
  r.phases.tls = microseconds(sqlite3_column_int64(s, 8));
  r.phases.first_byte = microseconds(sqlite3_column_int64(s, 9));
  r.phases.total = microseconds(sqlite3_column_int64(s, 10));
  if (sqlite3_column_type(s, 11) != SQLITE_NULL) {
    ImageInfo info;
    info.format = ImageFormatFromDb(sqlite3_column_int64(s, 11)).value_or(ImageFormat::kPng);
    info.width = sqlite3_column_int(s, 12);
    info.height = sqlite3_column_int(s, 13);
    info.bytes = static_cast<size_t>(sqlite3_column_int64(s, 14));
    r.image = info;
  }
  if (sqlite3_column_type(s, 15) != SQLITE_NULL) {
    r.cost = sqlite3_column_double(s, 15);
  }
  r.mode = sqlite3_column_int(s, 16) == 1 ? CheckMode::kLight : CheckMode::kFull;
  if (sqlite3_column_type(s, 17) != SQLITE_NULL) {
    AsyncPhases a;
    a.accept = std::chrono::milliseconds(sqlite3_column_int64(s, 17));
    a.queue = std::chrono::milliseconds(sqlite3_column_int64(s, 18));
    a.fetch = std::chrono::milliseconds(sqlite3_column_int64(s, 19));
    a.polls = sqlite3_column_int(s, 20);
    r.async = a;
  }
  return r;
}

}  // namespace modelwatch::store::sqlite
