// Ingest throughput of the store (results per second, through the public
// Store API: queue, writer thread, batched transactions with rollups) and
// bytes on disk per raw result and per monitor-day of rollups.
//
//   bench_store_ingest [--results N] [--monitors M] [--dir DIR]
// PostgreSQL too when MODELWATCH_BENCH_PG_URL is set (a fresh schema is
// created and dropped).
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "store/store.h"

namespace mw = modelwatch;
namespace store = modelwatch::store;

namespace {

mw::CheckResult Make(int i, int monitors, mw::WallTime base, std::mt19937& rng) {
  mw::CheckResult r;
  r.monitor = "monitor-" + std::to_string(i % monitors);
  // Each monitor checks once a minute.
  r.timestamp = base + std::chrono::minutes(i / monitors);
  r.status = rng() % 50 == 0 ? mw::CheckStatus::kServerError : mw::CheckStatus::kSuccess;
  r.latency = std::chrono::milliseconds(5000 + rng() % 20000);
  r.http_status = r.status == mw::CheckStatus::kSuccess ? 200 : 500;
  if (r.status != mw::CheckStatus::kSuccess) {
    r.error = "upstream returned 500 Internal Server Error";
  }
  r.phases.dns = std::chrono::microseconds(1200);
  r.phases.connect = std::chrono::microseconds(15000);
  r.phases.tls = std::chrono::microseconds(42000);
  r.phases.first_byte = std::chrono::microseconds(r.latency.count() * 900);
  r.phases.total = std::chrono::microseconds(r.latency.count() * 1000);
  if (r.status == mw::CheckStatus::kSuccess) {
    r.image = mw::ImageInfo{mw::ImageFormat::kPng, 1024, 1024, 1'500'000};
  }
  return r;
}

// Appends `n` results and waits until they are written; results per second.
double Ingest(store::Store& s, int n, int monitors, mw::WallTime base) {
  std::mt19937 rng(1);
  std::vector<mw::CheckResult> rs;
  rs.reserve(n);
  for (int i = 0; i < n; ++i) {
    rs.push_back(Make(i, monitors, base, rng));
  }
  auto t0 = std::chrono::steady_clock::now();
  for (auto& r : rs) {
    s.Append(std::move(r));
  }
  modelwatch::Status st = s.Flush();
  auto t1 = std::chrono::steady_clock::now();
  if (!st.ok() || s.dropped() > 0) {
    std::fprintf(stderr, "ingest failed: %s (dropped %llu)\n", st.message().c_str(),
                 static_cast<unsigned long long>(s.dropped()));
    std::exit(1);
  }
  return n / std::chrono::duration<double>(t1 - t0).count();
}

int64_t SqliteBytes(const std::string& path, const char* like) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  std::string sql = std::string("SELECT total(pgsize) FROM dbstat WHERE name LIKE '") + like + "'";
  int64_t v = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    v = static_cast<int64_t>(sqlite3_column_double(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

int64_t PgBytes(const std::string& url, const std::string& schema, const char* table) {
  PGconn* c = PQconnectdb(url.c_str());
  std::string sql = "SELECT pg_total_relation_size('\"" + schema + "\"." + table + "')";
  PGresult* r = PQexec(c, sql.c_str());
  int64_t v = PQresultStatus(r) == PGRES_TUPLES_OK ? std::atoll(PQgetvalue(r, 0, 0)) : -1;
  PQclear(r);
  PQfinish(c);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 500'000;
  int monitors = 100;
  std::string dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--results")) n = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--monitors")) monitors = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  mw::WallTime base = mw::SystemClock().WallNow() - std::chrono::hours(24 * 5);
  double days = static_cast<double>(n) / monitors / 1440.0;

  std::string path = dir + "/bench_ingest_" + std::to_string(getpid()) + ".db";
  {
    store::Options o;
    o.sqlite_path = path;
    o.queue_capacity = static_cast<size_t>(n);
    o.prune = false;
    auto s = store::Open(o);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
    double rate = Ingest(**s, n, monitors, base);
    std::printf("sqlite   ingest: %d results, %d monitors: %.0f results/s\n", n, monitors, rate);
  }
  int64_t raw = SqliteBytes(path, "results%");
  int64_t rollups = SqliteBytes(path, "rollup_%");
  int64_t minute = SqliteBytes(path, "rollup_minute");
  std::printf(
      "sqlite   size: %.1f bytes/raw result (table + index); rollups %.0f bytes per "
      "monitor-day (minute %.0f, hour+day %.0f)\n",
      static_cast<double>(raw) / n, rollups / (monitors * days), minute / (monitors * days),
      (rollups - minute) / (monitors * days));
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");

  const char* url = std::getenv("MODELWATCH_BENCH_PG_URL");
  if (url != nullptr && *url != '\0') {
    std::string schema = "bench_" + std::to_string(getpid());
    int pg_n = n / 5;
    {
      store::Options o;
      o.postgres_url = url;
      o.postgres_schema = schema;
      o.queue_capacity = static_cast<size_t>(pg_n);
      o.prune = false;
      auto s = store::Open(o);
      if (!s) {
        std::fprintf(stderr, "%s\n", s.error().message().c_str());
        return 1;
      }
      double rate = Ingest(**s, pg_n, monitors, base);
      std::printf("postgres ingest: %d results, %d monitors: %.0f results/s\n", pg_n, monitors,
                  rate);
    }
    double pg_days = static_cast<double>(pg_n) / monitors / 1440.0;
    int64_t pg_raw = PgBytes(url, schema, "results");
    int64_t pg_roll = PgBytes(url, schema, "rollup_minute") + PgBytes(url, schema, "rollup_hour") +
                      PgBytes(url, schema, "rollup_day");
    std::printf("postgres size: %.1f bytes/raw result; rollups %.0f bytes per monitor-day\n",
                static_cast<double>(pg_raw) / pg_n, pg_roll / (monitors * pg_days));
    PGconn* c = PQconnectdb(url);
    PQclear(PQexec(c, ("DROP SCHEMA \"" + schema + "\" CASCADE").c_str()));
    PQfinish(c);
  }
  return 0;
}
