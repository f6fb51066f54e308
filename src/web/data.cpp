#include "web/data.h"

#include <algorithm>

#include "cost/budget.h"
#include "cost/estimate.h"
#include "store/stats.h"

namespace modelwatch::web {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

Bar BarOf(const store::Rollup& r) {
  Bar b;
  b.checks = r.checks();
  b.failures = r.failures();
  b.availability = store::AvailabilityPercent(r.successes(), r.checks(), r.rate_limited());
  return b;
}

}  // namespace

store::Thresholds ToStoreThresholds(const config::Thresholds& t) {
  store::Thresholds s;
  s.availability_warning = t.availability_warning;
  s.availability_alert = t.availability_alert;
  s.latency_warning = t.latency_warning;
  s.latency_alert = t.latency_alert;
  s.error_rate_warning = t.error_rate_warning;
  s.error_rate_alert = t.error_rate_alert;
  s.rate_limits_per_hour_warning = t.rate_limits_per_hour_warning;
  s.rate_limits_per_hour_alert = t.rate_limits_per_hour_alert;
  return s;
}

const config::Monitor* FindMonitor(const config::Config& cfg, const std::string& name) {
  for (const config::Monitor& m : cfg.monitors) {
    if (m.name == name) {
      return &m;
    }
  }
  return nullptr;
}

DataCache::DataCache(const config::Config& cfg, store::Store& store, const LiveState* live,
                     const Clock& clock, std::chrono::milliseconds ttl)
    : cfg_(cfg), store_(store), live_(live), clock_(clock), ttl_(ttl) {}

std::shared_ptr<const DashboardData> DataCache::Get() {
  {
    std::lock_guard lock(mu_);
    if (data_ && clock_.Now() - computed_ < ttl_) {
      return data_;
    }
  }
  std::lock_guard compute(compute_mu_);
  {
    std::lock_guard lock(mu_);  // another caller may have computed it meanwhile
    if (data_ && clock_.Now() - computed_ < ttl_) {
      return data_;
    }
  }
  std::shared_ptr<const DashboardData> fresh = Compute();
  std::lock_guard lock(mu_);
  data_ = fresh;
  computed_ = clock_.Now();
  return data_;
}

std::shared_ptr<const DashboardData> DataCache::Compute() {
  auto d = std::make_shared<DashboardData>();
  d->now = clock_.WallNow();
  int64_t now_ms = ToUnixMillis(d->now);
  int64_t today = store::BucketStart(store::Resolution::kDay, now_ms);
  int64_t this_hour = store::BucketStart(store::Resolution::kHour, now_ms);
  d->first_day_ms = today - (kDayBars - 1) * kDayMs;
  d->first_hour_ms = this_hour - (kHourBars - 1) * kHourMs;
  d->month_start = cost::MonthStart(d->now);

  for (const config::Monitor& m : cfg_.monitors) {
    MonitorView v;
    v.name = m.name;
    v.kind = m.kind;
    v.model = m.model;
    v.provider = m.provider;
    v.labels = m.labels;
    v.thresholds = ToStoreThresholds(m.thresholds);
    v.interval = m.interval;
    v.configured = true;
    if (m.kind != "push" && m.kind != "http") {
      v.price_per_check = cost::PricePerCheck(m);
    }
    d->index.emplace(v.name, d->monitors.size());
    d->monitors.push_back(std::move(v));
  }
  std::string error;
  if (auto stored = store_.Monitors()) {
    for (const std::string& name : *stored) {
      if (d->index.count(name) == 0) {
        MonitorView v;
        v.name = name;
        v.thresholds = ToStoreThresholds(cfg_.defaults.thresholds);
        d->index.emplace(name, d->monitors.size());
        d->monitors.push_back(std::move(v));
      }
    }
  } else {
    error = stored.error().message();
  }
  auto thresholds = [&](const std::string& name) {
    const MonitorView* v = d->Find(name);
    return v != nullptr ? v->thresholds : ToStoreThresholds(cfg_.defaults.thresholds);
  };
  std::vector<std::string> names;
  for (const MonitorView& v : d->monitors) {
    names.push_back(v.name);
    d->monitors[d->index[v.name]].windows.monitor = v.name;
  }
  if (!names.empty()) {
    if (auto w = store::ComputeWindows(store_, names, d->now, thresholds)) {
      for (store::MonitorWindows& mw : *w) {
        if (auto it = d->index.find(mw.monitor); it != d->index.end()) {
          d->monitors[it->second].windows = std::move(mw);
        }
      }
    } else if (error.empty()) {
      error = w.error().message();
    }
  }
  // Stored monitors only: the day rollups of every retained day (the bars
  // use the last 90, /metrics all of them), and the last 24 hours.
  Status s =
      store_.ScanRollups(store::Resolution::kDay, {}, WallTime{}, d->now + std::chrono::hours(24),
                         [&](const std::string& monitor, WallTime start, const store::Rollup& r) {
                           auto it = d->index.find(monitor);
                           if (it == d->index.end()) {
                             return;
                           }
                           MonitorView& v = d->monitors[it->second];
                           v.total.Merge(r);
                           if (start >= d->month_start) {
                             v.month_cost_usd += r.cost_usd();
                             v.month_costed += r.costed;
                           }
                           int64_t i = (ToUnixMillis(start) - d->first_day_ms) / kDayMs;
                           if (ToUnixMillis(start) >= d->first_day_ms && i < kDayBars) {
                             v.days[i] = BarOf(r);
                           }
                         });
  if (!s.ok() && error.empty()) {
    error = s.message();
  }
  s = store_.ScanRollups(store::Resolution::kHour, {}, FromUnixMillis(d->first_hour_ms),
                         FromUnixMillis(this_hour + kHourMs),
                         [&](const std::string& monitor, WallTime start, const store::Rollup& r) {
                           auto it = d->index.find(monitor);
                           if (it == d->index.end()) {
                             return;
                           }
                           int64_t i = (ToUnixMillis(start) - d->first_hour_ms) / kHourMs;
                           if (i >= 0 && i < kHourBars) {
                             d->monitors[it->second].hours[i] = BarOf(r);
                           }
                         });
  if (!s.ok() && error.empty()) {
    error = s.message();
  }
  if (auto states = store_.States()) {
    for (const store::MonitorState& st : *states) {
      if (auto it = d->index.find(st.monitor); it != d->index.end()) {
        MonitorView& v = d->monitors[it->second];
        v.last_status = st.last_status;
        v.last_check = st.last_check;
        v.consecutive_failures = st.consecutive_failures;
      }
    }
  }
  for (MonitorView& v : d->monitors) {
    v.month_projected_usd = ProjectedMonth(*d, v.month_cost_usd);
  }
  d->error = error;
  return d;
}

Current CurrentOf(const MonitorView& m, const LiveSnapshot* live) {
  Current c;
  c.status = m.last_status;
  c.last_check = m.last_check;
  c.consecutive_failures = m.consecutive_failures;
  if (live != nullptr) {
    if (auto it = live->states.find(m.name); it != live->states.end()) {
      c.status = it->second.last_status;
      c.last_check = it->second.last_check;
      c.consecutive_failures = it->second.consecutive_failures;
    }
    if (auto it = live->last_results.find(m.name); it != live->last_results.end()) {
      c.status = it->second.status;
      c.last_check = it->second.timestamp;
      c.error = it->second.error;
    }
  }
  return c;
}

double ProjectedMonth(const DashboardData& data, double to_date) {
  double elapsed = std::chrono::duration<double>(data.now - data.month_start).count();
  double month =
      std::chrono::duration<double>(cost::NextMonthStart(data.now) - data.month_start).count();
  return elapsed > 0 ? to_date * month / elapsed : to_date;
}

}  // namespace modelwatch::web
