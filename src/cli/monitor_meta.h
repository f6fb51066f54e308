#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace modelwatch::cli {

// What the config says of a monitor beyond its results (which do not store
// it): its tier and labels, for `check --json`, `export`, `stats` and
// `report`. A monitor no longer in the config has neither.
struct MonitorMeta {
  std::optional<config::Tier> tier;
  std::map<std::string, std::string> labels;
};

MonitorMeta MetaOf(const config::Monitor& m);
// The configured monitor named `name`, else an empty MonitorMeta.
MonitorMeta MetaOf(const config::Config& cfg, std::string_view name);

// "critical", or "" without a tier.
std::string TierText(const MonitorMeta& meta);
// "env=prod;team=images" (sorted by key), or "" without labels: one CSV cell.
std::string LabelsText(const MonitorMeta& meta);
// "tier critical, env=prod team=images", or "" with neither: for table headings.
std::string MetaHeading(const MonitorMeta& meta);

// Sets j["tier"] (a string or null) and j["labels"] (an object, maybe empty).
void AddMetaJson(nlohmann::json& j, const MonitorMeta& meta);
void AddMetaJson(nlohmann::ordered_json& j, const MonitorMeta& meta);

}  // namespace modelwatch::cli
