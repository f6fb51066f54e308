// `modelwatch silence` as a real process, alone and while `modelwatch run`
// writes to the same database.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

class SilenceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    db_ = dir_ + "/mw.db";
    config_ = dir_ + "/modelwatch.yaml";
    // Port 9 refuses: each check is a quick network_error, written at once.
    WriteFile(config_, "storage: {sqlite: \"" + db_ +
                           "\"}\n"
                           "monitors:\n"
                           "  - {name: nano, kind: http, url: \"http://127.0.0.1:9/\", "
                           "interval: 1s}\n"
                           "  - {name: dalle, kind: http, url: \"http://127.0.0.1:9/\", "
                           "interval: 1s}\n");
  }
  testing::RunResult Silence(std::vector<std::string> args) {
    args.insert(args.begin(), {Binary(), "silence"});
    return RunProcess(args);
  }
  nlohmann::json List() {
    auto r = Silence({"list", "-c", config_, "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  std::string dir_;
  std::string db_;
  std::string config_;
};

TEST_F(SilenceCliTest, AddListRemoveRoundTrip) {
  auto add = Silence({"add", "-c", config_, "--monitor", "nano", "--rule", "latency_p95", "--for",
                      "2h", "--reason", "provider maintenance"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.out.find("silence 1: monitor \"nano\""), std::string::npos) << add.out;
  auto later = Silence({"add", "-c", config_, "--for", "1h", "--starts", "2099-01-01T10:00+02:00",
                        "--reason", "planned"});
  ASSERT_EQ(later.code, 0) << later.err;

  nlohmann::json list = List();
  ASSERT_TRUE(list.is_array()) << list;
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["monitor"], "nano");
  EXPECT_EQ(list[0]["rule"], "latency_p95");
  EXPECT_EQ(list[0]["reason"], "provider maintenance");
  EXPECT_EQ(list[0]["created_by"], "cli");
  EXPECT_EQ(list[1]["monitor"], "");
  EXPECT_EQ(list[1]["starts"], "2099-01-01T08:00:00.000Z");
  EXPECT_EQ(list[1]["ends"], "2099-01-01T09:00:00.000Z");

  auto table = Silence({"list", "-c", config_});
  EXPECT_NE(table.out.find("provider maintenance"), std::string::npos) << table.out;

  auto rm = Silence({"remove", "-c", config_, std::to_string(list[0]["id"].get<int64_t>())});
  ASSERT_EQ(rm.code, 0) << rm.err;
  EXPECT_EQ(List().size(), 1u);
}

TEST_F(SilenceCliTest, UnknownMonitorIsAnErrorWithASuggestion) {
  auto r = Silence({"add", "-c", config_, "--monitor", "nanoo", "--for", "2h", "--reason", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no monitor named \"nanoo\" (did you mean \"nano\"?)"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(db_));  // nothing written
}

TEST_F(SilenceCliTest, BadFlagsAreClearErrors) {
  auto no_offset = Silence(
      {"add", "-c", config_, "--for", "1h", "--starts", "2099-01-01T10:00", "--reason", "x"});
  EXPECT_EQ(no_offset.code, 2);
  EXPECT_NE(no_offset.err.find("the offset is required"), std::string::npos) << no_offset.err;
  auto bad_for = Silence({"add", "-c", config_, "--for", "2", "--reason", "x"});
  EXPECT_EQ(bad_for.code, 2);
  EXPECT_NE(bad_for.err.find("--for"), std::string::npos) << bad_for.err;
  auto no_reason = Silence({"add", "-c", config_, "--for", "1h"});
  EXPECT_EQ(no_reason.code, 2);
  EXPECT_NE(no_reason.err.find("--reason"), std::string::npos) << no_reason.err;
  auto past = Silence(
      {"add", "-c", config_, "--for", "1h", "--starts", "2001-01-01T00:00Z", "--reason", "x"});
  EXPECT_EQ(past.code, 2);
  EXPECT_NE(past.err.find("has passed"), std::string::npos) << past.err;
}

TEST_F(SilenceCliTest, RemovingAnUnknownIdIsAnError) {
  ASSERT_EQ(Silence({"add", "-c", config_, "--for", "1h", "--reason", "x"}).code, 0);
  auto r = Silence({"remove", "-c", config_, "42"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no silence with id 42"), std::string::npos) << r.err;
}

TEST_F(SilenceCliTest, WorksWhileRunWritesTheSameDatabase) {
  Subprocess run({Binary(), "run", "-c", config_});
  // Wait until the daemon has created the database and written to it.
  bool ready = false;
  for (int i = 0; i < 200 && !ready; ++i) {
    SleepFor(std::chrono::milliseconds(50));
    ready = std::filesystem::exists(db_) && Silence({"list", "-c", config_}).code == 0;
  }
  ASSERT_TRUE(ready) << run.err();
  for (int i = 0; i < 10; ++i) {
    auto add = Silence({"add", "-c", config_, "--monitor", i % 2 ? "nano" : "dalle", "--for", "30m",
                        "--reason", "busy " + std::to_string(i)});
    ASSERT_EQ(add.code, 0) << add.err;
  }
  nlohmann::json list = List();
  ASSERT_EQ(list.size(), 10u) << list;
  for (int i = 0; i < 5; ++i) {
    auto rm = Silence({"remove", "-c", config_, std::to_string(list[i]["id"].get<int64_t>())});
    ASSERT_EQ(rm.code, 0) << rm.err;
  }
  EXPECT_EQ(List().size(), 5u);
  run.Signal(SIGTERM);
  EXPECT_EQ(run.Wait(std::chrono::seconds(20)), 0) << run.err();
  EXPECT_EQ(run.err().find("store"), std::string::npos) << run.err();
}

}  // namespace
}  // namespace modelwatch
