// Gemini on Vertex AI (formats/vertex-ai.md): the generateContent bodies of
// the Gemini API with Vertex's own errors, and the OAuth2 token endpoint.
#include <fmt/format.h>

#include "sim/renderers.h"

namespace modelwatch::sim {
namespace {

using Json = nlohmann::ordered_json;

HttpReply Reply(int status, const Json& body) {
  HttpReply r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json; charset=UTF-8"}};
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpReply Error(int code, std::string_view status, std::string_view message,
                Json details = nullptr) {
  Json err = {{"code", code}, {"message", message}, {"status", status}};
  if (!details.is_null()) {
    err["details"] = std::move(details);
  }
  return Reply(code, Json{{"error", std::move(err)}});
}

}  // namespace

HttpReply RenderVertex(const RenderContext& ctx, Behaviour behaviour) {
  if (ctx.file == "express" && behaviour == Behaviour::kAuth) {
    // An express key that is missing or wrong: Google's API-key answer.
    return Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                 Json::array({{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                               {"reason", "API_KEY_INVALID"},
                               {"domain", "googleapis.com"},
                               {"metadata", {{"service", "aiplatform.googleapis.com"}}}}}));
  }
  switch (behaviour) {
    case Behaviour::kAuth: {
      HttpReply r = Error(
          401, "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
          "cookie or other valid authentication credential. See "
          "https://developers.google.com/identity/sign-in/web/devconsole-project.");
      r.headers.emplace_back(
          "WWW-Authenticate",
          "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
      return r;
    }
    case Behaviour::kRateLimit:
      // Standard PayGo: the shared pool had no room; no quota is named.
      return Error(429, "RESOURCE_EXHAUSTED",
                   "Resource exhausted. Please try again later. Please refer to "
                   "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more "
                   "details.");
    case Behaviour::kQuota:
      // A quota that is spent for the day, named in a QuotaFailure.
      return Error(
          429, "RESOURCE_EXHAUSTED",
          "Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_day_per_"
          "project_per_base_model with base model: gemini-3-pro-image.",
          Json::array(
              {{{"@type", "type.googleapis.com/google.rpc.QuotaFailure"},
                {"violations",
                 Json::array(
                     {{{"quotaId", "GenerateContentRequestsPerDayPerProjectPerBaseModel"}}})}}}));
    case Behaviour::kNotFound:
      return Error(404, "NOT_FOUND",
                   fmt::format("Publisher Model `projects/sim-project/locations/global/publishers/"
                               "google/models/{}` was not found or your project does not have "
                               "access to it. Please ensure you are using a valid model version.",
                               ctx.model));
    case Behaviour::kBadRequest:
      return Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
    case Behaviour::kServerError:
      return Error(500, "INTERNAL", "Internal error encountered.");
    case Behaviour::kUnavailable:
      return Error(503, "UNAVAILABLE",
                   "Unable to submit request because the service is temporarily out of capacity. "
                   "Try again later.");
    default:
      return RenderGemini(ctx, behaviour);  // the same bodies as the Gemini API
  }
}

HttpReply RenderGoogleToken(const RenderContext& ctx, Behaviour behaviour) {
  auto oauth_error = [](int status, std::string_view error, std::string_view description) {
    return Reply(status, Json{{"error", error}, {"error_description", description}});
  };
  switch (behaviour) {
    case Behaviour::kAuth:
      return oauth_error(400, "invalid_grant",
                         ctx.error_message.empty() ? "Invalid JWT Signature." : ctx.error_message);
    case Behaviour::kBadRequest:
    case Behaviour::kNotFound:
      return oauth_error(400, "invalid_grant", "Invalid grant: account not found");
    case Behaviour::kServerError:
    case Behaviour::kUnavailable:
      return oauth_error(503, "internal_failure", "Backend Error");
    default:
      return Reply(200, Json{{"access_token", ctx.issued_token},
                             {"expires_in", ctx.token_lifetime_s},
                             {"token_type", "Bearer"}});
  }
}

}  // namespace modelwatch::sim
