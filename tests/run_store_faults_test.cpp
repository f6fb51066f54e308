// `modelwatch run` when its SQLite file cannot be opened at start (refused,
// with the reason), is moved away while it runs (results held, written once
// it is back), or is deleted while it runs (a store error; nothing written
// into the unlinked file; the exit says how many results were lost).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

constexpr uid_t kNobody = 65534;

std::vector<nlohmann::json> Events(const std::string& out, const std::string& event) {
  std::vector<nlohmann::json> v;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    std::string line = out.substr(start, end - start);
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("event", "") == event) {
      v.push_back(j);
    }
    start = end == std::string::npos ? out.size() : end + 1;
  }
  return v;
}

class RunStoreFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    db_ = dir_ + "/mw.db";
    config_ = dir_ + "/modelwatch.yaml";
    WriteFile(config_,
              "storage: {sqlite: \"" + db_ +
                  "\"}\n"
                  "monitors:\n"
                  "  - {name: a, kind: http, url: \"http://127.0.0.1:9/\", interval: 1s}\n"
                  "  - {name: b, kind: http, url: \"http://127.0.0.1:9/\", interval: 1s}\n");
    store::Options o;
    o.sqlite_path = db_;
    auto s = store::Open(o);  // a database with its schema
    ASSERT_TRUE(s.has_value()) << s.error().message();
    // Root ignores file modes: the daemon then runs as nobody.
    if (geteuid() == 0) {
      ASSERT_EQ(chown(dir_.c_str(), kNobody, kNobody), 0);
      for (const auto& e : std::filesystem::directory_iterator(dir_)) {
        ASSERT_EQ(chown(e.path().c_str(), kNobody, kNobody), 0);
      }
    }
  }
  std::vector<std::string> Run() const {
    std::vector<std::string> args;
    if (geteuid() == 0) {
      args = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    for (const char* a : {"run", "-c"}) {
      args.push_back(a);
    }
    args.insert(args.begin() + (geteuid() == 0 ? 4 : 0), Binary());
    args.push_back(config_);
    return args;
  }
  int64_t Stored() const {
    store::Options o;
    o.sqlite_path = db_;
    auto s = store::Open(o);
    if (!s) {
      return -1;
    }
    auto r = (*s)->Results("", WallTime{});
    return r ? static_cast<int64_t>(r->size()) : -1;
  }
  static bool WaitFor(const Subprocess& p, const std::string& event,
                      std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (!Events(p.out(), event).empty()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::string dir_;
  std::string db_;
  std::string config_;
};

TEST_F(RunStoreFaults, ReadOnlyAtStartIsRefusedWithTheReason) {
  ASSERT_EQ(chmod(db_.c_str(), 0444), 0);
  Subprocess p(Run());
  EXPECT_EQ(p.Wait(std::chrono::seconds(15)), 2) << p.out() << p.err();
  EXPECT_NE(p.err().find("not started: sqlite " + db_ + ": cannot write: it is read-only"),
            std::string::npos)
      << p.err();
  EXPECT_EQ(p.err().find("held in memory"), std::string::npos) << p.err();
  EXPECT_TRUE(Events(p.out(), "result").empty()) << p.out();  // nothing probed
}

TEST_F(RunStoreFaults, MissingDirectoryAtStartIsRefused) {
  std::string db = dir_ + "/no/such/dir/mw.db";
  WriteFile(config_, "storage: {sqlite: \"" + db +
                         "\"}\nmonitors:\n"
                         "  - {name: a, kind: http, url: \"http://127.0.0.1:9/\", interval: 1s}\n");
  Subprocess p(Run());
  EXPECT_EQ(p.Wait(std::chrono::seconds(15)), 2) << p.out() << p.err();
  EXPECT_NE(p.err().find("not started: sqlite " + db), std::string::npos) << p.err();
  EXPECT_TRUE(Events(p.out(), "result").empty()) << p.out();
}

TEST_F(RunStoreFaults, FileMovedAwayWhileRunningIsHeldAndWrittenOnceBack) {
  Subprocess p(Run());
  ASSERT_TRUE(WaitFor(p, "result")) << p.out() << p.err();
  std::filesystem::rename(db_, db_ + ".away");
  ASSERT_TRUE(WaitFor(p, "store_error")) << p.out();
  EXPECT_NE(Events(p.out(), "store_error")[0]["error"].get<std::string>().find("put the file back"),
            std::string::npos);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::filesystem::rename(db_ + ".away", db_);
  EXPECT_TRUE(WaitFor(p, "store_ok")) << p.out();
  p.Signal(SIGTERM);
  ASSERT_EQ(p.Wait(std::chrono::seconds(15)), 0) << p.out() << p.err();
  int64_t results = static_cast<int64_t>(Events(p.out(), "result").size());
  EXPECT_GE(results, 4);
  EXPECT_EQ(Stored(), results);  // every result held while it was away, written
}

TEST_F(RunStoreFaults, DatabaseDeletedWhileRunningIsAStoreError) {
  Subprocess p(Run());
  ASSERT_TRUE(WaitFor(p, "result")) << p.out() << p.err();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(std::filesystem::remove(db_));
  ASSERT_TRUE(WaitFor(p, "store_error")) << p.out();
  auto errors = Events(p.out(), "store_error");
  EXPECT_NE(errors[0]["error"].get<std::string>().find("deleted"), std::string::npos) << errors[0];
  EXPECT_FALSE(std::filesystem::exists(db_));  // not silently recreated
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(std::chrono::seconds(15)), 1) << p.out();
  EXPECT_EQ(Events(p.out(), "store_lost").size(), 1u) << p.out();
}

}  // namespace
}  // namespace modelwatch
