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
// The budget can change while `run` runs (SIGHUP, Reload): a raised budget
// that fits brings the stretched monitors back to their configured
// intervals at once; a lowered one stretches at once; a removed one restores
// every interval.
//
// Loop thread only. Everything borrowed must outlive the keeper.
class BudgetKeeper {
 public:
  using Apply = std::function<void(const std::string& monitor, std::chrono::milliseconds)>;
  using Log = std::function<void(const nlohmann::ordered_json&)>;

  BudgetKeeper(const config::Config& cfg, const Clock& clock, Apply apply, Log log);

  // Reads this month's spend from `store` (blocking: call it before the loop
  // runs) and makes the first plan. False when the config has no budget (the
  // keeper may be kept all the same, so a reload can add one).
  bool Start(store::Store& store);
  // Puts `budget` in effect and re-plans now, logging one line saying what
  // changed ("budget raised from $300.00 to $600.00 a month").
  void SetBudget(const config::Budget& budget);
  // Re-reads `config_path` and puts its `budget:` section in effect (the
  // rest of the file is validated but not applied: that needs a restart).
  // A file that does not load changes nothing; the error (FILE:LINE:COL) is
  // returned and logged.
  Status Reload(const std::string& config_path);
  const config::Budget& budget() const { return budget_; }
  // Adds a result's cost to the month's spend.
  void OnResult(const CheckResult& r);
  // Re-plans now; applies and logs when the plan changed. Run hourly.
  void Replan();

  double spent() const { return spent_; }
  const cost::BudgetPlan& plan() const { return plan_; }

 private:
  cost::BudgetInput Input() const;

  const config::Config& cfg_;
  config::Budget budget_;  // in effect: cfg_.budget until a reload
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
