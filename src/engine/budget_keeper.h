#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "config/config.h"
#include "core/check_result.h"
#include "core/clock.h"
#include "cost/budget.h"
#include "store/store.h"

namespace modelwatch::engine {

// Keeps `run` within `budget:` (docs/cost.md). Knows the month's spend (read
// from the store's rollups at start, so a restart plans as before, then
// added up from each result), re-plans every hour and at each month start
// with cost::PlanBudget, and when the plan changes applies the intervals
// (action: stretch) and logs one `{"event":"budget",...}` line saying what
// changed and why. With action: warn it only logs.
//
// Loop thread only. Everything borrowed must outlive the keeper.
class BudgetKeeper {
 public:
  using Apply = std::function<void(const std::string& monitor, std::chrono::milliseconds)>;
  using Log = std::function<void(const nlohmann::ordered_json&)>;

  BudgetKeeper(const config::Config& cfg, const Clock& clock, Apply apply, Log log);

  // Reads this month's spend from `store` (blocking: call it before the loop
  // runs) and makes the first plan. False when the config has no budget.
  bool Start(store::Store& store);
  // Adds a result's cost to the month's spend.
  void OnResult(const CheckResult& r);
  // Re-plans now; applies and logs when the plan changed. Run hourly.
  void Replan();

  double spent() const { return spent_; }
  const cost::BudgetPlan& plan() const { return plan_; }

 private:
  cost::BudgetInput Input() const;

  const config::Config& cfg_;
  const Clock& clock_;
  Apply apply_;
  Log log_;
  WallTime month_{};
  double spent_ = 0;
  cost::BudgetPlan plan_;  // the one in effect (configured intervals at first)
};

// The cost table as log lines: one `{"event":"cost",...}` per monitor and
// a total, for `run` at start.
void LogCostTable(const config::Config& cfg, const BudgetKeeper::Log& log);

}  // namespace modelwatch::engine
