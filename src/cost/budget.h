#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"

namespace modelwatch::cost {

// The budget planner (docs/cost.md): given what this month has spent so far
// and what each monitor costs a check, which intervals keep the month within
// the budget. Pure: the caller passes the time and the spend (the spend
// lives in the store's rollups, so a restart re-plans the same).

// Start of the UTC calendar month holding `t`, and of the next one.
WallTime MonthStart(WallTime t);
WallTime NextMonthStart(WallTime t);

struct BudgetMonitor {
  std::string name;
  std::optional<config::Tier> tier;       // none (an `interval:` monitor): planned as standard
  std::chrono::milliseconds interval{0};  // configured
  std::optional<double> per_check;        // USD; none: not counted
};

struct BudgetInput {
  double monthly = 0;  // USD
  WallTime now{};
  double spent = 0;  // USD spent since MonthStart(now)
  std::vector<BudgetMonitor> monitors;
};

struct BudgetPlan {
  // Every monitor's interval under the plan (configured unless stretched).
  std::map<std::string, std::chrono::milliseconds> intervals;
  std::vector<std::string> stretched;  // names of monitors whose interval grew, in plan order
  std::vector<config::Tier> tiers;     // tiers touched, lowest first
  double projected = 0;                // month's spend at the configured intervals
  double planned = 0;                  // month's spend under the plan
  bool over = false;                   // projected > monthly
  bool exhausted = false;              // even every interval at the maximum passes the budget
};

// Longest interval the planner stretches to.
inline constexpr std::chrono::hours kMaxStretchedInterval{24};

// Stretches intervals, lowest tier first (test, standard, important, and
// critical only when nothing else is left), each tier by one common factor
// rounded up to whole seconds and capped at kMaxStretchedInterval, until
// spent + the rest of the month's projection fits `monthly`.
BudgetPlan PlanBudget(const BudgetInput& in);

// spent + the rest of the month's projection at `intervals` (monitors not
// named there at their configured interval).
double SpendAt(const BudgetInput& in,
               const std::map<std::string, std::chrono::milliseconds>& intervals);

// Whether to switch from `current` to `next`: when intervals go back to (or
// leave) the configured ones, when `current` would pass the budget, or when
// an interval moves by more than 10 %. Keeps re-planning every hour from
// nudging intervals by a minute each time.
bool WorthChanging(const BudgetInput& in, const BudgetPlan& current, const BudgetPlan& next);

// One line saying what changed between two plans and why, e.g. "budget:
// $300.00 a month, projected $1,163.62 (spent $12.00): test x4 (nightly 30m
// -> 2h), ..." or "budget: back to configured intervals (...)".
std::string DescribeChange(const BudgetInput& in, const BudgetPlan& before,
                           const BudgetPlan& after);

}  // namespace modelwatch::cost
