// The benchmarks' synthetic history (bench/store_query.cpp, the web
// benchmarks): 30 days of rollups for N monitors named monitor-1 ...
// monitor-N at one check a minute, written straight into a modelwatch
// SQLite store, so a query or a dashboard has a month of bars and windows
// to read without minutes of ingest first. Raw rows are not generated.
#pragma once

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "core/check_result.h"
#include "core/clock.h"
#include "store/rollup.h"

namespace modelwatch::bench {

namespace store = modelwatch::store;
namespace mw = modelwatch;

inline void Check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

// Hour and day rollups for 30 days (each hour from 60 simulated checks) and
// minute rollups for the last 2 hours, written straight into the tables.
inline void Generate(const std::string& path, int monitors, mw::WallTime now) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db);
  Check(sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr), db);
  sqlite3_stmt* mon = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO monitors (id, name) VALUES (?1, ?2)", -1, &mon, nullptr);
  const char* tables[] = {"rollup_minute", "rollup_hour", "rollup_day"};
  sqlite3_stmt* ins[3];
  for (int i = 0; i < 3; ++i) {
    std::string sql = std::string("INSERT INTO ") + tables[i] +
                      " (monitor_id, start_ms, data) VALUES (?1, ?2, ?3)";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &ins[i], nullptr);
  }
  auto put = [&](int level, int id, int64_t start, const store::Rollup& r) {
    std::string blob = store::EncodeRollup(r);
    sqlite3_reset(ins[level]);
    sqlite3_bind_int(ins[level], 1, id);
    sqlite3_bind_int64(ins[level], 2, start);
    sqlite3_bind_blob(ins[level], 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    Check(sqlite3_step(ins[level]), db);
  };
  std::mt19937 rng(7);
  int64_t now_ms = mw::ToUnixMillis(now);
  int64_t h0 = store::BucketStart(store::Resolution::kHour, now_ms);
  int64_t first_hour = h0 - 30LL * 24 * 3'600'000;
  for (int id = 1; id <= monitors; ++id) {
    std::string name = "monitor-" + std::to_string(id);
    sqlite3_reset(mon);
    sqlite3_bind_int(mon, 1, id);
    sqlite3_bind_text(mon, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(mon), db);
    store::Rollup day;
    int64_t day_start = store::BucketStart(store::Resolution::kDay, first_hour);
    for (int64_t h = first_hour; h <= h0; h += 3'600'000) {
      int64_t d = store::BucketStart(store::Resolution::kDay, h);
      if (d != day_start) {
        put(2, id, day_start, day);
        day = store::Rollup();
        day_start = d;
      }
      store::Rollup hour;
      for (int m = 0; m < 60; ++m) {
        int64_t ts = h + m * 60'000;
        if (ts > now_ms) {
          break;
        }
        mw::CheckResult c;
        uint32_t x = rng() % 1000;
        c.status = x < 5   ? mw::CheckStatus::kServerError
                   : x < 8 ? mw::CheckStatus::kRateLimited
                           : mw::CheckStatus::kSuccess;
        c.latency = std::chrono::milliseconds(4000 + rng() % 16000);
        c.timestamp = mw::FromUnixMillis(ts);
        hour.Add(c);
        if (ts >= h0 - 3'600'000) {
          store::Rollup minute;
          minute.Add(c);
          put(0, id, ts, minute);
        }
      }
      put(1, id, h, hour);
      day.Merge(hour);
    }
    put(2, id, day_start, day);
  }
  Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
  sqlite3_finalize(mon);
  for (auto* s : ins) {
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}

}  // namespace modelwatch::bench
