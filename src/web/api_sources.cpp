// GET /api/v1/sources and GET /api/v1/incidents (docs/web.md).

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "source/snapshot_json.h"
#include "web/api_json.h"
#include "web/official.h"
#include "web/routes.h"

namespace modelwatch::web {

namespace {

using json = nlohmann::ordered_json;

// Stored source events read for one page of /api/v1/incidents; the store
// gives them newest first, the page is oldest first from `since`.
constexpr size_t kEventScan = 20'000;
// Alert history read for the detection leads of the active incidents.
constexpr size_t kLeadScan = 1000;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const config::StatusSource* FindSource(const config::Config& cfg, const std::string& name) {
  for (const config::StatusSource& s : cfg.sources) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

json EventJson(const store::SourceEvent& e) {
  return {{"id", e.id},
          {"source", e.source},
          {"kind", e.kind},
          {"at", FormatIso8601(e.at)},
          {"subject", e.subject},
          {"title", e.title},
          {"severity", e.severity},
          {"from", e.from},
          {"to", e.to},
          {"link", e.link},
          {"message", e.message}};
}

}  // namespace

Response ApiSources(const Env& env, const Request& req) {
  auto live = env.live != nullptr ? env.live->Get() : nullptr;
  WallTime now = env.clock.WallNow();
  json list = json::array();
  for (const source::Snapshot& s : SourcesNow(env.cfg, live.get())) {
    const config::StatusSource* entry = FindSource(env.cfg, s.source);
    json j;
    j["name"] = s.source;
    j["kind"] = s.kind;
    j["state"] = std::string(SourceState(s.health));
    j["interval_ms"] = entry != nullptr ? entry->interval.count() : 0;
    j["age_s"] =
        s.polled == WallTime{}
            ? json(nullptr)
            : json(std::chrono::duration_cast<std::chrono::seconds>(now - s.polled).count());
    json detail = source::ToJson(s, now);
    detail.erase("source");
    detail.erase("kind");
    j.update(detail);
    j["monitors"] = MonitorsListing(env.cfg, s.source);
    list.push_back(std::move(j));
  }
  json out;
  out["computed_at"] = FormatIso8601(now);
  out["live"] = live != nullptr;
  out["sources"] = std::move(list);
  return JsonOk(Dump(out));
}

Response ApiIncidents(const Env& env, const Request& req) {
  WallTime now = env.clock.WallNow();
  Page page;
  if (auto bad = ParsePage(req, now, std::chrono::hours(24 * 7), &page)) {
    return *bad;
  }
  // Which sources: one (?source=), a monitor's (?monitor=), or all.
  std::optional<std::set<std::string>> only;
  if (std::string name = req.Query("source"); !name.empty()) {
    if (FindSource(env.cfg, name) == nullptr) {
      return JsonError(404, fmt::format("no status source named \"{}\"", name.substr(0, 200)));
    }
    only = std::set<std::string>{name};
  }
  if (std::string name = req.Query("monitor"); !name.empty()) {
    const config::Monitor* m = FindMonitor(env.cfg, name);
    if (m == nullptr) {
      return JsonError(404, fmt::format("no configured monitor named \"{}\"", name.substr(0, 200)));
    }
    std::set<std::string> listed(m->status_sources.begin(), m->status_sources.end());
    if (only) {
      std::erase_if(listed, [&](const std::string& s) { return only->count(s) == 0; });
    }
    only = std::move(listed);
  }
  auto wanted = [&](const std::string& source) { return !only || only->count(source) > 0; };

  auto live = env.live != nullptr ? env.live->Get() : nullptr;
  json out;
  out["computed_at"] = FormatIso8601(now);
  if (live) {
    std::vector<Lead> leads;
    if (auto events = env.store.AlertEvents("", now - std::chrono::hours(24 * 30), kLeadScan)) {
      leads = LeadsOf(*events);
    }
    json active = json::array();
    for (const source::Snapshot& s : live->sources) {
      if (!wanted(s.source)) {
        continue;
      }
      json incidents = source::ToJson(s, now)["incidents"];
      for (size_t i = 0; i < s.incidents.size() && i < incidents.size(); ++i) {
        const source::Incident& inc = s.incidents[i];
        json j;
        j["source"] = s.source;
        j["source_kind"] = s.kind;
        j.update(incidents[i]);
        j["monitors"] = MonitorsListing(env.cfg, s.source);
        json found = json::array();
        for (const Lead& l : leads) {
          if (LeadMatches(l, s.source, inc.title, inc.link)) {
            found.push_back({{"monitor", l.monitor}, {"lead_minutes", l.lead_minutes}});
          }
        }
        j["detection_leads"] = std::move(found);
        active.push_back(std::move(j));
      }
    }
    out["active"] = std::move(active);
  } else {
    out["active"] = nullptr;
    out["active_note"] = "no live state (read-only dashboard): the stored events follow";
  }

  auto stored = env.store.SourceEvents(page.since, kEventScan);
  if (!stored) {
    return JsonError(503, "store: " + stored.error().message());
  }
  json events = json::array();
  std::optional<WallTime> next;
  for (auto it = stored->rbegin(); it != stored->rend(); ++it) {  // oldest first
    if (!wanted(it->source)) {
      continue;
    }
    if (events.size() == page.limit) {
      next = it->at;
      break;
    }
    events.push_back(EventJson(*it));
  }
  out["since"] = FormatIso8601(page.since);
  out["events"] = std::move(events);
  out["next_since"] = next ? json(ToUnixMillis(*next)) : json(nullptr);
  if (stored->size() == kEventScan) {
    out["events_note"] = fmt::format(
        "more than {} events since then: the page starts at the oldest of the newest {}; ask "
        "with a later since",
        kEventScan, kEventScan);
  }
  return JsonOk(Dump(out));
}

}  // namespace modelwatch::web
