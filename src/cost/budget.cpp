#include "cost/budget.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/duration.h"
#include "cost/projection.h"

namespace modelwatch::cost {

namespace {

using std::chrono::milliseconds;

constexpr std::array<config::Tier, 4> kStretchOrder = {config::Tier::kTest, config::Tier::kStandard,
                                                       config::Tier::kImportant,
                                                       config::Tier::kCritical};

config::Tier PlannedTier(const BudgetMonitor& m) {
  return m.tier.value_or(config::Tier::kStandard);
}

// `interval` times `k`, rounded up to whole seconds, at most the cap (an
// interval already longer than the cap stays as it is).
milliseconds Stretch(milliseconds interval, double k) {
  milliseconds cap = std::max<milliseconds>(interval, kMaxStretchedInterval);
  double seconds = std::ceil(static_cast<double>(interval.count()) * k / 1000.0 - 1e-9);
  double ms = seconds * 1000.0;
  if (ms >= static_cast<double>(cap.count())) {
    return cap;
  }
  return std::max(interval, milliseconds(static_cast<int64_t>(ms)));
}

}  // namespace

WallTime MonthStart(WallTime t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  return sys_days{ymd.year() / ymd.month() / day{1}};
}

WallTime NextMonthStart(WallTime t) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(t)};
  year_month next = ymd.year() / ymd.month() + months{1};
  return sys_days{next / day{1}};
}

double SpendAt(const BudgetInput& in,
               const std::map<std::string, std::chrono::milliseconds>& intervals) {
  double rest_s = std::chrono::duration<double>(NextMonthStart(in.now) - in.now).count();
  double sum = in.spent;
  for (const BudgetMonitor& m : in.monitors) {
    auto it = intervals.find(m.name);
    milliseconds interval = it != intervals.end() ? it->second : m.interval;
    if (m.per_check && interval.count() > 0) {
      sum += *m.per_check * rest_s / (static_cast<double>(interval.count()) / 1000.0);
    }
  }
  return sum;
}

bool WorthChanging(const BudgetInput& in, const BudgetPlan& current, const BudgetPlan& next) {
  if (current.stretched.empty() != next.stretched.empty()) {
    return true;
  }
  if (SpendAt(in, current.intervals) > in.monthly) {
    return next.intervals != current.intervals;
  }
  for (const auto& [name, interval] : next.intervals) {
    auto it = current.intervals.find(name);
    if (it == current.intervals.end()) {
      return true;
    }
    double ratio = static_cast<double>(interval.count()) / static_cast<double>(it->second.count());
    if (ratio > 1.1 || ratio < 1 / 1.1) {
      return true;
    }
  }
  return false;
}

BudgetPlan PlanBudget(const BudgetInput& in) {
  double rest_s = std::chrono::duration<double>(NextMonthStart(in.now) - in.now).count();
  auto cost = [&](const BudgetMonitor& m, milliseconds interval) {
    if (!m.per_check || interval.count() <= 0) {
      return 0.0;
    }
    return *m.per_check * rest_s / (static_cast<double>(interval.count()) / 1000.0);
  };
  BudgetPlan plan;
  for (const BudgetMonitor& m : in.monitors) {
    plan.intervals[m.name] = m.interval;
  }
  auto total = [&] {
    double sum = in.spent;
    for (const BudgetMonitor& m : in.monitors) {
      sum += cost(m, plan.intervals[m.name]);
    }
    return sum;
  };
  plan.projected = total();
  plan.over = plan.projected > in.monthly;
  plan.planned = plan.projected;
  if (!plan.over) {
    return plan;
  }
  for (config::Tier tier : kStretchOrder) {
    std::vector<const BudgetMonitor*> group;
    double others = in.spent;
    for (const BudgetMonitor& m : in.monitors) {
      if (PlannedTier(m) == tier && m.per_check && *m.per_check > 0) {
        group.push_back(&m);
      } else {
        others += cost(m, plan.intervals[m.name]);
      }
    }
    if (group.empty()) {
      continue;
    }
    double avail = in.monthly - others;
    auto at = [&](double k) {
      double sum = 0;
      for (const BudgetMonitor* m : group) {
        sum += cost(*m, Stretch(m->interval, k));
      }
      return sum;
    };
    milliseconds shortest = group.front()->interval;
    for (const BudgetMonitor* m : group) {
      shortest = std::min(shortest, m->interval);
    }
    double k_max = std::max(1.0, static_cast<double>(milliseconds(kMaxStretchedInterval).count()) /
                                     static_cast<double>(std::max<int64_t>(1, shortest.count())));
    plan.tiers.push_back(tier);
    double k = k_max;
    if (at(k_max) <= avail) {
      double lo = 1.0;
      double hi = k_max;
      for (int i = 0; i < 60; ++i) {
        double mid = (lo + hi) / 2;
        (at(mid) <= avail ? hi : lo) = mid;
      }
      k = hi;
    }
    for (const BudgetMonitor* m : group) {
      plan.intervals[m->name] = Stretch(m->interval, k);
    }
    if (at(k) <= avail) {
      break;
    }
  }
  for (const BudgetMonitor& m : in.monitors) {
    if (plan.intervals[m.name] > m.interval) {
      plan.stretched.push_back(m.name);
    }
  }
  plan.planned = total();
  plan.exhausted = plan.planned > in.monthly;
  return plan;
}

std::string DescribeChange(const BudgetInput& in, const BudgetPlan& before,
                           const BudgetPlan& after) {
  std::string head =
      fmt::format("budget {} a month, spent {} this month, projected {}", FormatUsd(in.monthly),
                  FormatUsd(in.spent), FormatUsd(after.projected));
  if (after.stretched.empty()) {
    return head + ": back to the configured intervals";
  }
  std::vector<std::string> changes;
  for (const auto& [name, interval] : after.intervals) {
    auto was = before.intervals.find(name);
    milliseconds old = was != before.intervals.end() ? was->second : interval;
    if (old != interval) {
      changes.push_back(
          fmt::format("{} {} -> {}", name, FormatDuration(old), FormatDuration(interval)));
    }
  }
  std::vector<std::string> tiers;
  for (config::Tier t : after.tiers) {
    tiers.emplace_back(config::ToString(t));
  }
  std::string joined_changes;
  for (const std::string& c : changes) {
    joined_changes += (joined_changes.empty() ? "" : ", ") + c;
  }
  std::string joined_tiers;
  for (const std::string& t : tiers) {
    joined_tiers += (joined_tiers.empty() ? "" : ", ") + t;
  }
  return fmt::format(
      "{}: stretched tier(s) {}: {}; planned {}{}", head, joined_tiers, joined_changes,
      FormatUsd(after.planned),
      after.exhausted ? " (still over: every stretchable interval is at its maximum)" : "");
}

}  // namespace modelwatch::cost
