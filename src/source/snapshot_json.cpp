#include "source/snapshot_json.h"

#include "core/check_result.h"

namespace modelwatch::source {
namespace {

using Json = nlohmann::ordered_json;

Json Opt(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

Json ToJson(const Snapshot& s, WallTime now) {
  Json j = {{"source", s.source},
            {"kind", s.kind},
            {"health", ToString(s.health)},
            {"why", s.why},
            {"polled", s.polled == WallTime{} ? Json(nullptr) : Json(FormatIso8601(s.polled))},
            {"page", s.page}};
  Json incidents = Json::array();
  for (const Incident& i : s.incidents) {
    incidents.push_back(
        {{"id", i.id},
         {"title", i.title},
         {"severity", i.severity},
         {"status", i.status},
         {"maintenance", i.maintenance},
         {"started", FormatIso8601(i.started)},
         {"age_s", std::chrono::duration_cast<std::chrono::seconds>(now - i.started).count()},
         {"updated", FormatIso8601(i.updated)},
         {"affected", i.affected},
         {"latest_update", i.latest_update},
         {"link", i.link}});
  }
  j["incidents"] = std::move(incidents);
  Json components = Json::array();
  for (const Component& c : s.components) {
    components.push_back({{"id", c.id}, {"name", c.name}, {"status", c.status}});
  }
  j["components"] = std::move(components);
  Json endpoints = Json::array();
  for (const Endpoint& e : s.endpoints) {
    endpoints.push_back({{"provider", e.provider},
                         {"status", e.status},
                         {"uptime_5m", Opt(e.uptime_5m)},
                         {"uptime_30m", Opt(e.uptime_30m)},
                         {"uptime_1d", Opt(e.uptime_1d)},
                         {"latency_ms", Opt(e.latency_ms)},
                         {"degraded", e.degraded}});
  }
  j["endpoints"] = std::move(endpoints);
  if (!s.endpoints.empty()) {
    j["uptime_note"] = kUptimeNote;
  }
  Json models = Json::array();
  for (const ModelListing& m : s.models) {
    models.push_back({{"model", m.model},
                      {"listed", m.listed},
                      {"shutdown", m.shutdown ? Json(FormatIso8601(*m.shutdown)) : Json(nullptr)},
                      {"pricing", m.pricing}});
  }
  j["models"] = std::move(models);
  return j;
}

}  // namespace modelwatch::source
