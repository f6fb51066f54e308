#pragma once

// Helpers shared by the store's tests (header-only, test code only).

#include <fmt/format.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/check_result.h"
#include "store/store.h"

namespace modelwatch::store::testing {

inline CheckResult MakeResult(const std::string& monitor, WallTime ts,
                              CheckStatus status = CheckStatus::kSuccess,
                              std::chrono::milliseconds latency = std::chrono::milliseconds(1000)) {
  CheckResult r;
  r.monitor = monitor;
  r.timestamp = ts;
  r.status = status;
  r.latency = latency;
  r.http_status = IsSuccess(status) ? 200 : 500;
  return r;
}

// A temporary directory removed with the object.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mwstore.XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The PostgreSQL server for tests, or empty (tests then skip).
inline std::string TestPgUrl() {
  const char* url = std::getenv("MODELWATCH_TEST_PG_URL");
  return url != nullptr ? url : "";
}

// A schema name unique to this process and call.
inline std::string UniqueSchema() {
  static std::atomic<int> n{0};
  return fmt::format("mwtest_{}_{}", getpid(), n++);
}

// Runs one SQL statement on the test server; for set-up and clean-up.
inline bool PgExec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, ("SET client_min_messages = warning; " + sql).c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

}  // namespace modelwatch::store::testing
