// Black Forest Labs (formats/bfl-flux.md): POST /v1/{model} answers a task id
// and polling_url; GET /v1/get_result?id= the task's status; the Ready
// result's sample is a signed URL on the delivery route (Blob Storage, like
// dall-e's links). FastAPI error bodies {"detail": ...}.
#include <fmt/format.h>

#include "sim/image_link.h"
#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

using Json = nlohmann::ordered_json;

HttpReply Reply(int status, const Json& body) {
  HttpReply r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpReply Detail(int status, std::string_view detail) {
  return Reply(status, Json{{"detail", detail}});
}

// The HTTP errors submit and poll share; nullopt for the content behaviours.
std::optional<HttpReply> CommonError(Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::kRateLimit:
      return Detail(429,
                    "You have exceeded the number of active tasks (24). Wait for a task to "
                    "finish before submitting another.");
    case Behaviour::kQuota:
      return Detail(402, "Insufficient credits or your payment method needs to be updated.");
    case Behaviour::kAuth:
      return Detail(403, "Not authenticated - Invalid Authentication");
    case Behaviour::kBadRequest:
      return Reply(422, Json{{"detail", Json::array({{{"loc", Json::array({"body", "width"})},
                                                      {"msg", "Input should be a multiple of 16"},
                                                      {"type", "multiple_of"}}})}});
    case Behaviour::kUnavailable:
      return Detail(503, "Service temporarily unavailable due to maintenance or high load.");
    default:
      return std::nullopt;
  }
}

// The id from "id=...&..." (the simulator keeps no task table: any id is known).
std::string TaskId(std::string_view query) {
  size_t at = query.find("id=");
  if (at == std::string_view::npos) {
    return "";
  }
  std::string_view id = query.substr(at + 3);
  return std::string(id.substr(0, id.find('&')));
}

}  // namespace

HttpReply RenderFluxSubmit(const RenderContext& ctx, Behaviour behaviour) {
  if (auto e = CommonError(behaviour)) {
    return *e;
  }
  switch (behaviour) {
    case Behaviour::kNotFound:
      return Detail(404, "Not Found");
    case Behaviour::kServerError:
      return Detail(500, "Internal Server Error");
    case Behaviour::kNoImage:
      return Reply(200, Json{{"id", fmt::format("sim-{:08x}", ctx.sequence)}});  // no polling_url
    default:
      break;
  }
  std::string id = fmt::format("2fa25140-0000-4000-8000-{:012x}", ctx.sequence);
  return Reply(200, Json{{"id", id},
                         {"polling_url", fmt::format("{}/v1/get_result?id={}", ctx.link_base, id)},
                         {"cost", 1.4},
                         {"input_mp", 0},
                         {"output_mp", 0.26}});
}

HttpReply RenderFluxResult(const RenderContext& ctx, Behaviour behaviour) {
  if (auto e = CommonError(behaviour)) {
    return *e;
  }
  std::string id = TaskId(ctx.query);
  auto status = [&](std::string_view s, Json extra = Json::object()) {
    Json body = {{"id", id}, {"status", s}, {"result", nullptr}, {"progress", nullptr}};
    for (auto& [k, v] : extra.items()) {
      body[k] = v;
    }
    return Reply(200, body);
  };
  switch (behaviour) {
    case Behaviour::kPending:
      return status("Pending", {{"progress", 0.4}});
    case Behaviour::kSafetyBlock:
      return status(
          ctx.step.safety == SafetyKind::kPrompt ? "Request Moderated" : "Content Moderated",
          {{"details", {{"Moderation Reasons", Json::array({"Derivative Works Filter"})}}}});
    case Behaviour::kServerError:
      return status("Error", {{"details", {{"error", "Generation failed: worker exited"}}}});
    case Behaviour::kNotFound:
      return status("Task not found");
    case Behaviour::kNoImage:
      return status("Ready", {{"result", {{"prompt", "x"}, {"seed", 42}}}});
    default:
      break;
  }
  std::string sample = fmt::format(
      "{}/sim-delivery/{}?se=2026-12-01T15%3A00%3A00Z&sp=r&sv=2024-11-04"
      "&sr=b&sig=c2ltdWxhdGVk",
      ctx.link_base, ImageFileName(ctx.step.image, ctx.sequence));
  return status("Ready", {{"result",
                           {{"sample", sample},
                            {"prompt", "a red apple"},
                            {"seed", 42},
                            {"start_time", 1},
                            {"end_time", 3},
                            {"duration", 2}}},
                          {"cost", 1.4}});
}

}  // namespace modelwatch::sim
