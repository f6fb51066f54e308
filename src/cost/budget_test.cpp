#include "cost/budget.h"

#include <gtest/gtest.h>

#include "core/check_result.h"
#include "core/clock.h"

namespace modelwatch::cost {
namespace {

using config::Tier;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

WallTime Dec(int day, int hour = 0) {
  using namespace std::chrono;
  return sys_days{year{2026} / December / day} + hours(hour);
}

// Nano Banana Pro ($0.134 a check) on three tiers.
std::vector<BudgetMonitor> Monitors() {
  return {
      {"prod", Tier::kCritical, minutes(1), 0.134},
      {"backup", Tier::kImportant, minutes(5), 0.134},
      {"nightly", Tier::kTest, minutes(30), 0.134},
  };
}

// What the monitors cost from `now` to the end of the month at `plan`.
double RestOfMonth(const BudgetPlan& plan, WallTime now) {
  double s = std::chrono::duration<double>(NextMonthStart(now) - now).count();
  double sum = 0;
  for (const BudgetMonitor& m : Monitors()) {
    sum += *m.per_check * s / (plan.intervals.at(m.name).count() / 1000.0);
  }
  return sum;
}

TEST(Month, StartsAndEndsInUtc) {
  EXPECT_EQ(MonthStart(Dec(15, 13)), Dec(1));
  using namespace std::chrono;
  EXPECT_EQ(NextMonthStart(Dec(31, 23)), WallTime(sys_days{year{2027} / January / 1}));
}

TEST(PlanBudget, WithinBudgetKeepsConfiguredIntervals) {
  BudgetPlan p = PlanBudget({100'000, Dec(1), 0, Monitors()});
  EXPECT_FALSE(p.over);
  EXPECT_TRUE(p.stretched.empty());
  EXPECT_EQ(p.intervals.at("prod"), minutes(1));
}

TEST(PlanBudget, StretchesTestTierFirst) {
  // A whole December: prod 44,640 checks ($5,981.76), backup 8,928 ($1,196.35),
  // nightly 1,488 ($199.39). A budget $100 under the projection is found in the test tier.
  BudgetPlan full = PlanBudget({1e9, Dec(1), 0, Monitors()});
  BudgetPlan p = PlanBudget({full.projected - 100, Dec(1), 0, Monitors()});
  ASSERT_TRUE(p.over);
  EXPECT_EQ(p.stretched, std::vector<std::string>{"nightly"});
  EXPECT_EQ(p.intervals.at("prod"), minutes(1));
  EXPECT_EQ(p.intervals.at("backup"), minutes(5));
  EXPECT_GT(p.intervals.at("nightly"), minutes(30));
  EXPECT_LE(p.planned, full.projected - 100);
  EXPECT_FALSE(p.exhausted);
}

TEST(PlanBudget, CriticalIsStretchedOnlyWhenNothingElseIsLeft) {
  BudgetPlan p = PlanBudget({3'000, Dec(1), 0, Monitors()});
  EXPECT_EQ(p.intervals.at("nightly"), hours(24));
  EXPECT_EQ(p.intervals.at("backup"), hours(24));
  EXPECT_GT(p.intervals.at("prod"), minutes(1));
  EXPECT_LE(p.planned, 3'000);
  EXPECT_EQ(p.tiers, (std::vector<Tier>{Tier::kTest, Tier::kImportant, Tier::kCritical}));
}

TEST(PlanBudget, SpendPastTheBudgetIsExhausted) {
  BudgetPlan p = PlanBudget({300, Dec(20), 400, Monitors()});
  EXPECT_TRUE(p.exhausted);
  EXPECT_EQ(p.intervals.at("prod"), hours(24));
}

TEST(PlanBudget, RaisingTheBudgetRestoresIntervals) {
  BudgetPlan tight = PlanBudget({6'000, Dec(10), 1'500, Monitors()});
  ASSERT_FALSE(tight.stretched.empty());
  BudgetPlan raised = PlanBudget({20'000, Dec(10), 1'500, Monitors()});
  EXPECT_TRUE(raised.stretched.empty());
  EXPECT_EQ(DescribeChange({20'000, Dec(10), 1'500, Monitors()}, tight, raised),
            "budget $20,000.00 a month, spent $1,500.00 this month, projected $6,735.65: back to "
            "the configured intervals");
}

// A simulated December, re-planned every hour from the spend so far (as run
// does from the store), with $500 of unplanned spend on the 15th: the month
// ends within budget, the intervals change at once and again after the 15th,
// and January starts over from the spend of zero (the plan of December 1st).
TEST(PlanBudget, SimulatedMonthStaysWithinBudgetAndResetsAtMonthStart) {
  FakeClock clock;
  clock.Advance(Dec(1) - clock.WallNow());
  const double budget = 4'000;
  double spent = 0;
  BudgetPlan plan = PlanBudget({budget, clock.WallNow(), spent, Monitors()});
  const BudgetPlan first = plan;
  std::vector<std::pair<WallTime, std::string>> changes;
  BudgetPlan configured = PlanBudget({1e9, clock.WallNow(), 0, Monitors()});
  if (plan.intervals != configured.intervals) {
    changes.emplace_back(
        clock.WallNow(),
        DescribeChange({budget, clock.WallNow(), spent, Monitors()}, configured, plan));
  }
  while (clock.WallNow() < Dec(31, 23)) {
    // One hour of checks at the planned intervals.
    for (const BudgetMonitor& m : Monitors()) {
      spent += *m.per_check * 3600.0 / (plan.intervals.at(m.name).count() / 1000.0);
    }
    clock.Advance(hours(1));
    if (clock.WallNow() == Dec(15)) {
      spent += 500;
    }
    BudgetPlan next = PlanBudget({budget, clock.WallNow(), spent, Monitors()});
    if (WorthChanging({budget, clock.WallNow(), spent, Monitors()}, plan, next)) {
      changes.emplace_back(
          clock.WallNow(),
          DescribeChange({budget, clock.WallNow(), spent, Monitors()}, plan, next));
      plan = next;
    }
  }
  spent += RestOfMonth(plan, clock.WallNow());
  EXPECT_LE(spent, budget + 0.01);
  EXPECT_GT(spent, budget * 0.97);  // stretched no more than needed
  EXPECT_LE(changes.size(), 6u);    // not a change every hour
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.front().first, Dec(1));
  EXPECT_NE(changes.front().second.find("stretched tier(s) test, important, critical"),
            std::string::npos)
      << changes.front().second;
  ASSERT_GE(changes.size(), 2u);
  EXPECT_EQ(changes[1].first, Dec(15)) << changes[1].second;  // the unplanned spend
  BudgetPlan january = PlanBudget({budget, NextMonthStart(Dec(31)), 0, Monitors()});
  EXPECT_EQ(january.intervals, first.intervals);  // both months have 31 days
}

}  // namespace
}  // namespace modelwatch::cost
