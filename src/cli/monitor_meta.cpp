#include "cli/monitor_meta.h"

namespace modelwatch::cli {
namespace {

template <typename Json>
void AddMeta(Json& j, const MonitorMeta& meta) {
  j["tier"] = meta.tier ? Json(std::string(config::ToString(*meta.tier))) : Json(nullptr);
  Json labels = Json::object();
  for (const auto& [k, v] : meta.labels) {
    labels[k] = v;
  }
  j["labels"] = std::move(labels);
}

}  // namespace

MonitorMeta MetaOf(const config::Monitor& m) { return MonitorMeta{m.tier, m.labels}; }

MonitorMeta MetaOf(const config::Config& cfg, std::string_view name) {
  for (const config::Monitor& m : cfg.monitors) {
    if (m.name == name) {
      return MetaOf(m);
    }
  }
  return {};
}

std::string TierText(const MonitorMeta& meta) {
  return meta.tier ? std::string(config::ToString(*meta.tier)) : "";
}

std::string LabelsText(const MonitorMeta& meta) {
  std::string out;
  for (const auto& [k, v] : meta.labels) {
    out += (out.empty() ? "" : ";") + k + "=" + v;
  }
  return out;
}

std::string MetaHeading(const MonitorMeta& meta) {
  std::string out = meta.tier ? "tier " + TierText(meta) : "";
  std::string labels;
  for (const auto& [k, v] : meta.labels) {
    labels += (labels.empty() ? "" : " ") + k + "=" + v;
  }
  if (!labels.empty()) {
    out += (out.empty() ? "" : ", ") + labels;
  }
  return out;
}

void AddMetaJson(nlohmann::json& j, const MonitorMeta& meta) { AddMeta(j, meta); }
void AddMetaJson(nlohmann::ordered_json& j, const MonitorMeta& meta) { AddMeta(j, meta); }

}  // namespace modelwatch::cli
