#include "cost/projection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/duration.h"
#include "cost/estimate.h"

namespace modelwatch::cost {

double ChecksPerMonth(std::chrono::milliseconds interval) {
  if (interval.count() <= 0) {
    return 0;
  }
  return std::chrono::duration<double>(kProjectionMonth) / std::chrono::duration<double>(interval);
}

std::string FormatUsd(double usd) {
  if (usd != 0 && std::abs(usd) < 1) {
    return fmt::format("${:.4f}", usd);
  }
  std::string digits = fmt::format("{:.2f}", std::abs(usd));
  size_t dot = digits.find('.');
  std::string grouped;
  for (size_t i = 0; i < dot; ++i) {
    if (i > 0 && (dot - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += digits[i];
  }
  return fmt::format("{}${}{}", usd < 0 ? "-" : "", grouped, digits.substr(dot));
}

CostTable BuildCostTable(const config::Config& cfg) {
  CostTable t;
  t.budget = cfg.budget.monthly;
  t.budget_warn_only = cfg.budget.action == config::BudgetAction::kWarn;
  for (const config::Monitor& m : cfg.monitors) {
    if (m.kind == "push") {
      continue;
    }
    CostRow row;
    row.monitor = m.name;
    row.model = m.model.empty() ? "-" : m.model;
    row.schedule =
        m.tier ? fmt::format("{} ({})", config::ToString(*m.tier), FormatDuration(m.interval))
               : FormatDuration(m.interval);
    row.per_check = PricePerCheck(m);
    row.checks_per_month = ChecksPerMonth(m.interval);
    if (m.full_every > 1) {
      row.schedule += fmt::format(", 1 in {} full", m.full_every);
      row.light_per_month = row.checks_per_month * (m.full_every - 1) / m.full_every;
      row.checks_per_month -= row.light_per_month;
    }
    if (row.per_check) {
      row.monthly = *row.per_check * row.checks_per_month;
      t.total += *row.monthly;
      if (m.cost_per_call) {
        row.note = "cost_per_call";
      } else if (std::string shape = ShapeKey(m);
                 !shape.empty() && m.price->per_image_by.contains(shape)) {
        row.note = shape;
      }
    } else {
      row.note = NoPrice(m);
      ++t.unpriced;
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string FormatCostTable(const CostTable& t) {
  size_t wm = 7;
  size_t wmodel = 5;
  size_t ws = 8;
  for (const CostRow& r : t.rows) {
    wm = std::max(wm, r.monitor.size());
    wmodel = std::max(wmodel, r.model.size());
    ws = std::max(ws, r.schedule.size());
  }
  std::string out =
      fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>10}  {:>12}  {:>12}\n", "monitor", wm, "model",
                  wmodel, "schedule", ws, "per check", "checks/month", "per month");
  for (const CostRow& r : t.rows) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>10}  {:>12}  {:>12}", r.monitor, wm, r.model,
                       wmodel, r.schedule, ws, r.per_check ? FormatUsd(*r.per_check) : "-",
                       fmt::format("{:.0f}", r.checks_per_month),
                       r.monthly ? FormatUsd(*r.monthly) : "-");
    if (!r.note.empty()) {
      out += "  " + r.note;
    }
    if (r.light_per_month > 0) {
      out += fmt::format("  + {:.0f} free light checks", r.light_per_month);
    }
    out += '\n';
  }
  out += fmt::format("total projected per month (30 days): {}", FormatUsd(t.total));
  if (t.unpriced > 0) {
    out += fmt::format(" + {} monitor(s) with no price", t.unpriced);
  }
  out += '\n';
  if (t.budget) {
    out += fmt::format(
        "budget: {} a month ({})\n", FormatUsd(*t.budget),
        t.total > *t.budget
            ? fmt::format("the projection is {} over it: {}", FormatUsd(t.total - *t.budget),
                          t.budget_warn_only ? "run will warn (action: warn)"
                                             : "run will stretch intervals, lowest tier first")
            : "within it");
  }
  return out;
}

}  // namespace modelwatch::cost
