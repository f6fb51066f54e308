#include "sim/responder.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sim/image_link.h"
#include "sim/jwt_verify.h"
#include "sim/renderers.h"
#include "sim/router.h"

namespace modelwatch::sim {
namespace {

// Answers requests that no timeline matches: ok, at once.
const Step& DefaultStep() {
  static const Step kStep;
  return kStep;
}

// Image models OpenRouter lists even when the scenario names none.
constexpr std::string_view kDefaultOpenRouterModels[] = {
    "google/gemini-3-pro-image",
    "google/gemini-2.5-flash-image",
    "openai/gpt-5-image",
};
constexpr std::string_view kDefaultOpenAiModels[] = {"gpt-image-2", "gpt-image-1.5",
                                                     "gpt-image-1-mini"};
constexpr std::string_view kDefaultGeminiModels[] = {
    "gemini-3-pro-image", "gemini-2.5-flash-image", "gemini-3.1-flash-lite-image"};

void AddUnique(std::vector<std::string>& list, std::string_view id) {
  if (!id.empty() && std::find(list.begin(), list.end(), id) == list.end()) {
    list.emplace_back(id);
  }
}

bool IsGeneration(RouteKind r) {
  return r == RouteKind::kOpenAiImages || r == RouteKind::kGemini ||
         r == RouteKind::kOpenRouterChat || r == RouteKind::kStability ||
         r == RouteKind::kFluxSubmit || r == RouteKind::kVertex;
}

// The value of the multipart/form-data field `name`, or nullopt.
std::optional<std::string> FormField(std::string_view body, std::string_view name) {
  std::string marker = "name=\"" + std::string(name) + "\"";
  size_t at = body.find(marker);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  size_t start = body.find("\r\n\r\n", at);
  if (start == std::string_view::npos) {
    return std::nullopt;
  }
  start += 4;
  size_t end = body.find("\r\n--", start);
  return std::string(body.substr(start, end == std::string_view::npos ? end : end - start));
}

// The value of `name` in an application/x-www-form-urlencoded body.
std::string UrlFormField(std::string_view body, std::string_view name) {
  std::string key = std::string(name) + "=";
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find('&', at);
    std::string_view pair = body.substr(at, end == std::string_view::npos ? end : end - at);
    if (pair.starts_with(key)) {
      return PercentDecode(pair.substr(key.size()));
    }
    if (end == std::string_view::npos) {
      break;
    }
    at = end + 1;
  }
  return "";
}

// Stability takes only multipart/form-data (formats/stability.md).
std::string StabilityProblem(const HttpRequest& req) {
  std::string_view type = req.Header("content-type");
  if (type.empty()) {
    return "content-type: required";
  }
  if (!type.starts_with("multipart/form-data")) {
    return "content-type: must be multipart/form-data";
  }
  if (!FormField(req.body, "prompt")) {
    return "prompt: is required";
  }
  return "";
}

// What the real service says about a request it cannot take, whatever the
// timeline: this catches probes that build their requests wrong.
struct RequestProblem {
  std::string message;  // empty: no problem
  std::string param;    // OpenAI `param`, if any
  std::string code;     // OpenAI `code`, if any
};

RequestProblem Refuse(std::string message, std::string param = {}, std::string code = {}) {
  return RequestProblem{std::move(message), std::move(param), std::move(code)};
}

RequestProblem FindRequestProblem(RouteKind route, const nlohmann::json& body,
                                  std::string_view model) {
  if (body.is_discarded() || !body.is_object()) {
    switch (route) {
      case RouteKind::kOpenAiImages:
        return Refuse(
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
            "but what was sent was not valid JSON.)");
      case RouteKind::kGemini:
      case RouteKind::kVertex:
        return Refuse("Invalid JSON payload received. Unexpected token.");
      default:
        return Refuse("Invalid JSON in request body");
    }
  }
  auto has = [&](const char* key, bool array) {
    return body.contains(key) && (array ? body[key].is_array() : body[key].is_string());
  };
  if (route == RouteKind::kOpenAiImages && !has("prompt", false)) {
    return Refuse("Missing required parameter: 'prompt'.");
  }
  if (route == RouteKind::kOpenAiImages && body.contains("response_format") &&
      !body["response_format"].is_null()) {
    const nlohmann::json& format = body["response_format"];
    if (!IsDallEModel(model)) {
      // GPT image models always answer in base64 and refuse the parameter.
      return Refuse("Unknown parameter: 'response_format'.", "response_format",
                    "unknown_parameter");
    }
    if (format != "url" && format != "b64_json") {
      return Refuse(fmt::format("Invalid value: '{}'. Supported values are: 'url' and 'b64_json'.",
                                format.is_string() ? format.get<std::string>() : format.dump()),
                    "response_format", "invalid_value");
    }
  }
  if (route == RouteKind::kFluxSubmit && !has("prompt", false)) {
    return Refuse("body.prompt: Field required");
  }
  if ((route == RouteKind::kGemini || route == RouteKind::kVertex) && !has("contents", true)) {
    return Refuse("* GenerateContentRequest.contents: contents is not specified\n");
  }
  if (route == RouteKind::kOpenRouterChat && !has("messages", true) && !has("prompt", false)) {
    return Refuse("Input required: specify \"prompt\" or \"messages\"");
  }
  return {};
}

bool HasKey(RouteKind route, const HttpRequest& req) {
  if (route == RouteKind::kFluxSubmit || route == RouteKind::kFluxResult) {
    return !req.Header("x-key").empty();
  }
  if (route == RouteKind::kGemini) {
    return !req.Header("x-goog-api-key").empty() || req.query.find("key=") != std::string::npos;
  }
  std::string_view auth = req.Header("authorization");
  return auth.starts_with("Bearer ") && auth.size() > 7;
}

void SetHeader(HttpReply& reply, std::string_view name, std::string value) {
  for (auto& [k, v] : reply.headers) {
    if (std::equal(k.begin(), k.end(), name.begin(), name.end(),
                   [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      v = std::move(value);
      return;
    }
  }
  reply.headers.emplace_back(std::string(name), std::move(value));
}

SimResponse NotRouted(const HttpRequest& req, int status) {
  // An OpenAI-style path that is not served (a base URL without /v1):
  // api.openai.com's own answer.
  std::string_view path = req.path;
  if (status == 404 && (path.ends_with("/images/generations") || path.ends_with("/models") ||
                        path.ends_with("/chat/completions"))) {
    nlohmann::ordered_json openai = {
        {"error",
         {{"message", "Invalid URL (" + req.method + " " + req.path + ")"},
          {"type", "invalid_request_error"},
          {"param", nullptr},
          {"code", nullptr}}}};
    SimResponse out;
    out.reply.status = 404;
    out.reply.headers = {{"Content-Type", "application/json"}};
    out.reply.body = openai.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out;
  }
  nlohmann::ordered_json body = {
      {"error",
       {{"code", status},
        {"message", "simulator: no " + std::string(status == 405 ? "such method for " : "route ") +
                        req.method + " " + req.path}}}};
  SimResponse out;
  out.reply.status = status;
  out.reply.headers = {{"Content-Type", "application/json"}};
  out.reply.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out;
}

}  // namespace

Responder::Responder(const Scenario& scenario, const Clock& clock, std::string own_host,
                     int own_port)
    : scenario_(scenario),
      clock_(clock),
      own_host_(std::move(own_host)),
      own_port_(own_port),
      rng_(scenario.seed) {
  MonoTime start = clock_.Now();
  cursors_.reserve(scenario_.routes.size());
  for (const auto& rt : scenario_.routes) {
    cursors_.emplace_back(rt, scenario_.time_scale, start);
  }
  if (!scenario_.models.empty()) {
    // OpenRouter's IDs carry their author ("google/..."); the others do not.
    for (const std::string& id : scenario_.models) {
      bool routed = id.find('/') != std::string::npos;
      AddUnique(routed ? openrouter_models_ : openai_models_, id);
      if (!routed) {
        AddUnique(gemini_models_, id);
      }
    }
    return;
  }
  for (auto id : kDefaultOpenRouterModels) {
    AddUnique(openrouter_models_, id);
  }
  for (auto id : kDefaultOpenAiModels) {
    AddUnique(openai_models_, id);
  }
  for (auto id : kDefaultGeminiModels) {
    AddUnique(gemini_models_, id);
  }
  for (const auto& rt : scenario_.routes) {
    if (rt.route == RouteKind::kOpenRouterChat || rt.route == RouteKind::kOpenRouterEndpoints) {
      AddUnique(openrouter_models_, rt.model);
    } else if (rt.route == RouteKind::kOpenAiImages) {
      AddUnique(openai_models_, rt.model);
    } else if (rt.route == RouteKind::kGemini) {
      AddUnique(gemini_models_, rt.model);
    }
  }
}

const std::vector<std::string>& Responder::Listed(RouteKind route, const Step& step) const {
  if (step.models) {
    return *step.models;
  }
  switch (route) {
    case RouteKind::kOpenAiModels:
      return openai_models_;
    case RouteKind::kGeminiModels:
      return gemini_models_;
    default:
      return openrouter_models_;
  }
}

bool Responder::Knows(std::string_view model) const {
  const auto& all = scenario_.models;
  return all.empty() || std::find(all.begin(), all.end(), model) != all.end();
}

uint64_t Responder::requests(RouteKind route) const {
  return counts_[static_cast<size_t>(route)].load(std::memory_order_relaxed);
}

uint64_t Responder::total_requests() const { return total_.load(std::memory_order_relaxed); }

TimelineCursor* Responder::CursorFor(RouteKind route, std::string_view model) {
  for (size_t i = 0; i < scenario_.routes.size(); ++i) {
    const RouteTimeline& rt = scenario_.routes[i];
    if (rt.route == route && (rt.model.empty() || rt.model == model)) {
      return &cursors_[i];
    }
  }
  return nullptr;
}

std::chrono::milliseconds Responder::DrawLatency(const Step& step) {
  if (step.latency_max <= step.latency_min) {
    return step.latency_min;
  }
  std::uniform_int_distribution<int64_t> dist(step.latency_min.count(), step.latency_max.count());
  return std::chrono::milliseconds(dist(rng_));
}

std::chrono::microseconds Responder::Scale(std::chrono::milliseconds d) const {
  return std::chrono::microseconds(
      static_cast<int64_t>(static_cast<double>(d.count()) * 1000.0 * scenario_.time_scale));
}

SimResponse Responder::Handle(const HttpRequest& req) {
  RouteMatch match = MatchRoute(req.method, req.path);
  if (match.outcome == RouteMatch::Outcome::kNotFound) {
    return NotRouted(req, 404);
  }
  if (match.outcome == RouteMatch::Outcome::kWrongMethod) {
    return NotRouted(req, 405);
  }
  const RouteKind route = match.route;
  counts_[static_cast<size_t>(route)].fetch_add(1, std::memory_order_relaxed);
  total_.fetch_add(1, std::memory_order_relaxed);
  ++sequence_;

  nlohmann::json body;
  std::string model = match.model;
  RequestProblem problem;
  if (route == RouteKind::kStability) {
    problem.message = StabilityProblem(req);
    model = FormField(req.body, "model").value_or(match.file);
  } else if (IsGeneration(route)) {
    body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (model.empty() && body.is_object() && body.contains("model") && body["model"].is_string()) {
      model = body["model"].get<std::string>();
    }
    problem = FindRequestProblem(route, body, model);
  }
  int64_t unix_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.WallNow().time_since_epoch()).count();
  std::string issued_token;
  const std::string link_base = "http://" + LinkAuthority(req.Header("host"), own_host_, own_port_);
  auto render = [&](const Step& step, Behaviour behaviour, std::chrono::milliseconds latency) {
    RenderContext ctx{step,
                      model,
                      body,
                      sequence_,
                      unix_seconds,
                      latency,
                      images_,
                      Listed(route, step),
                      problem.message,
                      problem.param,
                      problem.code,
                      link_base,
                      match.file,
                      req.Header("accept"),
                      req.query,
                      issued_token,
                      std::chrono::duration_cast<std::chrono::seconds>(scenario_.token_lifetime)
                          .count()};
    return RendererFor(route)(ctx, behaviour);
  };

  SimResponse out;
  if (!problem.message.empty()) {
    out.reply = render(DefaultStep(), Behaviour::kBadRequest, std::chrono::milliseconds(0));
    return out;
  }
  if (route == RouteKind::kOpenAiImageFiles && !ParseImageFileName(match.file)) {
    // No link names this file, so no timeline can serve it.
    out.reply = render(DefaultStep(), Behaviour::kNotFound, std::chrono::milliseconds(0));
    return out;
  }
  if (route == RouteKind::kFluxDelivery &&
      (!ParseImageFileName(match.file) || !req.Header("x-key").empty())) {
    // A signed URL needs no key: one that arrives with x-key is refused, so a
    // probe that leaks its key to the image host fails its check.
    out.reply = render(DefaultStep(), ParseImageFileName(match.file) ? Behaviour::kAuth
                                                                     : Behaviour::kNotFound,
                       std::chrono::milliseconds(0));
    return out;
  }
  const bool verify_tokens = !scenario_.service_account_public_key.empty();
  if (route == RouteKind::kGoogleToken && verify_tokens) {
    Status s = VerifyServiceAccountJwt(UrlFormField(req.body, "assertion"),
                                       scenario_.service_account_public_key);
    if (!s.ok()) {
      problem.message = s.message();
      out.reply = render(DefaultStep(), Behaviour::kAuth, std::chrono::milliseconds(0));
      return out;
    }
  }
  if (route == RouteKind::kVertex && match.file == "express" &&
      req.query.find("key=") == std::string::npos) {
    out.reply = render(DefaultStep(), Behaviour::kAuth, std::chrono::milliseconds(0));
    return out;
  }
  if (route == RouteKind::kVertex && verify_tokens && match.file != "express") {
    std::string_view auth = req.Header("authorization");
    auto it = auth.starts_with("Bearer ") ? tokens_.find(std::string(auth.substr(7)))
                                          : tokens_.end();
    if (it == tokens_.end() || clock_.Now() >= it->second) {
      out.reply = render(DefaultStep(), Behaviour::kAuth, std::chrono::milliseconds(0));
      return out;
    }
  }
  if (route == RouteKind::kGoogleToken) {
    issued_token = fmt::format("ya29.sim-{:08x}", sequence_);
  }
  if (scenario_.require_auth && IsGeneration(route) && !HasKey(route, req)) {
    out.reply = render(DefaultStep(), Behaviour::kAuth, std::chrono::milliseconds(0));
    return out;
  }
  if (IsGeneration(route) && !Knows(model)) {
    // What the real API answers for a retired or misspelt model ID.
    out.reply = render(DefaultStep(), Behaviour::kNotFound, std::chrono::milliseconds(0));
    return out;
  }

  TimelineCursor* cursor = CursorFor(route, model);
  const Step& step = cursor != nullptr ? cursor->Next(clock_.Now()) : DefaultStep();
  const std::chrono::milliseconds latency = DrawLatency(step);
  out.delay = Scale(latency);
  switch (step.behaviour) {
    case Behaviour::kHang:
      out.action = Action::kHang;
      return out;
    case Behaviour::kReset:
      out.action = Action::kReset;
      return out;
    default:
      break;
  }
  if (route == RouteKind::kGoogleToken && step.behaviour == Behaviour::kOk) {
    // Accepted for the scaled lifetime; expires_in states it unscaled.
    tokens_[issued_token] = clock_.Now() + Scale(scenario_.token_lifetime);
  }
  const bool delivery_only =
      step.behaviour == Behaviour::kSlowDrip || step.behaviour == Behaviour::kMalformedJson;
  out.reply = render(step, delivery_only ? Behaviour::kOk : step.behaviour, latency);
  if (step.body) {
    out.reply.body = *step.body;
    SetHeader(out.reply, "Content-Type", step.body_content_type);
  }
  if (step.http_status) {
    out.reply.status = *step.http_status;
  }
  if (step.behaviour == Behaviour::kRateLimit) {
    // The header carries provider seconds; only our own waits are scaled.
    SetHeader(out.reply, "Retry-After", std::to_string(RetryAfterSeconds(step.retry_after)));
  }
  if (step.behaviour == Behaviour::kMalformedJson) {
    out.reply.body.resize(std::max<size_t>(1, out.reply.body.size() / 2));
  }
  if (step.behaviour == Behaviour::kSlowDrip) {
    out.action = Action::kDrip;
    out.drip = Scale(step.drip);
  }
  return out;
}

}  // namespace modelwatch::sim
