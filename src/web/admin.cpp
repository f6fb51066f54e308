// The admin API (silences, run now) and the push monitors' ingest.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/duration.h"
#include "web/api_json.h"
#include "web/guard.h"
#include "web/routes.h"

namespace modelwatch::web {

namespace {

using json = nlohmann::json;

constexpr size_t kMaxText = 1000;  // longest reason / error text kept

// Parses the body as a JSON object, or says why not.
std::optional<json> ParseObject(const std::string& body, std::string* error) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "the body must be a JSON object";
    return std::nullopt;
  }
  return j;
}

std::optional<std::string> StringField(const json& j, const char* key, std::string* error) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    *error = fmt::format("\"{}\" must be a string", key);
    return std::nullopt;
  }
  return it->get<std::string>().substr(0, kMaxText);
}

json SilenceJson(const store::Silence& s) {
  return {{"id", s.id},
          {"monitor", s.monitor},
          {"rule", s.rule},
          {"starts", FormatIso8601(s.starts)},
          {"ends", FormatIso8601(s.ends)},
          {"reason", s.reason},
          {"created_by", s.created_by},
          {"created", FormatIso8601(s.created)}};
}

}  // namespace

std::optional<Response> CheckAdmin(const Env& env, const Request& req) {
  if (!env.limiter.Allow("admin " + req.remote)) {
    return JsonError(429, "too many requests; slow down");
  }
  if (env.cfg.web.admin_token.empty()) {
    return JsonError(401, "the admin API is disabled: set web.admin_token in the config");
  }
  if (!ConstantTimeEquals(BearerToken(req.authorization), env.cfg.web.admin_token.reveal())) {
    return JsonError(401, "missing or wrong admin token (Authorization: Bearer <web.admin_token>)");
  }
  return std::nullopt;
}

Response ApiSilencesList(const Env& env, const Request& req) {
  if (auto denied = CheckAdmin(env, req)) {
    return *denied;
  }
  auto silences = env.store.Silences(env.clock.WallNow());
  if (!silences) {
    return JsonError(503, "store: " + silences.error().message());
  }
  json list = json::array();
  for (const store::Silence& s : *silences) {
    list.push_back(SilenceJson(s));
  }
  return JsonOk(
      json{{"silences", list}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ApiSilencesAdd(const Env& env, const Request& req) {
  if (auto denied = CheckAdmin(env, req)) {
    return *denied;
  }
  std::string error;
  auto body = ParseObject(req.body, &error);
  if (!body) {
    return JsonError(400, error);
  }
  for (const auto& [key, value] : body->items()) {
    if (key != "monitor" && key != "rule" && key != "duration" && key != "starts" &&
        key != "ends" && key != "reason") {
      return JsonError(400, fmt::format("unknown key \"{}\" (known: monitor, rule, duration, "
                                        "starts, ends, reason)",
                                        key.substr(0, 100)));
    }
  }
  store::Silence s;
  auto monitor = StringField(*body, "monitor", &error);
  auto rule = StringField(*body, "rule", &error);
  auto reason = StringField(*body, "reason", &error);
  auto duration = StringField(*body, "duration", &error);
  auto starts = StringField(*body, "starts", &error);
  auto ends = StringField(*body, "ends", &error);
  if (!error.empty()) {
    return JsonError(400, error);
  }
  WallTime now = env.clock.WallNow();
  if (!monitor->empty() && env.cache.Get()->Find(*monitor) == nullptr) {
    return JsonError(404, fmt::format("no monitor named \"{}\"", monitor->substr(0, 200)));
  }
  s.monitor = *monitor;
  s.rule = *rule;
  s.reason = *reason;
  s.created_by = "api";
  s.created = now;
  s.starts = now;
  if (!starts->empty()) {
    auto t = ParseSince(*starts, now);
    if (!t) {
      return JsonError(400, "starts must be ISO 8601 UTC or ms since the epoch");
    }
    s.starts = *t;
  }
  if (!ends->empty()) {
    auto t = ParseSince(*ends, now);
    if (!t) {
      return JsonError(400, "ends must be ISO 8601 UTC or ms since the epoch");
    }
    s.ends = *t;
  } else if (!duration->empty()) {
    auto d = ParseDuration(*duration);
    if (!d || d->count() <= 0) {
      return JsonError(400, "duration must be like 30m, 2h or 1d");
    }
    s.ends = s.starts + *d;
  } else {
    return JsonError(400, "give \"duration\" (e.g. \"2h\") or \"ends\"");
  }
  if (s.ends <= s.starts) {
    return JsonError(400, "the silence must end after it starts");
  }
  auto id = env.store.AddSilence(s);
  if (!id) {
    return JsonError(503, "store: " + id.error().message());
  }
  s.id = *id;
  return JsonOk(SilenceJson(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 201);
}

Response ApiSilencesRemove(const Env& env, const Request& req) {
  if (auto denied = CheckAdmin(env, req)) {
    return *denied;
  }
  const std::string& text = req.params.at(0);
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return JsonError(400, "a silence id is a whole number");
  }
  Status st = env.store.RemoveSilence(std::stoll(text));
  if (st.code() == Status::Code::kNotFound) {
    return JsonError(404, "no silence with id " + text);
  }
  if (!st.ok()) {
    return JsonError(503, "store: " + st.message());
  }
  return JsonOk(json{{"removed", std::stoll(text)}}.dump(-1, ' ', false,
                                                         nlohmann::json::error_handler_t::replace));
}

Response ApiRunNow(const Env& env, const Request& req) {
  if (auto denied = CheckAdmin(env, req)) {
    return *denied;
  }
  const std::string& name = req.params.at(0);
  const config::Monitor* m = FindMonitor(env.cfg, name);
  if (m == nullptr) {
    return JsonError(404, fmt::format("no configured monitor named \"{}\"", name.substr(0, 200)));
  }
  if (m->kind == "push") {
    return JsonError(400, "a push monitor has no probe to run");
  }
  if (env.actions == nullptr) {
    return JsonError(503,
                     "read-only dashboard (modelwatch serve): monitors run only under "
                     "modelwatch run");
  }
  Status st = env.actions->RunNow(name);
  if (!st.ok()) {
    return JsonError(st.code() == Status::Code::kNotFound ? 404 : 503, st.message());
  }
  return JsonOk(json{{"monitor", name}, {"queued", true}}.dump(
                    -1, ' ', false, nlohmann::json::error_handler_t::replace),
                202);
}

Response ApiPush(const Env& env, const Request& req) {
  if (!env.limiter.Allow("push " + req.remote)) {
    return JsonError(429, "too many requests; slow down");
  }
  const std::string& name = req.params.at(0);
  const config::Monitor* m = FindMonitor(env.cfg, name);
  if (m == nullptr || m->kind != "push") {
    return JsonError(404, fmt::format("no push monitor named \"{}\"", name.substr(0, 200)));
  }
  if (!ConstantTimeEquals(BearerToken(req.authorization), m->token.reveal())) {
    return JsonError(401, "missing or wrong token (Authorization: Bearer <the monitor's token>)");
  }
  if (env.actions == nullptr) {
    return JsonError(503,
                     "read-only dashboard (modelwatch serve): push reports go to "
                     "modelwatch run");
  }
  std::string error;
  auto body = ParseObject(req.body, &error);
  if (!body) {
    return JsonError(400, error);
  }
  CheckResult r;
  r.monitor = name;
  r.timestamp = env.clock.WallNow();
  auto status = StringField(*body, "status", &error);
  auto text = StringField(*body, "error", &error);
  if (!error.empty()) {
    return JsonError(400, error);
  }
  auto parsed = ParseCheckStatus(*status);
  if (!parsed) {
    return JsonError(400,
                     "\"status\" must be one of success, degraded, rate_limited, "
                     "quota_exhausted, auth_error, client_error, server_error, timeout, "
                     "network_error, invalid_response, model_not_found");
  }
  r.status = *parsed;
  r.error = *text;
  if (auto it = body->find("latency_ms"); it != body->end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 86'400'000) {
      return JsonError(400, "\"latency_ms\" must be a number of milliseconds from 0 to 86400000");
    }
    r.latency = std::chrono::milliseconds(static_cast<int64_t>(it->get<double>()));
  }
  if (auto it = body->find("http_status"); it != body->end()) {
    if (!it->is_number_integer() || it->get<int>() < 0 || it->get<int>() > 999) {
      return JsonError(400, "\"http_status\" must be a whole number from 0 to 999");
    }
    r.http_status = it->get<int>();
  }
  if (auto it = body->find("timestamp"); it != body->end()) {
    auto t = it->is_string() ? ParseSince(it->get<std::string>(), r.timestamp) : std::nullopt;
    if (!t || *t > r.timestamp + std::chrono::minutes(5) ||
        *t < r.timestamp - std::chrono::hours(24)) {
      return JsonError(400, "\"timestamp\" must be ISO 8601 UTC within the last 24 hours");
    }
    r.timestamp = *t;
  }
  r.phases.total = r.latency;
  Status st = env.actions->Push(std::move(r));
  if (!st.ok()) {
    return JsonError(503, st.message());
  }
  return JsonOk(json{{"monitor", name}, {"accepted", true}}.dump(
                    -1, ' ', false, nlohmann::json::error_handler_t::replace),
                202);
}

}  // namespace modelwatch::web
