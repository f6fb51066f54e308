#include "engine/budget_keeper.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "config/config.h"

namespace modelwatch::engine {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

// Three Nano Banana Pro monitors and a $2,000 budget: the configured
// intervals project about $7,400 for a 31-day month.
constexpr const char* kConfig = R"(
monitors:
  - {name: prod, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: critical}
  - {name: backup, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: important}
  - {name: nightly, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: test}
budget: {monthly: 2000}
)";

class BudgetKeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("budget-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.sqlite_path = (dir_ / "mw.db").string();
    options_.clock = &clock_;
    options_.retention = hours(24 * 400);
    auto cfg = config::LoadFromString(kConfig, "cfg.yaml");
    ASSERT_TRUE(cfg) << cfg.error().message();
    cfg_ = *std::move(cfg);
    // The fake clock starts at its own epoch: move it to 2026-12-10.
    using namespace std::chrono;
    clock_.Advance(WallTime(sys_days{year{2026} / December / 10}) - clock_.WallNow());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  store::StorePtr Open() {
    auto s = store::Open(options_);
    EXPECT_TRUE(s.has_value()) << s.error().message();
    return s ? std::move(s).value() : nullptr;
  }

  std::unique_ptr<BudgetKeeper> Keeper() {
    return std::make_unique<BudgetKeeper>(
        cfg_, clock_, [this](const std::string& m, milliseconds i) { applied_[m] = i; },
        [this](const nlohmann::ordered_json& j) { logs_.push_back(j); });
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  store::Options options_;
  config::Config cfg_;
  std::map<std::string, milliseconds> applied_;
  std::vector<nlohmann::ordered_json> logs_;
};

TEST_F(BudgetKeeperTest, StretchesLowestTiersFirstAndLogsOneLine) {
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  EXPECT_EQ(applied_.at("nightly"), hours(24));
  EXPECT_EQ(applied_.at("backup"), hours(24));
  EXPECT_GT(applied_.at("prod"), minutes(1));
  ASSERT_EQ(logs_.size(), 1u);
  EXPECT_EQ(logs_[0]["event"], "budget");
  EXPECT_NE(logs_[0]["message"].get<std::string>().find("stretched tier(s) test, important, "
                                                        "critical"),
            std::string::npos)
      << logs_[0].dump();
}

TEST_F(BudgetKeeperTest, SpendInTheStoreSurvivesARestart) {
  {
    auto store = Open();
    CheckResult r;
    r.monitor = "prod";
    r.timestamp = clock_.WallNow() - hours(1);
    r.cost = 1'500;  // most of the month's budget already spent
    store->Append(r);
    ASSERT_TRUE(store->Flush().ok());
  }
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  EXPECT_DOUBLE_EQ(keeper->spent(), 1'500);
  EXPECT_TRUE(keeper->plan().planned <= 2'000 || keeper->plan().exhausted);
  EXPECT_GT(applied_.at("prod"), minutes(5));
}

TEST_F(BudgetKeeperTest, NextMonthStartsFromConfiguredPlanAgain) {
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  CheckResult r;
  r.monitor = "prod";
  r.timestamp = clock_.WallNow();
  r.cost = 1'900;
  keeper->OnResult(r);
  keeper->Replan();
  milliseconds squeezed = applied_.at("prod");
  clock_.Advance(hours(24 * 22));  // 2027-01-01
  keeper->Replan();
  EXPECT_DOUBLE_EQ(keeper->spent(), 0);
  EXPECT_LT(applied_.at("prod"), squeezed);
}

TEST_F(BudgetKeeperTest, WarnOnlyLogsAndChangesNothing) {
  cfg_.budget.action = config::BudgetAction::kWarn;
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  EXPECT_TRUE(applied_.empty());
  ASSERT_EQ(logs_.size(), 1u);
  EXPECT_EQ(logs_[0]["action"], "warn");
}

TEST_F(BudgetKeeperTest, NoBudgetNoKeeper) {
  cfg_.budget.monthly.reset();
  auto store = Open();
  EXPECT_FALSE(Keeper()->Start(*store));
}

// The config file run was started with, rewritten with another budget.
std::string WriteConfig(const std::filesystem::path& dir, const std::string& budget_line) {
  std::string text = kConfig;
  text.replace(text.find("budget: {monthly: 2000}"), 23, budget_line);
  std::filesystem::path p = dir / "modelwatch.yaml";
  std::ofstream(p) << text;
  return p.string();
}

TEST_F(BudgetKeeperTest, ARaisedBudgetBringsStretchedMonitorsBackAtOnce) {
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  ASSERT_EQ(applied_.at("nightly"), hours(24));
  ASSERT_TRUE(keeper->Reload(WriteConfig(dir_, "budget: {monthly: 20000}")).ok());
  EXPECT_EQ(applied_.at("nightly"), minutes(30));
  EXPECT_EQ(applied_.at("backup"), minutes(5));
  EXPECT_EQ(applied_.at("prod"), minutes(1));
  EXPECT_DOUBLE_EQ(*keeper->budget().monthly, 20'000);
  bool said = false;
  for (const auto& line : logs_) {
    said = said || line.value("message", "")
                           .find(
                               "budget raised from $2,000.00 a month to "
                               "$20,000.00 a month") != std::string::npos;
  }
  EXPECT_TRUE(said);
}

TEST_F(BudgetKeeperTest, ABudgetRemovedOnReloadRestoresEveryInterval) {
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  ASSERT_TRUE(keeper->Reload(WriteConfig(dir_, "")).ok());
  EXPECT_EQ(applied_.at("nightly"), minutes(30));
  EXPECT_EQ(applied_.at("prod"), minutes(1));
}

TEST_F(BudgetKeeperTest, ABudgetAddedOnReloadStretches) {
  cfg_.budget.monthly.reset();
  auto store = Open();
  auto keeper = Keeper();
  EXPECT_FALSE(keeper->Start(*store));
  EXPECT_TRUE(applied_.empty());
  ASSERT_TRUE(keeper->Reload(WriteConfig(dir_, "budget: {monthly: 2000}")).ok());
  EXPECT_EQ(applied_.at("nightly"), hours(24));
}

TEST_F(BudgetKeeperTest, AConfigThatDoesNotLoadLeavesTheBudgetAsItWas) {
  auto store = Open();
  auto keeper = Keeper();
  ASSERT_TRUE(keeper->Start(*store));
  auto before = applied_;
  Status st = keeper->Reload(WriteConfig(dir_, "budget: {monthly: lots}"));
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("modelwatch.yaml:"), std::string::npos) << st.message();
  EXPECT_EQ(applied_, before);
  EXPECT_DOUBLE_EQ(*keeper->budget().monthly, 2'000);
}

}  // namespace
}  // namespace modelwatch::engine
