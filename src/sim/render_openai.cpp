// OpenAI POST /v1/images/generations (formats/openai-images.md).
#include <fmt/format.h>

#include "sim/image_link.h"
#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

using Json = nlohmann::ordered_json;

HttpReply Reply(const RenderContext& ctx, int status, const Json& body) {
  HttpReply r;
  r.status = status;
  r.headers = {
      {"Content-Type", "application/json"},
      {"x-request-id", fmt::format("req_sim{:016x}", ctx.sequence)},
      {"openai-processing-ms", std::to_string(ctx.latency.count())},
      {"x-ratelimit-limit-requests", "50"},
      {"x-ratelimit-remaining-requests", status == 429 ? "0" : "49"},
      {"x-ratelimit-reset-requests", "1.2s"},
  };
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpReply Error(const RenderContext& ctx, int status, std::string_view message,
                std::string_view type, const Json& param, const Json& code) {
  Json body = {{"error", {{"message", message}, {"type", type}, {"param", param}, {"code", code}}}};
  return Reply(ctx, status, body);
}

// dall-e answers with a link unless asked for base64; GPT image models
// always answer in base64 (the responder has already refused their
// response_format).
bool AnswersWithUrl(const RenderContext& ctx) {
  if (!IsDallEModel(ctx.model)) {
    return false;
  }
  const nlohmann::json& r = ctx.request;
  return !(r.is_object() && r.contains("response_format") && r["response_format"] == "b64_json");
}

Json OkBody(const RenderContext& ctx, bool with_image) {
  const ImageSpec& img = ctx.step.image;
  Json data = Json::array();
  if (with_image) {
    Json item = Json::object();
    if (AnswersWithUrl(ctx)) {
      item["url"] =
          fmt::format("{}{}{}", ctx.link_base, kImageLinkPath, ImageFileName(img, ctx.sequence));
    } else {
      item["b64_json"] = ctx.images.Base64(img);
    }
    if (ctx.model == "dall-e-3") {
      item["revised_prompt"] = ctx.request.is_object() && ctx.request.contains("prompt") &&
                                       ctx.request["prompt"].is_string()
                                   ? ctx.request["prompt"].get<std::string>()
                                   : std::string("A simulated image.");
    }
    data.push_back(std::move(item));
  }
  Json body = {{"created", ctx.unix_seconds}, {"data", std::move(data)}};
  if (!IsDallEModel(ctx.model)) {
    // GPT image models echo their settings and report token usage.
    std::string_view fmt_name = img.format == ImageFormat::kJpeg   ? "jpeg"
                                : img.format == ImageFormat::kWebp ? "webp"
                                                                   : "png";
    body["background"] = "opaque";
    body["output_format"] = fmt_name;
    body["size"] = fmt::format("{}x{}", img.width, img.height);
    // Output tokens of a 1024x1024 image by quality, as gpt-image-1 bills them.
    const nlohmann::json& req = ctx.request;
    std::string quality = req.is_object() && req.contains("quality") && req["quality"].is_string()
                              ? req["quality"].get<std::string>()
                              : "high";
    int tokens = quality == "low" ? 272 : quality == "medium" ? 1056 : 4160;
    body["quality"] = quality;
    int out_tokens = with_image ? tokens : 0;
    body["usage"] = {{"total_tokens", 20 + out_tokens},
                     {"input_tokens", 20},
                     {"output_tokens", out_tokens},
                     {"input_tokens_details", {{"text_tokens", 20}, {"image_tokens", 0}}}};
  }
  return body;
}

}  // namespace

bool IsDallEModel(std::string_view model) { return model.empty() || model.starts_with("dall-e"); }

HttpReply RenderOpenAiImages(const RenderContext& ctx, Behaviour behaviour) {
  std::string model(ctx.model.empty() ? "dall-e-2" : ctx.model);
  switch (behaviour) {
    case Behaviour::kOk:
      return Reply(ctx, 200, OkBody(ctx, true));
    case Behaviour::kNoImage:
      return Reply(ctx, 200, OkBody(ctx, false));
    case Behaviour::kRateLimit:
      return Error(ctx, 429,
                   fmt::format("Rate limit reached for {} in organization org-simulated on images "
                               "per min (IPM): Limit 5, Used 5, Requested 1. Please try again in "
                               "{}s. Visit https://platform.openai.com/account/rate-limits to "
                               "learn more.",
                               model, RetryAfterSeconds(ctx.step.retry_after)),
                   "requests", nullptr, "rate_limit_exceeded");
    case Behaviour::kQuota:
      return Error(ctx, 429,
                   "You exceeded your current quota, please check your plan and billing "
                   "details. For more information on this error, read the docs: "
                   "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                   "insufficient_quota", nullptr, "insufficient_quota");
    case Behaviour::kAuth:
      return Error(ctx, 401,
                   "Incorrect API key provided: sk-sim****************. You can find your API "
                   "key at https://platform.openai.com/account/api-keys.",
                   "invalid_request_error", nullptr, "invalid_api_key");
    case Behaviour::kBadRequest:
      if (!ctx.error_message.empty()) {
        auto or_null = [](std::string_view v) { return v.empty() ? Json(nullptr) : Json(v); };
        return Error(ctx, 400, ctx.error_message, "invalid_request_error", or_null(ctx.error_param),
                     or_null(ctx.error_code));
      }
      return Error(ctx, 400,
                   "Invalid value: '999x999'. Supported values are: '1024x1024', '1024x1536', "
                   "'1536x1024', and 'auto'.",
                   "invalid_request_error", "size", "invalid_value");
    case Behaviour::kNotFound:
      return Error(
          ctx, 404,
          fmt::format("The model `{}` does not exist or you do not have access to it.", model),
          "invalid_request_error", nullptr, "model_not_found");
    case Behaviour::kServerError:
      return Error(ctx, 500,
                   "The server had an error while processing your request. Sorry about that!",
                   "server_error", nullptr, nullptr);
    case Behaviour::kUnavailable:
      return Error(ctx, 503, "The engine is currently overloaded, please try again later.",
                   "service_unavailable_error", nullptr, "server_is_overloaded");
    case Behaviour::kSafetyBlock:
      return Error(ctx, 400,
                   "Your request was rejected by the safety system. If you believe this is an "
                   "error, contact us at help.openai.com and include the request ID.",
                   "image_generation_user_error", nullptr, "moderation_blocked");
    default:
      return Reply(ctx, 200, OkBody(ctx, true));
  }
}

int64_t RetryAfterSeconds(std::chrono::milliseconds d) {
  int64_t s = (d.count() + 999) / 1000;
  return s < 1 ? 1 : s;
}

}  // namespace modelwatch::sim
