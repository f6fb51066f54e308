// The reading commands (report, export, stats, silence list) on a database
// file that is not one, and flags that repeat themselves.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/clock.h"
#include "store/store.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

class StoreCliFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    db_ = dir_ + "/mw.db";
    config_ = dir_ + "/modelwatch.yaml";
    WriteFile(config_, "storage: {sqlite: \"" + db_ +
                           "\"}\n"
                           "monitors:\n"
                           "  - {name: nano, kind: http, url: \"http://127.0.0.1:9/\"}\n");
  }
  void Fill(int n) {
    store::Options o;
    o.sqlite_path = db_;
    auto s = store::Open(o);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    WallTime now = SystemClock().WallNow();
    for (int i = 0; i < n; ++i) {
      CheckResult r;
      r.monitor = "nano";
      r.timestamp = now - std::chrono::minutes(n - i);
      r.latency = std::chrono::milliseconds(2000);
      r.http_status = 200;
      (*s)->Append(r);
    }
    ASSERT_TRUE((*s)->Flush().ok());
  }

  std::string dir_;
  std::string db_;
  std::string config_;
};

TEST_F(StoreCliFaults, ExportWithAMonitorNamedTwiceExportsItsRowsOnce) {
  Fill(20);
  auto r = RunProcess({Binary(), "export", "-c", config_, "--format", "jsonl", "--monitor", "nano",
                       "--monitor", "nano"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 20) << r.out;
}

TEST_F(StoreCliFaults, EmptyFileAsTheDatabaseIsRefusedAndLeftAlone) {
  WriteFile(db_, "");
  for (const char* cmd : {"report", "export", "stats"}) {
    auto r = RunProcess({Binary(), cmd, "-c", config_});
    EXPECT_EQ(r.code, 1) << cmd << ": " << r.out;
    EXPECT_NE(r.err.find(db_), std::string::npos) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find("empty"), std::string::npos) << cmd << ": " << r.err;
  }
  auto list = RunProcess({Binary(), "silence", "list", "-c", config_});
  EXPECT_EQ(list.code, 1) << list.out;
  EXPECT_EQ(std::filesystem::file_size(db_), 0u);  // nothing was created in it
}

TEST_F(StoreCliFaults, ReportOnCorruptPagesFailsWithTheReadError) {
  {
    store::Options o;
    o.sqlite_path = db_;
    auto s = store::Open(o);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    WallTime now = SystemClock().WallNow();
    for (int m = 0; m < 300; ++m) {
      for (int i = 0; i < 5; ++i) {
        CheckResult r;
        r.monitor = "monitor-" + std::to_string(m);
        r.timestamp = now - std::chrono::hours(i + 1);
        r.latency = std::chrono::milliseconds(1000);
        r.http_status = 200;
        (*s)->Append(r);
      }
    }
    ASSERT_TRUE((*s)->Flush().ok());
  }
  // Garbage over every page but the first (the header and schema), as a
  // failing disk would leave it.
  auto size = std::filesystem::file_size(db_);
  ASSERT_GT(size, 8192u);
  {
    std::fstream f(db_, std::ios::in | std::ios::out | std::ios::binary);
    for (std::streamoff at = 4096 * 2; at + 4096 <= static_cast<std::streamoff>(size);
         at += 4096 * 3) {
      f.seekp(at + 100);
      std::string junk(512, '\xa5');
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
  }
  auto r = RunProcess({Binary(), "report", "-c", config_, "--format", "json"});
  EXPECT_EQ(r.code, 1) << r.out.substr(0, 400);
  EXPECT_NE(r.err.find(db_), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("corrupt"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace modelwatch
