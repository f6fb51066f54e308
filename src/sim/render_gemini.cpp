// Gemini POST /v1beta/models/{model}:generateContent (formats/gemini.md and
// samples/gemini-generatecontent-image-response-2025-11-09.json).
#include <fmt/format.h>

#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

using Json = nlohmann::ordered_json;

HttpReply Reply(const RenderContext& ctx, int status, const Json& body) {
  HttpReply r;
  r.status = status;
  r.headers = {
      {"Content-Type", "application/json; charset=UTF-8"},
      {"Vary", "Origin, X-Origin, Referer"},
      {"Server", "scaffolding on HTTPServer2"},
      {"Server-Timing", fmt::format("gfet4t7; dur={}", ctx.latency.count())},
  };
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

// google.rpc.Status as JSON.
HttpReply Error(const RenderContext& ctx, int code, std::string_view status,
                std::string_view message, Json details = nullptr) {
  Json err = {{"code", code}, {"message", message}, {"status", status}};
  if (!details.is_null()) {
    err["details"] = std::move(details);
  }
  return Reply(ctx, code, Json{{"error", std::move(err)}});
}

int PromptTokens(const nlohmann::json& request) {
  size_t chars = 0;
  if (request.is_object() && request.contains("contents") && request["contents"].is_array()) {
    for (const auto& c : request["contents"]) {
      if (c.is_object() && c.contains("parts") && c["parts"].is_array()) {
        for (const auto& p : c["parts"]) {
          if (p.is_object() && p.contains("text") && p["text"].is_string()) {
            chars += p["text"].get_ref<const std::string&>().size();
          }
        }
      }
    }
  }
  return static_cast<int>(chars / 4 + 1);
}

// Image output tokens as the real models bill them (formats/gemini.md,
// vertex-ai.md): 1290 for a 2.x 1024x1024 image; Gemini 3 about 1120 at
// 1K/2K and 2000 at 4K.
int ImageTokens(const RenderContext& ctx) {
  if (ctx.model.find("gemini-2") != std::string::npos) {
    return 1290;
  }
  const nlohmann::json& r = ctx.request;
  bool four_k = r.is_object() && r.contains("generationConfig") &&
                r["generationConfig"].is_object() &&
                r["generationConfig"].contains("imageConfig") &&
                r["generationConfig"]["imageConfig"].is_object() &&
                r["generationConfig"]["imageConfig"].value("imageSize", "") == "4K";
  return four_k ? 2000 : 1120;
}

Json Usage(int prompt, int image_tokens, int text_tokens) {
  Json u = {{"promptTokenCount", prompt},
            {"candidatesTokenCount", image_tokens + text_tokens},
            {"totalTokenCount", prompt + image_tokens + text_tokens},
            {"promptTokensDetails", Json::array({{{"modality", "TEXT"}, {"tokenCount", prompt}}})}};
  Json details = Json::array();
  if (image_tokens > 0) {
    details.push_back({{"modality", "IMAGE"}, {"tokenCount", image_tokens}});
  }
  if (text_tokens > 0) {
    details.push_back({{"modality", "TEXT"}, {"tokenCount", text_tokens}});
  }
  if (!details.empty()) {
    u["candidatesTokensDetails"] = std::move(details);
  }
  return u;
}

Json Response(const RenderContext& ctx, Json candidates, Json usage) {
  Json body = Json::object();
  if (!candidates.is_null()) {
    body["candidates"] = std::move(candidates);
  }
  body["modelVersion"] = ctx.model;
  body["responseId"] = fmt::format("SimResp{:013d}", ctx.sequence);
  body["usageMetadata"] = std::move(usage);
  return body;
}

Json Candidate(Json parts, std::string_view finish) {
  return Json::array({{{"content", {{"parts", std::move(parts)}, {"role", "model"}}},
                       {"finishReason", finish},
                       {"index", 0}}});
}

Json QuotaDetails(const RenderContext& ctx, bool per_day) {
  Json violation = {
      {"quotaMetric", per_day
                          ? "generativelanguage.googleapis.com/generate_requests_per_model_per_day"
                          : "generativelanguage.googleapis.com/generate_requests_per_model"},
      {"quotaId", per_day ? "GenerateRequestsPerDayPerProjectPerModel"
                          : "GenerateRequestsPerMinutePerProjectPerModel"},
      {"quotaDimensions", {{"location", "global"}, {"model", ctx.model}}},
      {"quotaValue", per_day ? "250" : "10"}};
  Json details = Json::array(
      {{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
        {"violations", Json::array({violation})}},
       {{"@type", "type.googleapis.com/google.rpc.Help"},
        {"links", Json::array({{{"description", "Learn more about Gemini API quotas"},
                                {"url", "https://ai.google.dev/gemini-api/docs/rate-limits"}}})}}});
  if (!per_day) {
    details.push_back(
        {{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
         {"retryDelay", fmt::format("{}s", RetryAfterSeconds(ctx.step.retry_after))}});
  }
  return details;
}

}  // namespace

HttpReply RenderGemini(const RenderContext& ctx, Behaviour behaviour) {
  const int prompt = PromptTokens(ctx.request);
  switch (behaviour) {
    case Behaviour::kNoImage:
      return Reply(ctx, 200,
                   Response(ctx,
                            Candidate(Json::array({{{"text",
                                                     "I can't draw that right now, but here is a "
                                                     "description of the scene instead."}}}),
                                      "STOP"),
                            Usage(prompt, 0, 18)));
    case Behaviour::kSafetyBlock:
      if (ctx.step.safety == SafetyKind::kPrompt) {
        Json body = {{"promptFeedback", {{"blockReason", "PROHIBITED_CONTENT"}}},
                     {"modelVersion", ctx.model},
                     {"responseId", fmt::format("SimResp{:013d}", ctx.sequence)},
                     {"usageMetadata", Usage(prompt, 0, 0)}};
        return Reply(ctx, 200, body);
      }
      return Reply(ctx, 200,
                   Response(ctx, Json::array({{{"finishReason", "IMAGE_SAFETY"}, {"index", 0}}}),
                            Usage(prompt, 0, 0)));
    case Behaviour::kRateLimit:
      return Error(ctx, 429, "RESOURCE_EXHAUSTED",
                   fmt::format("You exceeded your current quota, please check your plan and "
                               "billing details. For more information on this error, head to: "
                               "https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota "
                               "exceeded for metric: generativelanguage.googleapis.com/"
                               "generate_requests_per_model, limit: 10, model: {}\nPlease retry "
                               "in {}s.",
                               ctx.model, RetryAfterSeconds(ctx.step.retry_after)),
                   QuotaDetails(ctx, false));
    case Behaviour::kQuota:
      return Error(ctx, 429, "RESOURCE_EXHAUSTED",
                   fmt::format("You exceeded your current quota, please check your plan and "
                               "billing details. For more information on this error, head to: "
                               "https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota "
                               "exceeded for metric: generativelanguage.googleapis.com/"
                               "generate_requests_per_model_per_day, limit: 250, model: {}",
                               ctx.model),
                   QuotaDetails(ctx, true));
    case Behaviour::kAuth:
      // What Google really sends for a bad key: 400, not 401 (samples/gemini-error-400-...).
      return Error(ctx, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                   Json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                 {"reason", "API_KEY_INVALID"},
                                 {"domain", "googleapis.com"},
                                 {"metadata", {{"service", "generativelanguage.googleapis.com"}}}},
                                {{"@type", "type.googleapis.com/google.rpc.LocalizedMessage"},
                                 {"locale", "en-US"},
                                 {"message", "API key not valid. Please pass a valid API key."}}}));
    case Behaviour::kBadRequest:
      return Error(ctx, 400, "INVALID_ARGUMENT",
                   ctx.error_message.empty()
                       ? "Invalid JSON payload received. Unknown name \"imageSizes\" at "
                         "'generation_config.image_config': Cannot find field."
                       : ctx.error_message);
    case Behaviour::kNotFound:
      return Error(ctx, 404, "NOT_FOUND",
                   fmt::format("models/{} is not found for API version v1beta, or is not "
                               "supported for generateContent. Call ListModels to see the list "
                               "of available models and their supported methods.",
                               ctx.model));
    case Behaviour::kServerError:
      return Error(ctx, 500, "INTERNAL",
                   "An internal error has occurred. Please retry or report in "
                   "https://developers.generativeai.google/guide/troubleshooting");
    case Behaviour::kUnavailable:
      return Error(ctx, 503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
    default: {
      const ImageSpec& img = ctx.step.image;
      Json parts =
          Json::array({{{"text", "Here is the image you asked for.\n\n"}},
                       {{"inlineData",
                         {{"mimeType", MimeType(img.format)}, {"data", ctx.images.Base64(img)}}}}});
      return Reply(ctx, 200,
                   Response(ctx, Candidate(std::move(parts), "STOP"), Usage(prompt, ImageTokens(ctx), 9)));
    }
  }
}

}  // namespace modelwatch::sim
