#include "alert/lifecycle.h"

#include <fmt/format.h>

#include <cmath>

namespace modelwatch::alert {
namespace {

std::string_view Bare(std::string_view id) { return id.starts_with("models/") ? id.substr(7) : id; }

std::string Date(WallTime t) {
  auto ymd = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t));
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

int DaysLeft(WallTime shutdown, WallTime now) {
  using namespace std::chrono;
  double days = duration<double, std::ratio<86400>>(shutdown - now).count();
  return static_cast<int>(std::ceil(days));
}

}  // namespace

std::string LifecycleWarning::Key() const {
  if (kind == LifecycleKind::kDisappeared) {
    return "gone";
  }
  return fmt::format("{}/{}", Date(shutdown), threshold_days);
}

std::optional<LifecycleWarning> LifecycleWarningFor(const source::ModelListing& listing,
                                                    WallTime now) {
  LifecycleWarning w;
  w.model = listing.model;
  if (!listing.listed) {
    w.kind = LifecycleKind::kDisappeared;
    return w;
  }
  if (!listing.shutdown) {
    return std::nullopt;
  }
  w.shutdown = *listing.shutdown;
  w.days_left = DaysLeft(*listing.shutdown, now);
  for (int t : kLifecycleThresholds) {
    if (*listing.shutdown - now <= std::chrono::days(t)) {
      w.threshold_days = t;  // thresholds run from far to near: keep the nearest
    }
  }
  if (w.threshold_days == 0) {
    return std::nullopt;
  }
  return w;
}

const source::ModelListing* FindListing(const std::vector<source::Snapshot>& snapshots,
                                        std::string_view model) {
  for (const source::Snapshot& s : snapshots) {
    for (const source::ModelListing& m : s.models) {
      if (Bare(m.model) == Bare(model)) {
        return &m;
      }
    }
  }
  return nullptr;
}

std::string LifecycleText(const LifecycleWarning& w, std::string_view language) {
  const bool zh = language == "zh";
  if (w.kind == LifecycleKind::kDisappeared) {
    return zh ? fmt::format("{} 已不在服务商的模型列表中：模型已下线或改名，请更新监控的模型",
                            w.model)
              : fmt::format(
                    "{} is no longer in its provider's model list: it was retired or renamed; "
                    "update the monitor's model",
                    w.model);
  }
  const std::string date = Date(w.shutdown);
  if (w.days_left <= 0) {
    return zh ? fmt::format("{} 已于 {} 下线：请更新监控的模型", w.model, date)
              : fmt::format("{} was shut down on {}: update the monitor's model", w.model, date);
  }
  if (zh) {
    return fmt::format("{} 将在 {} 天后（{}）下线：请把监控换到当前模型", w.model, w.days_left,
                       date);
  }
  return fmt::format("{} shuts down in {} day{} ({}): move the monitor to a current model", w.model,
                     w.days_left, w.days_left == 1 ? "" : "s", date);
}

std::vector<std::string> LifecycleLines(const std::vector<MonitoredModel>& monitors,
                                        const std::vector<source::Snapshot>& snapshots,
                                        WallTime now, std::string_view language) {
  std::vector<std::string> out;
  for (const MonitoredModel& m : monitors) {
    const source::ModelListing* listing = FindListing(snapshots, m.model);
    if (listing == nullptr || (listing->listed && !listing->shutdown)) {
      continue;
    }
    LifecycleWarning w;
    w.model = m.model;
    if (!listing->listed) {
      w.kind = LifecycleKind::kDisappeared;
    } else {
      w.shutdown = *listing->shutdown;
      w.days_left = DaysLeft(w.shutdown, now);
    }
    out.push_back(fmt::format("{}: {}", m.monitor, LifecycleText(w, language)));
  }
  return out;
}

}  // namespace modelwatch::alert
