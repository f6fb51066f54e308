// Official status feeds: Google Cloud incidents.json and Atlassian Statuspage
// summary.json. The built-in content is derived from the samples in
// shared/formats/samples (gcp-incidents-*.json, statuspage-summary-claude-*.json),
// pointed at the AI products the monitor watches.
#include <fmt/format.h>

#include <ctime>

#include "core/text.h"
#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

using Json = nlohmann::ordered_json;

HttpReply JsonReply(const Json& body) {
  HttpReply r;
  r.headers = {{"Content-Type", "application/json"}, {"Cache-Control", "max-age=60"}};
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// Status hosts fail like CDNs: an HTML page, not JSON.
HttpReply HtmlError(Behaviour behaviour) {
  int status = 503;
  switch (behaviour) {
    case Behaviour::kRateLimit:
    case Behaviour::kQuota:
      status = 429;
      break;
    case Behaviour::kAuth:
      status = 403;
      break;
    case Behaviour::kBadRequest:
      status = 400;
      break;
    case Behaviour::kNotFound:
      status = 404;
      break;
    case Behaviour::kServerError:
      status = 500;
      break;
    default:
      break;
  }
  HttpReply r;
  r.status = status;
  r.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  r.body = fmt::format(
      "<!DOCTYPE html><html><head><title>Error {0}</title></head><body><h1>"
      "Error {0}</h1><p>The status page is temporarily unavailable.</p>"
      "</body></html>\n",
      status);
  return r;
}

bool IsContent(Behaviour b) {
  return b == Behaviour::kOk || b == Behaviour::kNoImage || b == Behaviour::kSafetyBlock;
}

Json Location(std::string_view title, std::string_view id) {
  return {{"title", title}, {"id", id}};
}

Json GcpUpdate(std::string_view when, std::string_view text, std::string_view status,
               Json locations) {
  return {{"created", when}, {"modified", when}, {"when", when},
          {"text", text},    {"status", status}, {"affected_locations", std::move(locations)}};
}

// `updated`: an active incident with a second, newer update.
Json GcpIncident(std::string_view id, std::string_view number, bool active, bool updated = false) {
  Json locations =
      Json::array({Location("Iowa (us-central1)", "us-central1"), Location("Global", "global")});
  Json first = GcpUpdate("2026-11-27T08:12:00+00:00",
                         "We are investigating elevated error rates for image generation with "
                         "Gemini models on Vertex AI.\nWe will provide an update by Thursday, "
                         "2026-11-27 01:00 US/Pacific.",
                         "SERVICE_DISRUPTION", locations);
  Json updates = Json::array();
  if (!active) {
    updates.push_back(GcpUpdate("2026-11-27T09:40:00+00:00",
                                "The issue with Vertex Gemini API has been resolved for all "
                                "affected users as of Thursday, 2026-11-27 01:35 US/Pacific.\nWe "
                                "thank you for your patience while we worked on resolving the "
                                "issue.",
                                "AVAILABLE", locations));
  }
  if (active && updated) {
    updates.push_back(GcpUpdate("2026-11-27T08:50:00+00:00",
                                "Mitigation is in progress; error rates for image generation with "
                                "Gemini models on Vertex AI are decreasing.\nWe will provide an "
                                "update by Thursday, 2026-11-27 01:30 US/Pacific.",
                                "SERVICE_DISRUPTION", locations));
  }
  updates.push_back(first);
  Json inc = {{"id", id},
              {"number", number},
              {"begin", "2026-11-27T08:00:00+00:00"},
              {"created", "2026-11-27T08:12:00+00:00"}};
  if (!active) {
    inc["end"] = "2026-11-27T09:35:00+00:00";  // the key is absent while ongoing
  }
  inc["modified"] = updates[0]["modified"];
  inc["external_desc"] = "Elevated error rates for image generation on Vertex Gemini API";
  inc["updates"] = updates;
  inc["most_recent_update"] = updates[0];
  inc["status_impact"] = "SERVICE_DISRUPTION";
  inc["severity"] = "medium";
  inc["service_key"] = "Z0FZJAMvEB4j3NbCJs6B";
  inc["service_name"] = "Vertex Gemini API";
  inc["affected_products"] =
      Json::array({{{"title", "Vertex Gemini API"}, {"id", "Z0FZJAMvEB4j3NbCJs6B"}},
                   {{"title", "Vertex AI Online Prediction"}, {"id", "sdXM79fz1FS6ekNpu37K"}}});
  inc["uri"] = fmt::format("incidents/{}", id);
  inc["currently_affected_locations"] = active ? locations : Json::array();
  inc["previously_affected_locations"] = active ? Json::array() : locations;
  return inc;
}

// The unrelated, resolved Secret Manager incident of the Checkmk sample.
Json GcpOtherIncident() {
  Json loc = Json::array({Location("London (europe-west2)", "europe-west2")});
  Json update = GcpUpdate("2022-07-20T13:44:35+00:00",
                          "We experienced an issue with Secret Manager beginning at Tuesday, "
                          "2022-07-19 07:17 US/Pacific.",
                          "AVAILABLE", loc);
  return {{"id", "mLBHeCxhRia17anXCSX1"},
          {"number", "14970871909327597787"},
          {"begin", "2022-07-19T14:17:00+00:00"},
          {"created", "2022-07-20T13:39:01+00:00"},
          {"end", "2022-07-19T15:47:00+00:00"},
          {"modified", "2022-07-20T13:46:32+00:00"},
          {"external_desc", "Secret Manager experienced service unavailability in europe-west2"},
          {"updates", Json::array({update})},
          {"most_recent_update", update},
          {"status_impact", "SERVICE_DISRUPTION"},
          {"severity", "medium"},
          {"service_key", "kzGfErQK3HzkFhptoeHH"},
          {"service_name", "Secret Manager"},
          {"affected_products",
           Json::array({{{"title", "Secret Manager"}, {"id", "kzGfErQK3HzkFhptoeHH"}}})},
          {"uri", "incidents/mLBHeCxhRia17anXCSX1"},
          {"currently_affected_locations", Json::array()},
          {"previously_affected_locations", loc}};
}

Json Component(std::string_view id, std::string_view name, int position, std::string_view status) {
  return {{"id", id},
          {"name", name},
          {"status", status},
          {"created_at", "2023-07-11T17:52:24.275Z"},
          {"updated_at", "2026-11-27T08:05:00.000Z"},
          {"position", position},
          {"description", nullptr},
          {"showcase", true},
          {"start_date", "2023-07-11"},
          {"group_id", nullptr},
          {"page_id", "tymt9n04zgry"},
          {"group", false},
          {"only_show_if_degraded", false}};
}

Json StatuspageSummary(bool active) {
  std::string_view api_status = active ? "partial_outage" : "operational";
  Json components = Json::array(
      {Component("rwppv331jlwc", "claude.ai", 1, "operational"),
       Component("0qbwn08sd68x", "Claude Console (platform.claude.com)", 2, "operational"),
       Component("k8w3r06qmzrp", "Claude API (api.anthropic.com)", 3, api_status),
       Component("yyzkbfz2thpt", "Claude Code", 4, "operational")});
  Json incidents = Json::array();
  if (active) {
    Json update = {{"id", "sim0update01"},
                   {"incident_id", "sim0incident"},
                   {"status", "investigating"},
                   {"body", "We are investigating elevated error rates on the API."},
                   {"created_at", "2026-11-27T08:05:00.000Z"},
                   {"updated_at", "2026-11-27T08:05:00.000Z"},
                   {"display_at", "2026-11-27T08:05:00.000Z"},
                   {"affected_components", Json::array({{{"code", "k8w3r06qmzrp"},
                                                         {"name", "Claude API (api.anthropic.com)"},
                                                         {"old_status", "operational"},
                                                         {"new_status", "partial_outage"}}})},
                   {"deliver_notifications", true},
                   {"custom_tweet", nullptr},
                   {"tweet_id", nullptr}};
    incidents.push_back({{"id", "sim0incident"},
                         {"name", "Elevated errors on the API"},
                         {"status", "investigating"},
                         {"impact", "major"},
                         {"created_at", "2026-11-27T08:05:00.000Z"},
                         {"updated_at", "2026-11-27T08:05:00.000Z"},
                         {"monitoring_at", nullptr},
                         {"resolved_at", nullptr},
                         {"started_at", "2026-11-27T08:00:00.000Z"},
                         {"shortlink", "https://stspg.io/sim0incident"},
                         {"page_id", "tymt9n04zgry"},
                         {"incident_updates", Json::array({update})},
                         {"components", Json::array({components[2]})}});
  }
  return {
      {"page",
       {{"id", "tymt9n04zgry"},
        {"name", "Claude"},
        {"url", "https://status.claude.com"},
        {"time_zone", "Etc/UTC"},
        {"updated_at", "2026-11-27T08:05:00.000Z"}}},
      {"status", active ? Json{{"indicator", "major"}, {"description", "Partial System Outage"}}
                        : Json{{"indicator", "none"}, {"description", "All Systems Operational"}}},
      {"components", std::move(components)},
      {"incidents", std::move(incidents)},
      {"scheduled_maintenances", Json::array()}};
}

}  // namespace

HttpReply RenderGcpIncidents(const RenderContext& ctx, Behaviour behaviour) {
  if (!IsContent(behaviour)) {
    return HtmlError(behaviour);
  }
  Json list = Json::array();
  switch (ctx.step.incident) {
    case FeedIncident::kNone:
      break;
    case FeedIncident::kActive:
    case FeedIncident::kUpdated:
      list.push_back(GcpIncident("SimActiveGemini00001", "17710000000000000001", true,
                                 ctx.step.incident == FeedIncident::kUpdated));
      list.push_back(GcpOtherIncident());
      break;
    default:
      list.push_back(GcpIncident("SimResolvedGemini001", "17710000000000000002", false));
      list.push_back(GcpOtherIncident());
      break;
  }
  return JsonReply(list);
}

HttpReply RenderStatuspageSummary(const RenderContext& ctx, Behaviour behaviour) {
  if (!IsContent(behaviour)) {
    return HtmlError(behaviour);
  }
  // summary.json lists unresolved incidents only, so "resolved" looks like "none".
  bool active =
      ctx.step.incident == FeedIncident::kActive || ctx.step.incident == FeedIncident::kUpdated;
  return JsonReply(StatuspageSummary(active));
}

namespace {


std::string Rfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
  return buf;
}

}  // namespace

// Google's Atom feed of incident updates (formats/google-cloud-status.md):
// one entry per published update, newest first, titled with its state. The
// entries are dated relative to the simulator's clock, so a feed reader
// sees the active incident as current.
HttpReply RenderGcpFeed(const RenderContext& ctx, Behaviour behaviour) {
  if (!IsContent(behaviour)) {
    return HtmlError(behaviour);
  }
  struct Update {
    std::string_view incident;
    std::string_view state;  // "UPDATE" or "RESOLVED"
    int64_t minutes_ago;
    std::string_view text;
  };
  std::vector<Update> updates;
  constexpr std::string_view kActive = "SimActiveGemini00001";
  constexpr std::string_view kResolved = "SimResolvedGemini001";
  switch (ctx.step.incident) {
    case FeedIncident::kNone:
      break;
    case FeedIncident::kUpdated:
      updates.push_back({kActive, "UPDATE", 5,
                         "Mitigation is in progress; error rates are decreasing."});
      [[fallthrough]];
    case FeedIncident::kActive:
      updates.push_back({kActive, "UPDATE", 20,
                         "We are investigating elevated error rates for image generation with "
                         "Gemini models on Vertex AI."});
      break;
    default:
      updates.push_back({kResolved, "RESOLVED", 30,
                         "The issue with Vertex Gemini API has been resolved for all affected "
                         "users."});
      updates.push_back({kResolved, "UPDATE", 120,
                         "We are investigating elevated error rates for image generation with "
                         "Gemini models on Vertex AI."});
      break;
  }
  std::string updated = Rfc3339(ctx.unix_seconds - (updates.empty() ? 0 : updates[0].minutes_ago * 60));
  std::string body = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "  <title>Google Cloud Service Health Updates</title><updated>{}</updated>\n"
      "  <link href=\"https://status.cloud.google.com/\" rel=\"alternate\" "
      "type=\"text/html\"></link>\n"
      "  <link href=\"https://status.cloud.google.com/en/feed.atom\" rel=\"self\"></link>\n"
      "  <author>\n    <name>Google Cloud</name>\n  </author>\n"
      "  <id>https://status.cloud.google.com/</id>\n",
      updated);
  int n = 0;
  for (const Update& u : updates) {
    std::string when = Rfc3339(ctx.unix_seconds - u.minutes_ago * 60);
    std::string summary = fmt::format(
        "<p> Incident began at <strong>2026-11-27 00:00</strong> <span>(all times are "
        "<strong>US/Pacific</strong>).</span></p><div><p>{}</p></div><hr><p>Affected products: "
        "Vertex Gemini API, Vertex AI Online Prediction</p><p>Affected locations: Global, Iowa "
        "(us-central1)</p>",
        XmlEscaped(u.text));
    body += fmt::format(
        "  <entry>\n"
        "    <title>{}: Global: Elevated error rates for image generation on Vertex Gemini "
        "API</title>\n"
        "    <link href=\"https://status.cloud.google.com/incidents/{}\" rel=\"alternate\" "
        "type=\"text/html\"></link>\n"
        "    <id>tag:status.cloud.google.com,2026:feed:{}.SimUpdate{:02d}</id>\n"
        "    <updated>{}</updated>\n"
        "    <summary type=\"html\">{}</summary>\n"
        "  </entry>\n",
        u.state, u.incident, u.incident, ++n, when, XmlEscaped(summary));
  }
  body += "</feed>\n";
  HttpReply r;
  r.headers = {{"Content-Type", "application/atom+xml; charset=utf-8"},
               {"Cache-Control", "max-age=60"}};
  r.body = std::move(body);
  return r;
}

Renderer RendererFor(RouteKind route) {
  switch (route) {
    case RouteKind::kOpenAiImages:
      return RenderOpenAiImages;
    case RouteKind::kGemini:
      return RenderGemini;
    case RouteKind::kOpenRouterChat:
      return RenderOpenRouterChat;
    case RouteKind::kOpenRouterModels:
      return RenderOpenRouterModels;
    case RouteKind::kOpenRouterEndpoints:
      return RenderOpenRouterEndpoints;
    case RouteKind::kGcpIncidents:
      return RenderGcpIncidents;
    case RouteKind::kStatuspageSummary:
      return RenderStatuspageSummary;
    case RouteKind::kGcpFeed:
      return RenderGcpFeed;
    case RouteKind::kOpenAiImageFiles:
    case RouteKind::kFluxDelivery:  // signed Blob Storage URLs too
      return RenderOpenAiImageFile;
    case RouteKind::kOpenAiModels:
      return RenderOpenAiModels;
    case RouteKind::kGeminiModels:
      return RenderGeminiModels;
    case RouteKind::kStability:
      return RenderStability;
    case RouteKind::kFluxSubmit:
      return RenderFluxSubmit;
    case RouteKind::kFluxResult:
      return RenderFluxResult;
    case RouteKind::kVertex:
      return RenderVertex;
    case RouteKind::kGoogleToken:
      return RenderGoogleToken;
    case RouteKind::kCredits:
      return RenderCredits;
  }
  return RenderOpenAiImages;
}

}  // namespace modelwatch::sim
