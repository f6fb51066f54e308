// The monthly budget's notices (Engine::OnBudget).
#include <fmt/format.h>

#include "alert/engine.h"
#include "alert/engine_batch.h"
#include "alert/grouping.h"

namespace modelwatch::alert {

namespace {

const std::string kBudget(kBudgetRule);

std::string BudgetSummary(const BudgetNotice& n, std::string_view language) {
  const bool zh = language == "zh";
  if (!n.constrained) {
    if (zh) {
      return n.stretch ? fmt::format("已回到 ${:.2f} 月度预算之内：恢复配置的检查间隔", n.monthly)
                       : fmt::format("本月预计花费 ${:.2f}，回到 ${:.2f} 月度预算之内", n.projected,
                                     n.monthly);
    }
    return n.stretch
               ? fmt::format("back within the ${:.2f} monthly budget: configured intervals again",
                             n.monthly)
               : fmt::format(
                     "the month's projected spend ${:.2f} is back within the ${:.2f} "
                     "budget",
                     n.projected, n.monthly);
  }
  std::string text;
  if (zh) {
    text = n.stretch ? fmt::format(
                           "本月预计花费 ${:.2f} 超出 ${:.2f} 月度预算（已花 ${:.2f}）："
                           "已放慢检查，预计 ${:.2f}",
                           n.projected, n.monthly, n.spent, n.planned)
                     : fmt::format(
                           "本月预计花费 ${:.2f} 超出 ${:.2f} 月度预算（已花 ${:.2f}）："
                           "action: warn，检查间隔不变",
                           n.projected, n.monthly, n.spent);
  } else {
    text = n.stretch ? fmt::format(
                           "the month's projected spend ${:.2f} passes the ${:.2f} "
                           "budget (spent ${:.2f}): checks slowed to ${:.2f}",
                           n.projected, n.monthly, n.spent, n.planned)
                     : fmt::format(
                           "the month's projected spend ${:.2f} passes the ${:.2f} "
                           "budget (spent ${:.2f}); action: warn, intervals unchanged",
                           n.projected, n.monthly, n.spent);
  }
  return text;
}

}  // namespace

store::AlertChange Engine::OnBudget(const BudgetNotice& notice, States& states, WallTime now) {
  last_now_ = now;
  Batch b;
  const bool news = notice.constrained != budget_.constrained;
  if (news) {
    budget_.constrained = notice.constrained;
    if (notice.constrained) {
      budget_.since = now;
      ++budget_.seq;
    }
    b.budget_touched = true;
  }
  AlertEventKind kind = notice.constrained ? AlertEventKind::kBudget : AlertEventKind::kBudgetOk;
  AlertItem item;
  item.rule = kBudget;
  item.level = AlertLevel::kWarning;
  item.event = kind;
  item.since = budget_.since;
  item.summary = BudgetSummary(notice, Language());
  if (!notice.detail.empty()) {
    item.diagnosis = notice.detail;
  }
  if (notice.constrained) {
    item.actions = {Language() == "zh" ? "提高 budget.monthly，或延长检查间隔、减少监控"
                                       : "raise budget.monthly, or lengthen intervals and "
                                         "monitor fewer models"};
  } else {
    item.down_for = std::chrono::duration_cast<std::chrono::milliseconds>(now - budget_.since);
  }
  bool quiet = SuppressedUntil("", kBudget, now).has_value();
  // Every change of plan is history; only the budget starting or stopping
  // to act is news for the channels.
  Record(b, "", kBudget, item.level, kind, now,
         notice.detail.empty() ? item.summary : item.summary + " \u2014 " + notice.detail,
         quiet && news);
  if (news && !quiet) {
    Emit(b, "budget", item.level, {item},
         {NoticeId(std::string(kBudgetState), kBudget, budget_.seq, kind, 0)}, now);
  }
  Dispatch(b, now);
  return Finish(b, states);
}

}  // namespace modelwatch::alert
