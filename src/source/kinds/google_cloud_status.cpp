// Google Cloud Service Health: incidents.json (formats/google-cloud-status.md).
// An incident is active while it has no `end` (absent, null or ""); it
// concerns the source when one of its affected products matches by id,
// title or current_title, and (with `locations`) one of its current
// locations does ("global" matches every location).
#include <fmt/format.h>

#include <algorithm>

#include "source/parse.h"
#include "source/source.h"

namespace modelwatch::source {
namespace {

using nlohmann::json;

Health ImpactHealth(std::string_view impact) {
  if (impact == "SERVICE_OUTAGE") {
    return Health::kOutage;
  }
  return Health::kDegraded;  // DISRUPTION, INFORMATION, and values not known yet
}

class GoogleCloudStatus final : public Source {
 public:
  explicit GoogleCloudStatus(const config::StatusSource& e) : e_(e), origin_(Origin(e.url)) {}

  // Source
  std::vector<net::Request> BuildRequests() const override { return {GetRequest(e_.url)}; }

  Snapshot Parse(const std::vector<net::Response>& answers, WallTime now) const override {
    if (answers.size() != 1) {
      return Unknown("no answer", now);
    }
    if (auto why = AnswerProblem(answers[0])) {
      return Unknown(*why, now);
    }
    json doc;
    if (auto why = ParseJson(answers[0], doc)) {
      return Unknown(*why, now);
    }
    if (!doc.is_array()) {
      return Unknown("incidents.json is not a list of incidents", now);
    }
    Snapshot s;
    s.source = e_.name;
    s.kind = "google_cloud_status";
    s.polled = now;
    s.page = origin_ + "/";
    s.health = Health::kOperational;
    for (size_t i = 0; i < doc.size(); ++i) {
      const json& inc = doc[i];
      if (!inc.is_object() || Str(inc, "id").empty()) {
        return Unknown(fmt::format("incidents[{}] has no id", i), now);
      }
      if (!Str(inc, "end").empty()) {
        continue;  // resolved
      }
      std::vector<std::string> affected = MatchedProducts(inc);
      if (affected.empty() || !LocationMatches(inc)) {
        continue;
      }
      std::optional<WallTime> begin = ParseIsoTime(Str(inc, "begin"));
      if (!begin) {
        begin = ParseIsoTime(Str(inc, "created"));
      }
      if (!begin) {
        return Unknown(fmt::format("incident {} has no readable begin time", Str(inc, "id")), now);
      }
      Incident out;
      out.id = Str(inc, "id");
      out.title = PlainText(Str(inc, "external_desc"), 300);
      out.severity = Str(inc, "severity");
      out.status = Str(inc, "status_impact");
      out.affected = std::move(affected);
      out.started = *begin;
      out.updated = ParseIsoTime(Str(inc, "modified")).value_or(*begin);
      const json* latest = nullptr;
      if (auto it = inc.find("most_recent_update"); it != inc.end() && it->is_object()) {
        latest = &*it;
      } else if (const json& ups = Arr(inc, "updates"); !ups.empty() && ups[0].is_object()) {
        latest = &ups[0];
      }
      if (latest != nullptr) {
        out.latest_update = PlainText(Str(*latest, "text"));
      }
      std::string uri = Str(inc, "uri");
      out.link = uri.empty()               ? fmt::format("{}/incidents/{}", origin_, out.id)
                 : uri.starts_with("http") ? uri
                                           : fmt::format("{}/{}", origin_, uri);
      s.health = Worse(s.health, ImpactHealth(out.status));
      s.incidents.push_back(std::move(out));
    }
    std::stable_sort(s.incidents.begin(), s.incidents.end(),
                     [](const Incident& a, const Incident& b) { return a.started > b.started; });
    s.why = s.incidents.empty()
                ? "no active incident on the watched products"
                : fmt::format("{} active incident{}: {}", s.incidents.size(),
                              s.incidents.size() == 1 ? "" : "s", s.incidents[0].title);
    return s;
  }

 private:
  Snapshot Unknown(std::string why, WallTime now) const {
    Snapshot s = UnknownSnapshot(e_.name, "google_cloud_status", std::move(why), now);
    s.page = origin_ + "/";
    return s;
  }

  std::vector<std::string> MatchedProducts(const json& inc) const {
    std::vector<std::string> out;
    for (const json& p : Arr(inc, "affected_products")) {
      std::string title = Str(p, "title");
      bool match = e_.products.empty();
      for (const std::string& want : e_.products) {
        match = match || want == Str(p, "id") || SameText(want, title) ||
                SameText(want, Str(p, "current_title"));
      }
      if (match) {
        out.push_back(title.empty() ? Str(p, "id") : title);
      }
    }
    if (out.empty() && e_.products.empty()) {
      out.push_back(Str(inc, "service_name"));  // every product is watched
    }
    return out;
  }

  bool LocationMatches(const json& inc) const {
    if (e_.locations.empty()) {
      return true;
    }
    const json* locs = &Arr(inc, "currently_affected_locations");
    if (locs->empty()) {
      if (auto it = inc.find("most_recent_update"); it != inc.end()) {
        locs = &Arr(*it, "affected_locations");
      }
    }
    if (locs->empty()) {
      return true;  // the incident names no place: it may be anywhere
    }
    for (const json& l : *locs) {
      std::string id = Str(l, "id");
      if (id == "global") {
        return true;
      }
      for (const std::string& want : e_.locations) {
        if (want == id || SameText(want, Str(l, "title"))) {
          return true;
        }
      }
    }
    return false;
  }

  config::StatusSource e_;
  std::string origin_;
};

}  // namespace

Result<SourcePtr> MakeGoogleCloudStatus(const config::StatusSource& entry) {
  if (entry.url.empty()) {
    return Status::InvalidArgument("needs a url");
  }
  return SourcePtr(std::make_unique<GoogleCloudStatus>(entry));
}

}  // namespace modelwatch::source
