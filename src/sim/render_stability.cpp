// Stability AI POST /v2beta/stable-image/generate/{sd3|core|ultra}
// (formats/stability.md): image bytes for accept image/*, base64 JSON for
// application/json, errors {"id","name","errors":[...]} either way.
#include <fmt/format.h>

#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

using Json = nlohmann::ordered_json;

std::string RequestId(const RenderContext& ctx) { return fmt::format("{:032x}", ctx.sequence); }

HttpReply Error(const RenderContext& ctx, int status, std::string_view name,
                std::string_view message) {
  HttpReply r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}, {"x-request-id", RequestId(ctx)}};
  Json body = {{"errors", Json::array({message})}, {"id", RequestId(ctx)}, {"name", name}};
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpReply Image(const RenderContext& ctx, std::string_view finish, bool with_image) {
  const ImageSpec& img = ctx.step.image;
  const int64_t seed = 343940597 + static_cast<int64_t>(ctx.sequence);
  HttpReply r;
  r.status = 200;
  if (ctx.accept.starts_with("application/json")) {
    r.headers = {{"Content-Type", fmt::format("application/json; type={}", MimeType(img.format))},
                 {"x-request-id", RequestId(ctx)}};
    Json body = {{"finish_reason", finish}, {"seed", seed}};
    if (with_image) {
      body["image"] = ctx.images.Base64(img);
    }
    r.body = body.dump();
    return r;
  }
  r.headers = {{"Content-Type", std::string(MimeType(img.format))},
               {"finish-reason", std::string(finish)},
               {"seed", std::to_string(seed)},
               {"x-request-id", RequestId(ctx)}};
  if (with_image) {
    r.body = EncodeImage(img);
  }
  return r;
}

}  // namespace

HttpReply RenderStability(const RenderContext& ctx, Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::kNoImage:
      return Image(ctx, "SUCCESS", false);
    case Behaviour::kSafetyBlock:
      if (ctx.step.safety == SafetyKind::kPrompt) {
        return Error(ctx, 403, "content_moderation",
                     "Your request was flagged by our content moderation system, as a result your "
                     "request was denied and you were not charged.");
      }
      return Image(ctx, "CONTENT_FILTERED", true);  // a blurred, valid image
    case Behaviour::kRateLimit:
      return Error(ctx, 429, "rate_limit_exceeded",
                   "You have exceeded the rate limit of 150 requests within a 10 second period, "
                   "and have been timed out for 60 seconds.");
    case Behaviour::kQuota:
      return Error(ctx, 402, "payment_required",
                   "You lack sufficient credits to make this request. Please purchase more "
                   "credits at https://platform.stability.ai/account/credits and try again.");
    case Behaviour::kAuth:
      return Error(ctx, 401, "unauthorized", "authorization: invalid or missing header value");
    case Behaviour::kBadRequest:
      return Error(ctx, 400, "bad_request",
                   ctx.error_message.empty()
                       ? "aspect_ratio: invalid enum value. Expected '21:9' | '16:9' | '3:2' | "
                         "'5:4' | '1:1' | '4:5' | '2:3' | '9:16' | '9:21'"
                       : ctx.error_message);
    case Behaviour::kNotFound:
      return Error(ctx, 404, "not_found", "The requested resource was not found.");
    case Behaviour::kServerError:
      return Error(ctx, 500, "internal_error",
                   "An unexpected server error has occurred, please try again later.");
    case Behaviour::kUnavailable:
      return Error(ctx, 503, "service_unavailable", "The service is temporarily unavailable.");
    default:
      return Image(ctx, "SUCCESS", true);
  }
}

}  // namespace modelwatch::sim
