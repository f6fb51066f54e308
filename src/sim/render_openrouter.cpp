// OpenRouter chat completions with image output, /models and
// /models/{author}/{slug}/endpoints (formats/openrouter.md).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

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

std::string_view Author(std::string_view id) { return id.substr(0, id.find('/')); }

// "google/gemini-3-pro-image" -> "Google: Gemini 3 Pro Image".
std::string DisplayName(std::string_view id) {
  std::string out;
  bool up = true;
  for (char c : id) {
    if (c == '/') {
      out += ": ";
      up = true;
    } else if (c == '-' || c == '_') {
      out += ' ';
      up = true;
    } else {
      out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    }
  }
  return out;
}

std::vector<std::string> ProviderNames(std::string_view id) {
  std::string_view author = Author(id);
  std::vector<std::string> names;
  if (author == "google") {
    names = {"Google Vertex", "Google AI Studio"};
  } else if (author == "openai") {
    names = {"OpenAI", "Azure"};
  } else {
    names = {"Fireworks", "Together"};
  }
  for (int i = 3; i <= 8; ++i) {
    names.push_back(fmt::format("Simulated {}", i));
  }
  return names;
}

Json Pricing() {
  return {{"prompt", "0.000002"}, {"completion", "0.000012"}, {"request", "0"},
          {"image", "0.000002"},  {"web_search", "0"},        {"internal_reasoning", "0"}};
}

Json Architecture() {
  return {{"modality", "text+image->text+image"},
          {"input_modalities", {"image", "text"}},
          {"output_modalities", {"image", "text"}},
          {"tokenizer", "Gemini"},
          {"instruct_type", nullptr}};
}

Json SupportedParameters() {
  return {"max_tokens", "temperature", "top_p", "seed", "stop", "response_format"};
}

Json Model(std::string_view id) {
  return {{"id", id},
          {"canonical_slug", id},
          {"hugging_face_id", ""},
          {"name", DisplayName(id)},
          {"created", 1763000000},
          {"description", "Simulated image generation model."},
          {"context_length", 65536},
          {"architecture", Architecture()},
          {"pricing", Pricing()},
          {"top_provider",
           {{"context_length", 65536}, {"max_completion_tokens", 32768}, {"is_moderated", false}}},
          {"per_request_limits", nullptr},
          {"supported_parameters", SupportedParameters()},
          {"default_parameters", {{"temperature", nullptr}, {"top_p", nullptr}}}};
}

Json Percentiles(double p50, double p75, double p90, double p99) {
  return {{"p50", p50}, {"p75", p75}, {"p90", p90}, {"p99", p99}};
}

Json Endpoint(const RenderContext& ctx, const std::string& provider) {
  std::string tag;
  for (char c : provider) {
    tag += c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const Step& st = ctx.step;
  double lo = st.latency_max.count() > 0 ? st.latency_min.count() : 9000.0;
  double hi = st.latency_max.count() > 0 ? st.latency_max.count() : 20000.0;
  Json uptime = st.uptime ? Json(*st.uptime) : Json(nullptr);
  Json pricing = Pricing();
  pricing["discount"] = 0;
  return {{"name", fmt::format("{} | {}", provider, ctx.model)},
          {"model_id", ctx.model},
          {"model_name", DisplayName(ctx.model)},
          {"context_length", 65536},
          {"pricing", std::move(pricing)},
          {"provider_name", provider},
          {"tag", tag},
          {"quantization", "unknown"},
          {"max_completion_tokens", 32768},
          {"max_prompt_tokens", nullptr},
          {"supported_parameters", SupportedParameters()},
          {"status", st.provider_status},
          {"uptime_last_5m", uptime},
          {"uptime_last_30m", uptime},
          {"uptime_last_1d", uptime},
          {"supports_implicit_caching", false},
          {"latency_last_30m",
           Percentiles(lo + (hi - lo) * 0.5, lo + (hi - lo) * 0.75, lo + (hi - lo) * 0.9, hi)},
          {"throughput_last_30m", Percentiles(95.5, 80.25, 60.125, 31.0)}};
}

// The error shapes shared by all OpenRouter paths; `model` names the upstream.
HttpReply Error(const RenderContext& ctx, Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::kRateLimit: {
      // samples/openrouter-error-429-upstream-rate-limited.json, with our model.
      Json body = {
          {"error",
           {{"message", "Provider returned error"},
            {"code", 429},
            {"metadata",
             {{"raw", fmt::format("{} is temporarily rate-limited upstream. Please retry shortly, "
                                  "or add your own key to accumulate your rate limits: "
                                  "https://openrouter.ai/settings/integrations",
                                  ctx.model)},
              {"provider_name", ProviderNames(ctx.model)[0]},
              {"is_byok", false},
              {"provider_error_code", "rate_limit_exceeded"},
              {"limit_source", "upstream_provider_shared_pool"}}}}},
          {"user_id", "user_sim"}};
      return Reply(429, body);
    }
    case Behaviour::kQuota:
      return OpenRouterError(402,
                             "Insufficient credits. Add more using "
                             "https://openrouter.ai/settings/credits");
    case Behaviour::kAuth:
      return OpenRouterError(401, "User not found.");
    case Behaviour::kBadRequest:
      return OpenRouterError(400, ctx.error_message.empty()
                                      ? std::string_view("Invalid value for modalities: "
                                                         "expected an array of strings")
                                      : ctx.error_message);
    case Behaviour::kNotFound:
      return OpenRouterError(404, fmt::format("No endpoints found for {}.", ctx.model));
    case Behaviour::kServerError:
      return OpenRouterError(500, "Internal Server Error");
    default:  // kUnavailable
      return OpenRouterError(503, "No allowed providers are available for the selected model.");
  }
}

Json ChatBody(const RenderContext& ctx, std::string_view content, std::string_view native_finish,
              const Json* images, int completion_tokens) {
  Json message = {
      {"role", "assistant"}, {"content", content}, {"refusal", nullptr}, {"reasoning", nullptr}};
  if (images != nullptr) {
    message["images"] = *images;
  }
  // As billed (formats/openrouter.md): 1120 for a Gemini 3 1K image, 1290 for 2.x.
  int per_image = ctx.model.find("gemini-2") != std::string_view::npos ? 1290 : 1120;
  int image_tokens = images != nullptr ? per_image : 0;
  Json usage = {{"prompt_tokens", 22},
                {"completion_tokens", completion_tokens + image_tokens},
                {"total_tokens", 22 + completion_tokens + image_tokens},
                {"completion_tokens_details",
                 {{"reasoning_tokens", 0}, {"image_tokens", image_tokens}}}};
  // Usage accounting (`usage: {include: true}` in the request) adds what the
  // call cost in USD; priced like Gemini 3 Pro Image ($2 / $12 / $120 per M).
  const Json& r = ctx.request;
  if (r.is_object() && r.contains("usage") && r["usage"].is_object() &&
      r["usage"].value("include", false)) {
    usage["cost"] = 22 * 2e-6 + completion_tokens * 12e-6 + image_tokens * 120e-6;
  }
  return {
      {"id", fmt::format("gen-{}-sim{:08d}", ctx.unix_seconds, ctx.sequence)},
      {"provider", ProviderNames(ctx.model)[0]},
      {"model", ctx.model},
      {"object", "chat.completion"},
      {"created", ctx.unix_seconds},
      {"choices", Json::array({{{"logprobs", nullptr},
                                {"finish_reason", "stop"},
                                {"native_finish_reason", native_finish},
                                {"index", 0},
                                {"message", std::move(message)}}})},
      {"usage", std::move(usage)}};
}

}  // namespace

HttpReply OpenRouterError(int code, std::string_view message) {
  return Reply(code, Json{{"error", {{"message", message}, {"code", code}}}});
}

HttpReply RenderOpenRouterChat(const RenderContext& ctx, Behaviour behaviour) {
  switch (behaviour) {
    case Behaviour::kOk: {
      const ImageSpec& img = ctx.step.image;
      Json images = Json::array({{{"type", "image_url"},
                                  {"image_url",
                                   {{"url", fmt::format("data:{};base64,{}", MimeType(img.format),
                                                        ctx.images.Base64(img))}}},
                                  {"index", 0}}});
      return Reply(200, ChatBody(ctx, "Here is the image you asked for.", "STOP", &images, 9));
    }
    case Behaviour::kNoImage:
      return Reply(200, ChatBody(ctx, "I can describe the scene, but I did not draw it this time.",
                                 "STOP", nullptr, 14));
    case Behaviour::kSafetyBlock:
      return Reply(200, ChatBody(ctx, "I'm sorry, but I can't create that image.", "IMAGE_SAFETY",
                                 nullptr, 10));
    default:
      return Error(ctx, behaviour);
  }
}

HttpReply RenderOpenRouterModels(const RenderContext& ctx, Behaviour behaviour) {
  if (behaviour == Behaviour::kOk || behaviour == Behaviour::kNoImage ||
      behaviour == Behaviour::kSafetyBlock) {
    Json data = Json::array();
    for (const auto& id : ctx.listed_models) {
      Json model = Model(id);
      std::string_view expires = ShutdownDate(ctx.step, id);
      model["expiration_date"] = expires.empty() ? Json(nullptr) : Json(expires);
      data.push_back(std::move(model));
    }
    return Reply(200, Json{{"data", std::move(data)}});
  }
  return Error(ctx, behaviour);
}

HttpReply RenderOpenRouterEndpoints(const RenderContext& ctx, Behaviour behaviour) {
  if (behaviour == Behaviour::kOk || behaviour == Behaviour::kNoImage ||
      behaviour == Behaviour::kSafetyBlock) {
    Json endpoints = Json::array();
    std::vector<std::string> names = ProviderNames(ctx.model);
    for (int i = 0; i < ctx.step.providers && i < static_cast<int>(names.size()); ++i) {
      endpoints.push_back(Endpoint(ctx, names[i]));
    }
    Json model = Model(ctx.model);
    Json data = {{"id", ctx.model},
                 {"name", model["name"]},
                 {"created", model["created"]},
                 {"description", model["description"]},
                 {"architecture", model["architecture"]},
                 {"endpoints", std::move(endpoints)}};
    return Reply(200, Json{{"data", std::move(data)}});
  }
  return Error(ctx, behaviour);
}

}  // namespace modelwatch::sim
