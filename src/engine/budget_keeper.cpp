#include "engine/budget_keeper.h"

#include <fmt/format.h>

#include "cost/estimate.h"
#include "cost/projection.h"

namespace modelwatch::engine {

BudgetKeeper::BudgetKeeper(const config::Config& cfg, const Clock& clock, Apply apply, Log log)
    : cfg_(cfg),
      budget_(cfg.budget),
      clock_(clock),
      apply_(std::move(apply)),
      log_(std::move(log)) {
  for (const config::Monitor& m : cfg_.monitors) {
    if (m.kind != "push") {
      plan_.intervals[m.name] = m.interval;
    }
  }
}

cost::BudgetInput BudgetKeeper::Input() const {
  cost::BudgetInput in;
  in.monthly = budget_.monthly.value_or(0);
  in.now = clock_.WallNow();
  in.spent = spent_;
  for (const config::Monitor& m : cfg_.monitors) {
    if (m.kind != "push") {
      in.monitors.push_back({m.name, m.tier, m.interval, cost::AveragePerCheck(m)});
    }
  }
  return in;
}

bool BudgetKeeper::Start(store::Store& store) {
  WallTime now = clock_.WallNow();
  month_ = cost::MonthStart(now);
  Status st = store.ScanRollups(
      store::Resolution::kDay, {}, month_, cost::NextMonthStart(now),
      [this](const std::string&, WallTime, const store::Rollup& r) { spent_ += r.cost_usd(); });
  if (!st.ok()) {
    log_({{"event", "budget"}, {"error", "cannot read this month's spend: " + st.message()}});
  }
  if (!budget_.monthly) {
    return false;
  }
  Replan();
  return true;
}

void BudgetKeeper::SetBudget(const config::Budget& budget) {
  auto text = [](const config::Budget& b) {
    return b.monthly ? cost::FormatUsd(*b.monthly) + " a month" : std::string("none");
  };
  std::string before = text(budget_);
  std::string after = text(budget);
  bool action_changed = budget.action != budget_.action;
  if (before == after && !action_changed) {
    log_({{"event", "budget"}, {"message", "budget reloaded: unchanged (" + after + ")"}});
    return;
  }
  std::string verb = "changed";
  if (budget_.monthly && budget.monthly) {
    verb = *budget.monthly > *budget_.monthly ? "raised" : "lowered";
  } else if (budget.monthly) {
    verb = "set";
  } else {
    verb = "removed";
  }
  log_({{"event", "budget"},
        {"message", fmt::format("budget {} from {} to {}{}", verb, before, after,
                                action_changed ? " (action changed)" : "")}});
  budget_ = budget;
  if (!budget_.monthly || budget_.action == config::BudgetAction::kWarn) {
    // No budget, or one that only warns: every monitor back at its interval.
    cost::BudgetPlan configured;
    for (const config::Monitor& m : cfg_.monitors) {
      if (m.kind != "push") {
        configured.intervals[m.name] = m.interval;
      }
    }
    nlohmann::ordered_json intervals = nlohmann::ordered_json::object();
    for (const auto& [name, interval] : configured.intervals) {
      if (plan_.intervals[name] != interval) {
        apply_(name, interval);
        intervals[name] = interval.count() / 1000;
      }
    }
    if (!intervals.empty()) {
      log_({{"event", "budget"},
            {"message", "back to configured intervals"},
            {"interval_s", intervals}});
    }
    plan_ = std::move(configured);
    if (!budget_.monthly) {
      return;
    }
  }
  Replan();
}

Status BudgetKeeper::Reload(const std::string& config_path) {
  Result<config::Config> fresh = config::Load(config_path);
  if (!fresh) {
    log_({{"event", "budget"},
          {"error", "reload refused, budget unchanged: " + fresh.error().message()}});
    return fresh.error();
  }
  SetBudget(fresh->budget);
  return Status::Ok();
}

void BudgetKeeper::OnResult(const CheckResult& r) {
  if (r.cost && cost::MonthStart(r.timestamp) == month_) {
    spent_ += *r.cost;
  }
}

void BudgetKeeper::Replan() {
  WallTime now = clock_.WallNow();
  if (cost::MonthStart(now) != month_) {
    month_ = cost::MonthStart(now);
    spent_ = 0;  // a new month starts from the configured intervals
  }
  if (!budget_.monthly) {
    return;
  }
  cost::BudgetInput in = Input();
  cost::BudgetPlan next = cost::PlanBudget(in);
  bool warn_only = budget_.action == config::BudgetAction::kWarn;
  bool changed = warn_only ? next.over != plan_.over : cost::WorthChanging(in, plan_, next);
  if (!changed) {
    return;
  }
  nlohmann::ordered_json line = {{"event", "budget"},
                                 {"action", warn_only ? "warn" : "stretch"},
                                 {"monthly_usd", in.monthly},
                                 {"spent_usd", in.spent},
                                 {"projected_usd", next.projected},
                                 {"planned_usd", warn_only ? next.projected : next.planned}};
  if (warn_only) {
    line["message"] = next.over ? "projected spend passes the budget (action: warn: intervals "
                                  "unchanged)"
                                : "projected spend back within the budget";
    plan_.over = next.over;
    log_(line);
    return;
  }
  line["message"] = cost::DescribeChange(in, plan_, next);
  nlohmann::ordered_json intervals = nlohmann::ordered_json::object();
  for (const auto& [name, interval] : next.intervals) {
    if (plan_.intervals[name] != interval) {
      apply_(name, interval);
      intervals[name] = interval.count() / 1000;
    }
  }
  line["interval_s"] = intervals;
  plan_ = std::move(next);
  log_(line);
}

void LogCostTable(const config::Config& cfg, const BudgetKeeper::Log& log) {
  cost::CostTable t = cost::BuildCostTable(cfg);
  for (const cost::CostRow& r : t.rows) {
    nlohmann::ordered_json line = {{"event", "cost"},
                                   {"monitor", r.monitor},
                                   {"model", r.model},
                                   {"checks_per_month", r.checks_per_month}};
    if (r.light_per_month > 0) {
      line["light_checks_per_month"] = r.light_per_month;
    }
    if (r.per_check) {
      line["per_check_usd"] = *r.per_check;
      line["monthly_usd"] = *r.monthly;
    } else {
      line["note"] = r.note;
    }
    log(line);
  }
  nlohmann::ordered_json total = {
      {"event", "cost"}, {"total_monthly_usd", t.total}, {"unpriced_monitors", t.unpriced}};
  if (t.budget) {
    total["budget_monthly_usd"] = *t.budget;
  }
  log(total);
}

}  // namespace modelwatch::engine
