// OpenRouter's view of one model (formats/openrouter.md): /api/v1/models
// (is it listed, its pricing, its expiration date) and
// /api/v1/models/{author}/{slug}/endpoints (each provider's status and
// uptime). OpenRouter's uptime excludes rate-limited requests, as
// modelwatch's availability does.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "source/parse.h"
#include "source/source.h"

namespace modelwatch::source {
namespace {

using nlohmann::json;

// The slug with ':' (":free" variants) and other reserved bytes escaped.
std::string EncodeSegment(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string FormatPrice(const json& pricing) {
  std::string out;
  if (!pricing.is_object()) {
    return out;
  }
  for (auto it = pricing.begin(); it != pricing.end(); ++it) {
    std::string v = it->is_string() ? it->get<std::string>() : it->is_number() ? it->dump() : "";
    if (v.empty() || v == "0" || it.key() == "discount") {
      continue;
    }
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", it.key(), v);
  }
  return out;
}

std::optional<WallTime> ParseDate(std::string_view s) {
  if (s.size() == 10) {
    return ParseIsoTime(std::string(s) + "T00:00:00Z");
  }
  return ParseIsoTime(s);
}

std::string FormatPercent(double v) { return fmt::format("{:.1f}%", v); }

class OpenRouter final : public Source {
 public:
  explicit OpenRouter(const config::StatusSource& e) : e_(e) {
    size_t slash = e_.model.find('/');
    endpoints_url_ = fmt::format("{}/api/v1/models/{}/{}/endpoints", e_.base_url,
                                 EncodeSegment(e_.model.substr(0, slash)),
                                 EncodeSegment(e_.model.substr(slash + 1)));
    page_ = fmt::format("{}/{}", e_.base_url, e_.model);
  }

  // Source
  std::vector<net::Request> BuildRequests() const override {
    return {GetRequest(e_.base_url + "/api/v1/models"), GetRequest(endpoints_url_)};
  }

  Snapshot Parse(const std::vector<net::Response>& answers, WallTime now) const override {
    if (answers.size() != 2) {
      return Unknown("no answer", now);
    }
    if (auto why = AnswerProblem(answers[0])) {
      return Unknown("model list: " + *why, now);
    }
    json models;
    if (auto why = ParseJson(answers[0], models)) {
      return Unknown("model list: " + *why, now);
    }
    if (!models.is_object() || !models.contains("data") || !models["data"].is_array()) {
      return Unknown("model list: no data array", now);
    }
    Snapshot s;
    s.source = e_.name;
    s.kind = "openrouter";
    s.polled = now;
    s.page = page_;
    ModelListing listing;
    listing.model = e_.model;
    for (const json& m : models["data"]) {
      if (Str(m, "id") == e_.model || Str(m, "canonical_slug") == e_.model) {
        listing.listed = true;
        listing.pricing = FormatPrice(m.value("pricing", json()));
        listing.shutdown = ParseDate(Str(m, "expiration_date"));
        break;
      }
    }
    s.models.push_back(listing);

    const net::Response& ep = answers[1];
    if (!listing.listed) {
      s.health = Health::kOutage;
      s.why = fmt::format("{} is not in OpenRouter's model list (retired or renamed?)", e_.model);
      return s;
    }
    if (auto why = AnswerProblem(ep)) {
      return Unknown("endpoints: " + *why, now);
    }
    json doc;
    if (auto why = ParseJson(ep, doc)) {
      return Unknown("endpoints: " + *why, now);
    }
    auto data = doc.is_object() ? doc.find("data") : doc.end();
    if (!doc.is_object() || data == doc.end() || !data->is_object() ||
        !data->contains("endpoints") || !(*data)["endpoints"].is_array()) {
      return Unknown("endpoints: no data.endpoints list", now);
    }
    int with_figure = 0;
    int degraded = 0;
    for (const json& e : (*data)["endpoints"]) {
      Endpoint out;
      out.provider = Str(e, "provider_name");
      if (out.provider.empty()) {
        out.provider = Str(e, "name");
      }
      if (std::string tag = Str(e, "tag"); tag.find('/') != std::string::npos) {
        out.provider += tag.substr(tag.find('/'));  // a variant such as "/fast"
      }
      auto status = e.find("status");
      out.status = status == e.end()             ? "unknown"
                   : status->is_number_integer() ? std::to_string(status->get<int64_t>())
                   : status->is_string()         ? status->get<std::string>()
                                                 : "unknown";
      out.uptime_5m = Num(e, "uptime_last_5m");
      out.uptime_30m = Num(e, "uptime_last_30m");
      out.uptime_1d = Num(e, "uptime_last_1d");
      if (auto lat = e.find("latency_last_30m"); lat != e.end() && lat->is_object()) {
        out.latency_ms = Num(*lat, "p50");
      } else if (auto l = Num(e, "latency_last_30m")) {
        out.latency_ms = l;
      }
      std::optional<double> figure = out.uptime_5m    ? out.uptime_5m
                                     : out.uptime_30m ? out.uptime_30m
                                                      : out.uptime_1d;
      if (figure) {
        ++with_figure;
        out.degraded = *figure < e_.uptime_below;
        degraded += out.degraded ? 1 : 0;
      }
      s.endpoints.push_back(std::move(out));
    }
    if (s.endpoints.empty()) {
      s.health = Health::kOutage;
      s.why = "no provider serves the model on OpenRouter";
    } else if (with_figure > 0 && degraded == with_figure) {
      s.health = Health::kDegraded;
      s.why = fmt::format(
          "every provider is under {} uptime (OpenRouter's uptime excludes "
          "rate-limited requests)",
          FormatPercent(e_.uptime_below));
    } else {
      s.health = Health::kOperational;
      s.why = degraded == 0
                  ? fmt::format("{} provider{} at or above {} uptime", s.endpoints.size(),
                                s.endpoints.size() == 1 ? "" : "s", FormatPercent(e_.uptime_below))
                  : fmt::format("{} of {} providers under {} uptime", degraded, s.endpoints.size(),
                                FormatPercent(e_.uptime_below));
    }
    return s;
  }

 private:
  Snapshot Unknown(std::string why, WallTime now) const {
    Snapshot s = UnknownSnapshot(e_.name, "openrouter", std::move(why), now);
    s.page = page_;
    return s;
  }

  config::StatusSource e_;
  std::string endpoints_url_;
  std::string page_;
};

}  // namespace

Result<SourcePtr> MakeOpenRouterSource(const config::StatusSource& entry) {
  size_t slash = entry.model.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == entry.model.size()) {
    return Status::InvalidArgument("needs a model (author/slug)");
  }
  if (entry.base_url.empty()) {
    return Status::InvalidArgument("needs a base_url");
  }
  return SourcePtr(std::make_unique<OpenRouter>(entry));
}

}  // namespace modelwatch::source
