// Atlassian Statuspage /api/v2/summary.json, and incident.io pages that
// answer the same shape (formats/statuspage.md). Health comes from the
// chosen components when `components` is set, else from the page's overall
// indicator; a scheduled maintenance in progress makes it at least
// `maintenance`. Unknown indicator or status values are tolerated.
#include <fmt/format.h>

#include <algorithm>

#include "source/parse.h"
#include "source/source.h"

namespace modelwatch::source {
namespace {

using nlohmann::json;

std::optional<Health> IndicatorHealth(std::string_view v) {
  if (v == "none") {
    return Health::kOperational;
  }
  if (v == "maintenance") {
    return Health::kMaintenance;
  }
  if (v == "minor") {
    return Health::kDegraded;
  }
  if (v == "major" || v == "critical") {
    return Health::kOutage;
  }
  return std::nullopt;
}

std::optional<Health> ComponentHealth(std::string_view v) {
  if (v == "operational") {
    return Health::kOperational;
  }
  if (v == "under_maintenance") {
    return Health::kMaintenance;
  }
  if (v == "degraded_performance" || v == "partial_outage") {
    return Health::kDegraded;
  }
  if (v == "major_outage" || v == "full_outage") {
    return Health::kOutage;
  }
  return std::nullopt;
}

class Statuspage final : public Source {
 public:
  explicit Statuspage(const config::StatusSource& e) : e_(e) {}

  // Source
  std::vector<net::Request> BuildRequests() const override { return {GetRequest(e_.url)}; }

  Snapshot Parse(const std::vector<net::Response>& answers, WallTime now) const override {
    if (answers.size() != 1) {
      return Unknown("no answer", now, "");
    }
    if (auto why = AnswerProblem(answers[0])) {
      return Unknown(*why, now, "");
    }
    json doc;
    if (auto why = ParseJson(answers[0], doc)) {
      return Unknown(*why, now, "");
    }
    if (!doc.is_object()) {
      return Unknown("summary.json is not an object", now, "");
    }
    std::string page = Str(doc.value("page", json::object()), "url");
    if (page.empty()) {
      page = Origin(e_.url);
    }
    auto st = doc.find("status");
    if (st == doc.end() || !st->is_object() || Str(*st, "indicator").empty()) {
      return Unknown("summary.json has no status.indicator", now, page);
    }
    Snapshot s;
    s.source = e_.name;
    s.kind = "statuspage";
    s.polled = now;
    s.page = page;
    std::string indicator = Str(*st, "indicator");
    std::string description = Str(*st, "description");
    Health health = Health::kOperational;
    std::vector<std::string> notes;
    if (e_.components.empty()) {
      if (auto h = IndicatorHealth(indicator)) {
        health = *h;
      } else {
        health = Health::kDegraded;  // something is said that we cannot rank
        notes.push_back(fmt::format("unknown indicator \"{}\"", indicator));
      }
    } else {
      const json& comps = Arr(doc, "components");
      for (const std::string& want : e_.components) {
        auto it = std::find_if(comps.begin(), comps.end(), [&](const json& c) {
          return Str(c, "id") == want || SameText(Str(c, "name"), want);
        });
        if (it == comps.end()) {
          return Unknown(fmt::format("component \"{}\" is not on this page", want), now, page);
        }
        Component c{Str(*it, "id"), Str(*it, "name"), Str(*it, "status")};
        if (auto h = ComponentHealth(c.status)) {
          health = Worse(health, *h);
        } else {
          health = Worse(health, Health::kDegraded);
          notes.push_back(fmt::format("{}: unknown status \"{}\"", c.name, c.status));
        }
        s.components.push_back(std::move(c));
      }
    }
    for (const json& inc : Arr(doc, "incidents")) {
      std::string status = Str(inc, "status");
      if (status == "resolved" || status == "postmortem" || Str(inc, "id").empty()) {
        continue;
      }
      s.incidents.push_back(ToIncident(inc, page, false));
    }
    for (const json& m : Arr(doc, "scheduled_maintenances")) {
      std::string status = Str(m, "status");
      if (status != "in_progress" && status != "verifying") {
        continue;  // upcoming or completed
      }
      s.incidents.push_back(ToIncident(m, page, true));
      health = Worse(health, Health::kMaintenance);
    }
    std::stable_sort(s.incidents.begin(), s.incidents.end(),
                     [](const Incident& a, const Incident& b) { return a.started > b.started; });
    s.health = health;
    s.why = description.empty() ? indicator : description;
    if (!s.incidents.empty()) {
      s.why += fmt::format("; {} unresolved: {}", s.incidents.size(), s.incidents[0].title);
    }
    for (const std::string& n : notes) {
      s.why += "; " + n;
    }
    return s;
  }

 private:
  Snapshot Unknown(std::string why, WallTime now, std::string page) const {
    Snapshot s = UnknownSnapshot(e_.name, "statuspage", std::move(why), now);
    s.page = page.empty() ? Origin(e_.url) : std::move(page);
    return s;
  }

  Incident ToIncident(const json& inc, const std::string& page, bool maintenance) const {
    Incident out;
    out.id = Str(inc, "id");
    out.title = PlainText(Str(inc, "name"), 300);
    out.severity = Str(inc, "impact");
    out.status = Str(inc, "status");
    out.maintenance = maintenance;
    std::optional<WallTime> started = ParseIsoTime(Str(inc, "started_at"));
    if (!started) {
      started = ParseIsoTime(Str(inc, maintenance ? "scheduled_for" : "created_at"));
    }
    if (!started) {
      started = ParseIsoTime(Str(inc, "created_at"));
    }
    out.started = started.value_or(WallTime{});
    out.updated = ParseIsoTime(Str(inc, "updated_at")).value_or(out.started);
    const json& updates = Arr(inc, "incident_updates");
    if (!updates.empty()) {
      out.latest_update = PlainText(Str(updates[0], "body"));
    }
    out.link = Str(inc, "shortlink");
    if (out.link.empty()) {
      std::string base = page;
      while (base.ends_with('/')) {
        base.pop_back();
      }
      out.link = fmt::format("{}/incidents/{}", base, out.id);
    }
    for (const json& c : Arr(inc, "components")) {
      std::string name = Str(c, "name");
      bool chosen = e_.components.empty();
      for (const std::string& want : e_.components) {
        chosen = chosen || want == Str(c, "id") || SameText(want, name);
      }
      if (chosen && !name.empty()) {
        out.affected.push_back(name);
      }
    }
    return out;
  }

  config::StatusSource e_;
};

}  // namespace

Result<SourcePtr> MakeStatuspage(const config::StatusSource& entry) {
  if (entry.url.empty()) {
    return Status::InvalidArgument("needs a url (the page's /api/v2/summary.json)");
  }
  return SourcePtr(std::make_unique<Statuspage>(entry));
}

}  // namespace modelwatch::source
