#include "cli/store_options.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace modelwatch::cli {

store::Options StoreOptions(const config::Storage& storage) {
  store::Options o;
  o.sqlite_path = storage.sqlite_path;
  o.postgres_url = storage.postgres_url;
  o.retention = storage.retention;
  return o;
}

store::Thresholds StoreThresholds(const config::Thresholds& t) {
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

store::ThresholdsFor ThresholdsOf(const config::Config& cfg) {
  return [&cfg](const std::string& name) {
    for (const config::Monitor& m : cfg.monitors) {
      if (m.name == name) {
        return StoreThresholds(m.thresholds);
      }
    }
    return StoreThresholds(cfg.defaults.thresholds);
  };
}

store::StorePtr OpenStoreForReading(const config::Config& cfg) {
  store::Options o = StoreOptions(cfg.storage);
  o.prune = false;
  // Reading must not leave an empty database behind a mistyped path.
  if (o.postgres_url.empty() && !std::filesystem::exists(o.sqlite_path)) {
    std::fprintf(stderr,
                 "modelwatch: sqlite %s: no database there yet; `modelwatch run -c %s` creates "
                 "it, or check storage.sqlite\n",
                 o.sqlite_path.c_str(), cfg.path.c_str());
    return nullptr;
  }
  // SQLite would take an empty file for a new database and write a schema
  // into it: whatever the file was meant to be, it holds no history.
  std::error_code ec;
  if (o.postgres_url.empty() && std::filesystem::file_size(o.sqlite_path, ec) == 0 && !ec) {
    std::fprintf(stderr,
                 "modelwatch: sqlite %s: the file is empty (0 bytes), not a modelwatch database: "
                 "check storage.sqlite, or remove the file and let `modelwatch run -c %s` create "
                 "it\n",
                 o.sqlite_path.c_str(), cfg.path.c_str());
    return nullptr;
  }
  auto s = store::Open(o);
  if (!s) {
    std::fprintf(stderr, "modelwatch: %s\n", s.error().message().c_str());
    return nullptr;
  }
  return std::move(*s);
}

Result<std::vector<std::string>> MonitorNames(const config::Config& cfg, store::Store& store,
                                              const std::vector<std::string>& asked) {
  if (!asked.empty()) {
    return asked;
  }
  std::vector<std::string> names;
  for (const config::Monitor& m : cfg.monitors) {
    names.push_back(m.name);
  }
  auto stored = store.Monitors();
  if (!stored) {
    return stored.error();
  }
  for (const std::string& n : *stored) {
    if (std::find(names.begin(), names.end(), n) == names.end()) {
      names.push_back(n);
    }
  }
  return names;
}

}  // namespace modelwatch::cli
