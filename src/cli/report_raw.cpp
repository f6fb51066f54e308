#include "cli/report_raw.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/csv.h"

namespace modelwatch::cli {
namespace {

using std::chrono::milliseconds;

RawSummary::Phase Percentiles(std::vector<milliseconds>& v) {
  RawSummary::Phase p;
  if (v.empty()) {
    return p;
  }
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]; };
  p.p50 = at(0.5);
  p.p95 = at(0.95);
  return p;
}

std::string Secs(milliseconds ms) { return fmt::format("{:.2f}s", ms.count() / 1000.0); }

double Reachable(const RawSummary::Monitor& m) {
  return 100.0 * static_cast<double>(m.light - m.light_failed) / static_cast<double>(m.light);
}

nlohmann::json PhaseJson(const RawSummary::Phase& p) {
  return {{"p50", p.p50.count()}, {"p95", p.p95.count()}};
}

}  // namespace

Result<RawSummary> SummarizeRaw(store::Store& store, const std::vector<std::string>& monitors,
                                WallTime since, WallTime until) {
  struct Samples {
    std::vector<milliseconds> accept, queue, fetch;
    uint64_t polls = 0;
  };
  std::map<std::string, Samples> samples;
  RawSummary out;
  store::ResultQuery q;
  q.monitors = monitors;
  q.since = since;
  q.until = until;
  Status st = store.ScanResults(q, [&](const CheckResult& r) {
    if (r.mode == CheckMode::kLight) {
      RawSummary::Monitor& m = out.monitors[r.monitor];
      ++m.light;
      m.light_failed += IsFailure(r.status) ? 1 : 0;
    } else if (r.async) {
      ++out.monitors[r.monitor].jobs;
      Samples& s = samples[r.monitor];
      s.accept.push_back(r.async->accept);
      s.queue.push_back(r.async->queue);
      s.fetch.push_back(r.async->fetch);
      s.polls += static_cast<uint64_t>(std::max(0, r.async->polls));
    }
    return true;
  });
  if (!st.ok()) {
    return st;
  }
  for (auto& [name, s] : samples) {
    RawSummary::Monitor& m = out.monitors[name];
    m.accept = Percentiles(s.accept);
    m.queue = Percentiles(s.queue);
    m.fetch = Percentiles(s.fetch);
    m.polls = m.jobs == 0 ? 0 : static_cast<double>(s.polls) / static_cast<double>(m.jobs);
  }
  return out;
}

std::string FormatRawSummary(const RawSummary& s) {
  std::string jobs, light;
  for (const auto& [name, m] : s.monitors) {
    if (m.jobs > 0) {
      jobs += fmt::format("  {:<28} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>6.1f}\n", name,
                          m.jobs, Secs(m.accept.p50), Secs(m.accept.p95), Secs(m.queue.p50),
                          Secs(m.queue.p95), Secs(m.fetch.p50), Secs(m.fetch.p95), m.polls);
    }
    if (m.light > 0) {
      light += fmt::format("  {:<28} {:>7} {:>7} {:>9.2f}%\n", name, m.light, m.light_failed,
                           Reachable(m));
    }
  }
  std::string out;
  if (!jobs.empty()) {
    out += fmt::format(
        "\n== asynchronous jobs (full checks that polled) ==\n  {:<28} {:>6} {:>8} {:>8} {:>8} "
        "{:>8} {:>8} {:>8} {:>6}\n",
        "monitor", "jobs", "acc p50", "acc p95", "queue50", "queue95", "fetch50", "fetch95",
        "polls");
    out += jobs;
  }
  if (!light.empty()) {
    out += fmt::format(
        "\n== light checks (full_every; not in the figures above) ==\n  {:<28} {:>7} {:>7} "
        "{:>10}\n",
        "monitor", "checks", "failed", "reachable");
    out += light;
  }
  return out;
}

void AddRawSummaryJson(const RawSummary& s, const std::string& monitor, nlohmann::json& out) {
  out["light_checks"] = nullptr;
  out["async_jobs"] = nullptr;
  auto it = s.monitors.find(monitor);
  if (it == s.monitors.end()) {
    return;
  }
  const RawSummary::Monitor& m = it->second;
  if (m.light > 0) {
    out["light_checks"] = {
        {"checks", m.light}, {"failed", m.light_failed}, {"reachable", Reachable(m)}};
  }
  if (m.jobs > 0) {
    out["async_jobs"] = {{"jobs", m.jobs},
                         {"accept_ms", PhaseJson(m.accept)},
                         {"queue_ms", PhaseJson(m.queue)},
                         {"fetch_ms", PhaseJson(m.fetch)},
                         {"polls", m.polls}};
  }
}

std::string LightChecksCsv(const RawSummary& s) {
  std::string out = "monitor,checks,failed,reachable\n";
  for (const auto& [name, m] : s.monitors) {
    if (m.light > 0) {
      out +=
          fmt::format("{},{},{},{:.4f}\n", CsvField(name), m.light, m.light_failed, Reachable(m));
    }
  }
  return out;
}

std::string AsyncJobsCsv(const RawSummary& s) {
  std::string out =
      "monitor,jobs,accept_p50_ms,accept_p95_ms,queue_p50_ms,queue_p95_ms,fetch_p50_ms,"
      "fetch_p95_ms,polls\n";
  for (const auto& [name, m] : s.monitors) {
    if (m.jobs > 0) {
      out += fmt::format("{},{},{},{},{},{},{},{},{:.2f}\n", CsvField(name), m.jobs,
                         m.accept.p50.count(), m.accept.p95.count(), m.queue.p50.count(),
                         m.queue.p95.count(), m.fetch.p50.count(), m.fetch.p95.count(), m.polls);
    }
  }
  return out;
}

}  // namespace modelwatch::cli
