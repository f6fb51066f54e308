#pragma once

// The fixture of the store contract suites (store_contract_test.cpp,
// alert_contract_test.cpp): a store on SQLite in a temporary directory or on
// a fresh schema of the PostgreSQL server in MODELWATCH_TEST_PG_URL. Test
// code only.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "store/store.h"
#include "store/store_test_util.h"

namespace modelwatch::store::testing {

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      url_ = TestPgUrl();
      if (url_.empty()) {
        GTEST_SKIP() << "MODELWATCH_TEST_PG_URL is not set";
      }
      options_.postgres_url = url_;
      options_.postgres_schema = UniqueSchema();
    } else {
      options_.sqlite_path = dir_.path() + "/modelwatch.db";
    }
    options_.clock = &clock_;
    options_.prune_interval = std::chrono::hours(1000);  // tests that prune ask for it
  }
  void TearDown() override {
    if (!url_.empty()) {
      PgExec(url_, "DROP SCHEMA IF EXISTS \"" + options_.postgres_schema + "\" CASCADE");
    }
  }

  StorePtr OpenStore() {
    auto s = Open(options_);
    EXPECT_TRUE(s.has_value()) << s.error().message();
    return s ? std::move(*s) : nullptr;
  }

  // An hour-aligned instant well in the past of the fake clock's "now".
  WallTime HourStart() const {
    int64_t ms = ToUnixMillis(clock_.WallNow() - std::chrono::hours(48));
    return FromUnixMillis(BucketStart(Resolution::kHour, ms));
  }

  // Runs `sql` on the test's database behind the store's back (set-up,
  // fault injection); false on failure.
  bool ExecSql(const std::string& sql) {
    if (!url_.empty()) {
      return PgExec(url_, "SET search_path TO \"" + options_.postgres_schema + "\"; " + sql);
    }
    sqlite3* db = nullptr;
    // The store's writer may hold the file's lock for a moment (retrying a
    // commit, say): wait for it as the store's own connections do.
    bool ok = sqlite3_open(options_.sqlite_path.c_str(), &db) == SQLITE_OK &&
              sqlite3_busy_timeout(db, 10'000) == SQLITE_OK &&
              sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
  }
  // The first column of the first row of `sql` as an integer; -1 on failure.
  int64_t QueryInt(const std::string& sql) {
    int64_t v = -1;
    if (!url_.empty()) {
      PGconn* c = PQconnectdb(url_.c_str());
      std::string q = "SET search_path TO \"" + options_.postgres_schema + "\"; " + sql;
      PGresult* r = PQexec(c, q.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
        v = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
      }
      PQclear(r);
      PQfinish(c);
      return v;
    }
    sqlite3* db = nullptr;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_open(options_.sqlite_path.c_str(), &db) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
  }
  bool postgres() const { return !url_.empty(); }

  TempDir dir_;
  std::string url_;
  FakeClock clock_;
  Options options_;
};

}  // namespace modelwatch::store::testing
