// Two `modelwatch run` processes on one database: the second is refused with
// the first's host, pid and start time, on SQLite and on PostgreSQL; the
// reading commands are not; a killed first does not block its successor.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

std::string Hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

bool PgExec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult* r = PQexec(c, sql.c_str());
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

class InstanceLockRun : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    std::string storage = "{sqlite: \"" + dir_ + "/mw.db\"}";
    if (GetParam() == "postgres") {
      const char* url = std::getenv("MODELWATCH_TEST_PG_URL");
      if (url == nullptr) {
        GTEST_SKIP() << "MODELWATCH_TEST_PG_URL is not set";
      }
      pg_url_ = url;
      schema_ = "mwlock_" + std::to_string(getpid());
      ASSERT_TRUE(PgExec(pg_url_, "CREATE SCHEMA " + schema_));
      std::string sep = pg_url_.find('?') == std::string::npos ? "?" : "&";
      storage = "{postgres: \"" + pg_url_ + sep + "options=-csearch_path%3D" + schema_ + "\"}";
    }
    config_ = dir_ + "/modelwatch.yaml";
    WriteFile(config_, "storage: " + storage +
                           "\nmonitors:\n"
                           "  - {name: nano, kind: http, url: \"http://127.0.0.1:9/\", "
                           "interval: 1s}\n");
  }
  void TearDown() override {
    if (!schema_.empty()) {
      PgExec(pg_url_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }
  // Waits until `p` logged its start line.
  static bool Started(const Subprocess& p) {
    for (int i = 0; i < 200; ++i) {
      if (p.out().find("\"event\":\"start\"") != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string dir_;
  std::string config_;
  std::string pg_url_;
  std::string schema_;
};

TEST_P(InstanceLockRun, SecondRunIsRefusedNamingTheFirst) {
  Subprocess first({Binary(), "run", "-q", "-c", config_});
  ASSERT_TRUE(Started(first)) << first.err();
  auto second = RunProcess({Binary(), "run", "-q", "-c", config_}, std::chrono::seconds(20));
  EXPECT_EQ(second.code, 2) << second.out;
  EXPECT_NE(second.err.find("another modelwatch run"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("host " + Hostname()), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(first.pid())), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("since 20"), std::string::npos) << second.err;
  EXPECT_EQ(second.out.find("\"event\":\"result\""), std::string::npos);  // probed nothing
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(std::chrono::seconds(15)), 0) << first.err();
}

TEST_P(InstanceLockRun, ReadingCommandsRunBesideIt) {
  Subprocess first({Binary(), "run", "-q", "-c", config_});
  ASSERT_TRUE(Started(first)) << first.err();
  for (const char* cmd : {"report", "stats", "export"}) {
    auto r = RunProcess({Binary(), cmd, "-c", config_}, std::chrono::seconds(20));
    EXPECT_EQ(r.code, 0) << cmd << ": " << r.err;
  }
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(std::chrono::seconds(15)), 0) << first.err();
}

TEST_P(InstanceLockRun, ACleanStopLetsTheNextRunStart) {
  {
    Subprocess first({Binary(), "run", "-q", "-c", config_});
    ASSERT_TRUE(Started(first)) << first.err();
    first.Signal(SIGTERM);
    ASSERT_EQ(first.Wait(std::chrono::seconds(15)), 0) << first.err();
  }
  Subprocess next({Binary(), "run", "-q", "-c", config_});
  EXPECT_TRUE(Started(next)) << next.err();
  next.Signal(SIGTERM);
  EXPECT_EQ(next.Wait(std::chrono::seconds(15)), 0) << next.err();
}

TEST_P(InstanceLockRun, AKilledRunDoesNotBlockItsSuccessor) {
  {
    Subprocess first({Binary(), "run", "-q", "-c", config_});
    ASSERT_TRUE(Started(first)) << first.err();
    first.Signal(SIGKILL);
    first.Wait(std::chrono::seconds(5));
  }
  // Its lease has 30 s to run, but its pid is gone on this host.
  Subprocess next({Binary(), "run", "-q", "-c", config_});
  EXPECT_TRUE(Started(next)) << next.err();
  next.Signal(SIGTERM);
  EXPECT_EQ(next.Wait(std::chrono::seconds(15)), 0) << next.err();
}

INSTANTIATE_TEST_SUITE_P(Engines, InstanceLockRun, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace modelwatch
