// GET /metrics in the Prometheus text format (version 0.0.4).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "store/histogram.h"
#include "web/routes.h"

namespace modelwatch::web {

namespace {

// Histogram bounds in seconds: the rollups' 80 log buckets folded into these.
constexpr double kLe[] = {0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120, 300};

// A label value: backslash, double quote and newline escaped.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// The provider label is the monitor's `provider`, else its provider label.
std::string Labels(const MonitorView& m) {
  std::string provider = m.provider;
  if (auto it = m.labels.find("provider"); provider.empty() && it != m.labels.end()) {
    provider = it->second;
  }
  return fmt::format("monitor=\"{}\",kind=\"{}\",model=\"{}\",provider=\"{}\"", LabelValue(m.name),
                     LabelValue(m.kind), LabelValue(m.model), LabelValue(provider));
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// Process start (seconds since the epoch), from /proc: the boot time plus
// the process's start in clock ticks after boot.
double ProcessStartSeconds() {
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  size_t close = line.rfind(')');
  if (close == std::string::npos) {
    return 0;
  }
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long long start_ticks = 0;
  for (int i = 3; i <= 22 && rest >> field; ++i) {
    if (i == 22) {
      start_ticks = std::stoull(field);
    }
  }
  std::ifstream procstat("/proc/stat");
  unsigned long long btime = 0;
  for (std::string l; std::getline(procstat, l);) {
    if (l.starts_with("btime ")) {
      btime = std::stoull(l.substr(6));
    }
  }
  return static_cast<double>(btime) + static_cast<double>(start_ticks) / sysconf(_SC_CLK_TCK);
}

double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  unsigned long long size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * sysconf(_SC_PAGESIZE);
}

}  // namespace

Response Metrics(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  auto live = env.live != nullptr ? env.live->Get() : nullptr;
  std::string out;
  out.reserve(data->monitors.size() * 4096 + 4096);
  std::vector<std::string> labels;
  for (const MonitorView& m : data->monitors) {
    labels.push_back(Labels(m));
  }

  Family(out, "modelwatch_checks_total", "counter",
         "Checks by final status, over the store's retained day rollups (400 days by default).");
  for (size_t i = 0; i < data->monitors.size(); ++i) {
    for (int s = 0; s < kCheckStatusCount; ++s) {
      fmt::format_to(std::back_inserter(out), "modelwatch_checks_total{{{},status=\"{}\"}} {}\n",
                     labels[i], ToString(static_cast<CheckStatus>(s)),
                     data->monitors[i].total.counts[s]);
    }
  }
  Family(out, "modelwatch_check_latency_seconds", "histogram",
         "Latency of successful checks (success and degraded), whole check.");
  for (size_t i = 0; i < data->monitors.size(); ++i) {
    const store::Rollup& t = data->monitors[i].total;
    size_t b = 0;
    uint64_t cumulative = 0;
    for (double le : kLe) {
      int64_t le_ms = static_cast<int64_t>(le * 1000);
      // Bucket b holds [LowerBound(b), LowerBound(b+1)): counted once the
      // whole bucket is at or below the bound.
      while (b < store::Histogram::kBuckets - 1 && store::Histogram::LowerBound(b + 1) <= le_ms) {
        cumulative += t.histogram.at(static_cast<int>(b));
        ++b;
      }
      fmt::format_to(std::back_inserter(out),
                     "modelwatch_check_latency_seconds_bucket{{{},le=\"{}\"}} {}\n", labels[i], le,
                     cumulative);
    }
    uint64_t count = t.histogram.count();
    fmt::format_to(std::back_inserter(out),
                   "modelwatch_check_latency_seconds_bucket{{{},le=\"+Inf\"}} {}\n"
                   "modelwatch_check_latency_seconds_sum{{{}}} {:.3f}\n"
                   "modelwatch_check_latency_seconds_count{{{}}} {}\n",
                   labels[i], count, labels[i], t.latency_sum_ms / 1000.0, labels[i], count);
  }
  std::string up, streak, last;
  for (size_t i = 0; i < data->monitors.size(); ++i) {
    Current c = CurrentOf(data->monitors[i], live.get());
    if (c.status && *c.status != CheckStatus::kRateLimited) {
      fmt::format_to(std::back_inserter(up), "modelwatch_up{{{}}} {}\n", labels[i],
                     IsSuccess(*c.status) ? 1 : 0);
    }
    fmt::format_to(std::back_inserter(streak), "modelwatch_consecutive_failures{{{}}} {}\n",
                   labels[i], c.consecutive_failures);
    if (c.last_check) {
      fmt::format_to(std::back_inserter(last),
                     "modelwatch_last_check_timestamp_seconds{{{}}} {:.3f}\n", labels[i],
                     ToUnixMillis(*c.last_check) / 1000.0);
    }
  }
  Family(out, "modelwatch_up", "gauge",
         "1 when the last check succeeded, 0 when it failed; absent before the first check or "
         "when rate limited.");
  out += up;
  Family(out, "modelwatch_consecutive_failures", "gauge", "Failed checks in a row, up to now.");
  out += streak;
  Family(out, "modelwatch_last_check_timestamp_seconds", "gauge", "When the last check started.");
  out += last;
  Family(out, "modelwatch_availability_ratio", "gauge",
         "Successes / (checks - rate limited) over the window (1h, 6h, 24h, 7d, 30d); absent "
         "without such checks.");
  for (size_t i = 0; i < data->monitors.size(); ++i) {
    for (int w = 0; w < store::kWindowCount; ++w) {
      const auto& ws = data->monitors[i].windows.windows[w];
      if (ws.availability) {
        fmt::format_to(std::back_inserter(out),
                       "modelwatch_availability_ratio{{{},window=\"{}\"}} {:.6f}\n", labels[i],
                       store::WindowName(w), *ws.availability / 100);
      }
    }
  }
  Family(out, "modelwatch_latency_p95_seconds", "gauge",
         "p95 latency of successful checks over the window.");
  for (size_t i = 0; i < data->monitors.size(); ++i) {
    for (int w = 0; w < store::kWindowCount; ++w) {
      const auto& ws = data->monitors[i].windows.windows[w];
      if (ws.latency) {
        fmt::format_to(std::back_inserter(out),
                       "modelwatch_latency_p95_seconds{{{},window=\"{}\"}} {:.3f}\n", labels[i],
                       store::WindowName(w), ws.latency->p95 / 1000);
      }
    }
  }
  Family(out, "modelwatch_firing_alerts", "gauge", "Alerts firing now (live daemon only).");
  fmt::format_to(std::back_inserter(out), "modelwatch_firing_alerts {}\n",
                 live ? live->firing.size() : 0);
  Family(out, "modelwatch_store_up", "gauge", "1 when the last store write or read succeeded.");
  bool store_ok = data->error.empty() && env.store.last_error().ok() && (!live || live->store_ok);
  fmt::format_to(std::back_inserter(out), "modelwatch_store_up {}\n", store_ok ? 1 : 0);
  Family(out, "modelwatch_store_dropped_results_total", "counter",
         "Results dropped because the store's queue overflowed, since start.");
  fmt::format_to(std::back_inserter(out), "modelwatch_store_dropped_results_total {}\n",
                 env.store.dropped());
  Family(out, "process_start_time_seconds", "gauge",
         "Start time of the process since unix epoch in seconds.");
  fmt::format_to(std::back_inserter(out), "process_start_time_seconds {:.2f}\n",
                 ProcessStartSeconds());
  Family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  fmt::format_to(std::back_inserter(out), "process_resident_memory_bytes {:.0f}\n",
                 ResidentBytes());
  if (env.extra_metrics) {
    out += env.extra_metrics();
  }
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = std::move(out);
  return r;
}

}  // namespace modelwatch::web
