#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace modelwatch::cost {

// Projections use a 30-day month, so a one-minute monitor makes 43,200
// checks a month.
inline constexpr std::chrono::hours kProjectionMonth{24 * 30};

// Checks a month at `interval`.
double ChecksPerMonth(std::chrono::milliseconds interval);

// One line of the cost table `validate`, `check` and `run` show before the
// first call.
struct CostRow {
  std::string monitor;
  std::string model;
  std::string schedule;             // "critical (1m)" or "90s"
  std::optional<double> per_check;  // USD; nullopt: no price
  double checks_per_month = 0;    // full (billed) checks
  double light_per_month = 0;     // free light checks between them (full_every)
  std::optional<double> monthly;  // per_check x checks_per_month
  std::string note;               // NoPrice text, or where the price comes from
};

struct CostTable {
  std::vector<CostRow> rows;      // monitors with a probe (push monitors cost nothing)
  double total = 0;               // of the priced rows
  size_t unpriced = 0;            // rows without a price
  std::optional<double> budget;   // config budget.monthly
  bool budget_warn_only = false;  // budget.action: warn
};

CostTable BuildCostTable(const config::Config& cfg);

// The table as text: a header, one line per monitor, the total, and a line
// for the budget (and for unpriced monitors) when there are any. Ends in '\n'.
std::string FormatCostTable(const CostTable& t);

// "$5,788.80", "$0.0390": money for people.
std::string FormatUsd(double usd);

}  // namespace modelwatch::cost
