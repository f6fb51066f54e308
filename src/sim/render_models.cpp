// OpenAI GET /v1/models and Gemini GET /v1beta/models (formats/openai-images.md,
// gemini.md): the model lists the `models` source reads.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <string>

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

bool Lists(Behaviour b) {
  return b == Behaviour::kOk || b == Behaviour::kNoImage || b == Behaviour::kSafetyBlock;
}

// The value of `name` in a raw query string, or empty.
std::string_view QueryValue(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return {};
}

size_t Number(std::string_view text, size_t fallback) {
  size_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size() ? v : fallback;
}

bool IsListed(const RenderContext& ctx, std::string_view model) {
  return std::find(ctx.listed_models.begin(), ctx.listed_models.end(), model) !=
         ctx.listed_models.end();
}

}  // namespace

std::string_view ShutdownDate(const Step& step, std::string_view model) {
  for (const auto& [id, date] : step.shutdown_dates) {
    if (id == model) {
      return date;
    }
  }
  return {};
}

HttpReply RenderOpenAiModels(const RenderContext& ctx, Behaviour behaviour) {
  if (!Lists(behaviour)) {
    return RenderOpenAiImages(ctx, behaviour);  // the same error bodies
  }
  auto model = [&](const std::string& id) {
    Json m = {{"id", id}, {"object", "model"}, {"created", 1745000000}, {"owned_by", "system"}};
    std::string_view date = ShutdownDate(ctx.step, id);
    m["shutdown_date"] = date.empty() ? Json(nullptr) : Json(date);
    return m;
  };
  if (!ctx.model.empty()) {  // GET /v1/models/{model}
    if (!IsListed(ctx, ctx.model)) {
      return RenderOpenAiImages(ctx, Behaviour::kNotFound);
    }
    return Reply(200, model(std::string(ctx.model)));
  }
  Json data = Json::array();
  for (const std::string& id : ctx.listed_models) {
    data.push_back(model(id));
  }
  return Reply(200, Json{{"object", "list"}, {"data", std::move(data)}});
}

HttpReply RenderGeminiModels(const RenderContext& ctx, Behaviour behaviour) {
  if (!Lists(behaviour)) {
    return RenderGemini(ctx, behaviour);
  }
  // pageToken is opaque to clients; here it is the offset of the next page.
  auto model = [](const std::string& id) {
    return Json{{"name", "models/" + id},
                {"version", "001"},
                {"displayName", id},
                {"description", "Simulated image generation model."},
                {"inputTokenLimit", 65536},
                {"outputTokenLimit", 32768},
                {"supportedGenerationMethods", {"generateContent", "countTokens"}}};
  };
  if (!ctx.model.empty()) {  // GET /v1beta/models/{model}
    if (!IsListed(ctx, ctx.model)) {
      return RenderGemini(ctx, Behaviour::kNotFound);
    }
    return Reply(200, model(std::string(ctx.model)));
  }
  size_t size = std::clamp<size_t>(Number(QueryValue(ctx.query, "pageSize"), 50), 1, 1000);
  size_t from = Number(QueryValue(ctx.query, "pageToken"), 0);
  const auto& all = ctx.listed_models;
  Json models = Json::array();
  for (size_t i = from; i < all.size() && i < from + size; ++i) {
    models.push_back(model(all[i]));
  }
  Json body = {{"models", std::move(models)}};
  if (from + size < all.size()) {
    body["nextPageToken"] = std::to_string(from + size);
  }
  return Reply(200, body);
}

HttpReply RenderCredits(const RenderContext& ctx, Behaviour behaviour) {
  bool bfl = ctx.file == "bfl";
  switch (behaviour) {
    case Behaviour::kOk:
    case Behaviour::kNoImage:
    case Behaviour::kSafetyBlock:
      return Reply(200, Json{{"credits", bfl ? 1250.5 : 0.6336833840314097}});
    case Behaviour::kQuota:
      return Reply(200, Json{{"credits", 0}});
    case Behaviour::kAuth:
      if (bfl) {
        return Reply(403, Json{{"detail", "Not authenticated - Invalid Authentication"}});
      }
      return Reply(401, Json{{"id", "9b0ce3f0ab5b4d6cb2f1e0b4e3c1d2a7"},
                             {"name", "unauthorized"},
                             {"errors", {"authorization: invalid or missing header value"}}});
    default:
      break;
  }
  if (bfl) {
    return Reply(500, Json{{"detail", "Internal Server Error"}});
  }
  return Reply(500, Json{{"id", "5e1f0c8a9d2b4f67a3c1e0d9b8a7f6e5"},
                         {"name", "internal_error"},
                         {"errors", {"An unexpected server error has occurred."}}});
}

}  // namespace modelwatch::sim
