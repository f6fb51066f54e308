#include "probe/classify.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "probe/test_fixtures.h"

namespace modelwatch::probe {
namespace {

using std::chrono::seconds;

net::Response Answer(int status, std::string body, net::Headers headers = {}) {
  net::Response r;
  r.http_status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

struct HttpCase {
  std::string name;
  net::Response response;
  CheckStatus want;
  std::string error_has;  // substring of Verdict::error
  std::optional<seconds> retry_after = std::nullopt;
};

std::string Google(int code, std::string_view status, std::string_view message,
                   std::string_view details = "") {
  return fmt::format(R"({{"error":{{"code":{},"message":"{}","status":"{}","details":[{}]}}}})",
                     code, message, status, details);
}

constexpr std::string_view kQuotaPerMinute =
    R"({"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":)"
    R"("generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":)"
    R"("GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaValue":"10"}]},)"
    R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47.884324799s"})";
constexpr std::string_view kQuotaPerDay =
    R"({"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":)"
    R"("GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]})";

std::vector<HttpCase> Cases() {
  const std::string exceeded =
      "You exceeded your current quota, please check your plan and billing details.";
  return {
      // Real samples from formats/samples/.
      {"openai_insufficient_quota_type_only_sample",
       Answer(429, testing::ReadSample("openai-error-429-insufficient-quota-2023.json")),
       CheckStatus::kQuotaExhausted, "insufficient_quota: You exceeded your current quota"},
      {"gemini_api_key_invalid_sample",
       Answer(400, testing::ReadSample("gemini-error-400-api-key-invalid-doc.json")),
       CheckStatus::kAuthError, "API_KEY_INVALID: API key not valid"},
      {"openrouter_upstream_429_sample",
       Answer(429, testing::ReadSample("openrouter-error-429-upstream-rate-limited.json"),
              {{"retry-after", "7"}}),
       CheckStatus::kRateLimited, "Provider returned error (DeepInfra): deepseek", seconds(7)},
      // OpenAI.
      {"openai_insufficient_quota_code",
       Answer(
           429,
           R"({"error":{"message":"m","type":"insufficient_quota","code":"insufficient_quota"}})"),
       CheckStatus::kQuotaExhausted, "insufficient_quota: m"},
      {"openai_rate_limit_hint_in_message",
       Answer(
           429,
           R"({"error":{"message":"Rate limit reached for gpt-image-1 in organization org-x on images per min: Limit 5, Used 5, Requested 1. Please try again in 41.724s.","type":"requests","code":"rate_limit_exceeded"}})"),
       CheckStatus::kRateLimited, "rate_limit_exceeded: Rate limit reached", seconds(42)},
      {"openai_billing_hard_limit",
       Answer(
           400,
           R"({"error":{"message":"Billing hard limit has been reached","type":"invalid_request_error","code":"billing_hard_limit_reached"}})"),
       CheckStatus::kQuotaExhausted, "billing_hard_limit_reached"},
      {"openai_moderation_blocked",
       Answer(
           400,
           R"({"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","code":"moderation_blocked"}})"),
       CheckStatus::kInvalidResponse, "moderation_blocked: Your request was rejected"},
      {"openai_dalle_content_policy",
       Answer(
           400,
           R"({"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","code":"content_policy_violation"}})"),
       CheckStatus::kInvalidResponse, "content_policy_violation"},
      {"openai_bad_size",
       Answer(
           400,
           R"({"error":{"message":"Invalid size '7x7'.","type":"invalid_request_error","param":"size","code":null}})"),
       CheckStatus::kClientError, "invalid_request_error: Invalid size '7x7'."},
      {"openai_401",
       Answer(
           401,
           R"({"error":{"message":"Invalid Authentication","type":"invalid_request_error","code":"invalid_api_key"}})"),
       CheckStatus::kAuthError, "invalid_api_key: Invalid Authentication"},
      {"openai_403_region",
       Answer(
           403,
           R"({"error":{"message":"Country, region, or territory not supported","type":"request_forbidden","code":"unsupported_country_region_territory"}})"),
       CheckStatus::kAuthError, "Country, region"},
      {"openai_404_model",
       Answer(
           404,
           R"({"error":{"message":"The model `x` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}})"),
       CheckStatus::kModelNotFound, "model_not_found"},
      // The retired gpt-image-1 as OpenAI answers it (formats/openai-images.md).
      {"openai_404_retired_model",
       Answer(
           404,
           R"({"error":{"message":"The model `gpt-image-1` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}})"),
       CheckStatus::kModelNotFound, "model_not_found: The model `gpt-image-1` does not exist"},
      {"openai_500",
       Answer(
           500,
           R"({"error":{"message":"The server had an error while processing your request","type":"server_error","code":null}})"),
       CheckStatus::kServerError, "server_error: The server had an error"},
      {"openai_503_overloaded",
       Answer(
           503,
           R"({"error":{"message":"The engine is currently overloaded","type":"server_error","code":"server_is_overloaded"}})"),
       CheckStatus::kServerError, "server_is_overloaded"},
      // Google.
      {"google_429_per_minute_is_rate_limit",
       Answer(429, Google(429, "RESOURCE_EXHAUSTED", exceeded + " Please retry in 47.884324799s.",
                          kQuotaPerMinute)),
       CheckStatus::kRateLimited, "RESOURCE_EXHAUSTED: You exceeded", seconds(48)},
      {"google_429_per_day_is_spent",
       Answer(429, Google(429, "RESOURCE_EXHAUSTED", exceeded, kQuotaPerDay)),
       CheckStatus::kQuotaExhausted, "RESOURCE_EXHAUSTED"},
      {"google_429_limit_zero_is_spent",
       Answer(429, Google(429, "RESOURCE_EXHAUSTED",
                          "Quota exceeded for metric: x, limit: 0, model: y")),
       CheckStatus::kQuotaExhausted, "limit: 0"},
      {"google_429_quota_failure_without_window",
       Answer(
           429,
           Google(
               429, "RESOURCE_EXHAUSTED", "Resource has been exhausted",
               R"({"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"SpendCap"}]})")),
       CheckStatus::kQuotaExhausted, "Resource has been exhausted"},
      {"google_429_billing_words", Answer(429, Google(429, "RESOURCE_EXHAUSTED", exceeded)),
       CheckStatus::kQuotaExhausted, "billing"},
      {"google_429_plain_is_rate_limit",
       Answer(429,
              Google(429, "RESOURCE_EXHAUSTED", "Resource exhausted. Please try again later.")),
       CheckStatus::kRateLimited, "Resource exhausted"},
      {"vertex_429_per_minute_words",
       Answer(429, Google(429, "RESOURCE_EXHAUSTED",
                          "Quota exceeded for "
                          "aiplatform.googleapis.com/"
                          "generate_content_requests_per_minute_per_project_per_base_model")),
       CheckStatus::kRateLimited, "Quota exceeded"},
      {"google_402_prepaid_credit",
       Answer(402, Google(402, "RESOURCE_EXHAUSTED", "credit exhausted")),
       CheckStatus::kQuotaExhausted, "credit exhausted"},
      {"google_403_permission_denied",
       Answer(403, Google(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers")),
       CheckStatus::kAuthError, "PERMISSION_DENIED"},
      {"google_400_billing_precondition",
       Answer(400, Google(400, "FAILED_PRECONDITION", "Billing is not enabled for this project")),
       CheckStatus::kQuotaExhausted, "FAILED_PRECONDITION"},
      {"google_400_invalid_argument",
       Answer(400, Google(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")),
       CheckStatus::kClientError, "INVALID_ARGUMENT: Invalid JSON payload"},
      {"google_404_model", Answer(404, Google(404, "NOT_FOUND", "models/x is not found")),
       CheckStatus::kModelNotFound, "NOT_FOUND"},
      // The retired preview ID as the Gemini API answers it (formats/gemini.md).
      {"gemini_404_retired_preview_model",
       Answer(404, R"({"error":{"code":404,"message":"models/gemini-3-pro-image-preview is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}})"),
       CheckStatus::kModelNotFound, "NOT_FOUND: models/gemini-3-pro-image-preview is not found"},
      {"google_404_file_is_client_error",
       Answer(404, Google(404, "NOT_FOUND", "File abc123 does not exist.")),
       CheckStatus::kClientError, "NOT_FOUND: File abc123"},
      {"google_500", Answer(500, Google(500, "INTERNAL", "An internal error has occurred.")),
       CheckStatus::kServerError, "INTERNAL"},
      {"google_503",
       Answer(503, Google(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")),
       CheckStatus::kServerError, "UNAVAILABLE: The model is overloaded"},
      {"google_504_is_server_not_timeout",
       Answer(504, Google(504, "DEADLINE_EXCEEDED", "Deadline expired")), CheckStatus::kServerError,
       "DEADLINE_EXCEEDED"},
      // OpenRouter.
      {"openrouter_402",
       Answer(
           402,
           R"({"error":{"message":"Insufficient credits. Add more using https://openrouter.ai/settings/credits","code":402}})"),
       CheckStatus::kQuotaExhausted, "Insufficient credits"},
      {"openrouter_401",
       Answer(401, R"({"error":{"message":"No auth credentials found","code":401}})"),
       CheckStatus::kAuthError, "No auth credentials found"},
      {"openrouter_403_moderation",
       Answer(
           403,
           R"({"error":{"message":"flagged","code":403,"metadata":{"reasons":["violence"],"flagged_input":"x","provider_name":"OpenAI"}}})"),
       CheckStatus::kInvalidResponse, "flagged (OpenAI)"},
      {"openrouter_403_guardrail",
       Answer(403, R"({"error":{"message":"Key not allowed","code":403}})"),
       CheckStatus::kAuthError, "Key not allowed"},
      {"openrouter_408", Answer(408, R"({"error":{"message":"Request timed out","code":408}})"),
       CheckStatus::kTimeout, "Request timed out"},
      {"openrouter_502",
       Answer(
           502,
           R"({"error":{"message":"Provider returned error","code":502,"metadata":{"raw":{"detail":"upstream down"},"provider_name":"Google"}}})"),
       CheckStatus::kServerError,
       R"(Provider returned error (Google): {"detail":"upstream down"})"},
      {"openrouter_404_no_endpoints_for_model",
       Answer(404,
              R"({"error":{"message":"No endpoints found for google/gemini-2.5-flash-image-preview.","code":404}})"),
       CheckStatus::kModelNotFound, "No endpoints found for google/gemini-2.5-flash-image-preview"},
      {"openrouter_400_not_a_valid_model_id",
       Answer(400,
              R"({"error":{"message":"google/gemini-9-image is not a valid model ID","code":400}})"),
       CheckStatus::kModelNotFound, "not a valid model ID"},
      {"openrouter_503",
       Answer(503,
              R"({"error":{"message":"No endpoints found that support image output","code":503}})"),
       CheckStatus::kServerError, "No endpoints found"},
      // Generic.
      {"429_without_body", Answer(429, ""), CheckStatus::kRateLimited, "HTTP 429"},
      {"429_retry_after_http_date",
       Answer(429, "slow down",
              {{"retry-after", "Wed, 21 Oct 2026 07:28:30 GMT"},
               {"date", "Wed, 21 Oct 2026 07:28:00 GMT"}}),
       CheckStatus::kRateLimited, "HTTP 429: slow down", seconds(30)},
      {"429_retry_after_past_date",
       Answer(429, "",
              {{"retry-after", "Wed, 21 Oct 2026 07:27:00 GMT"},
               {"date", "Wed, 21 Oct 2026 07:28:00 GMT"}}),
       CheckStatus::kRateLimited, "HTTP 429", seconds(0)},
      {"401_plain", Answer(401, "Unauthorized"), CheckStatus::kAuthError, "HTTP 401: Unauthorized"},
      {"403_plain", Answer(403, ""), CheckStatus::kAuthError, "HTTP 403"},
      {"402_plain", Answer(402, ""), CheckStatus::kQuotaExhausted, "HTTP 402"},
      {"408_plain", Answer(408, ""), CheckStatus::kTimeout, "HTTP 408"},
      {"404_plain", Answer(404, "not found"), CheckStatus::kClientError, "HTTP 404: not found"},
      {"422_plain", Answer(422, ""), CheckStatus::kClientError, "HTTP 422"},
      {"500_no_body", Answer(500, ""), CheckStatus::kServerError, "HTTP 500"},
      {"502_html_page",
       Answer(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
       CheckStatus::kServerError, "HTTP 502: 502 Bad Gateway"},
      {"503_with_retry_after", Answer(503, "", {{"retry-after", "120"}}), CheckStatus::kServerError,
       "HTTP 503", seconds(120)},
      {"304_is_not_an_answer", Answer(304, ""), CheckStatus::kInvalidResponse, "HTTP 304"},
      {"string_error_gateway", Answer(500, R"({"error":"upstream exploded"})"),
       CheckStatus::kServerError, "upstream exploded"},
  };
}

TEST(Classify, HttpErrorsFollowTheStatusTable) {
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    Verdict v = ClassifyHttpError(c.response, {});
    EXPECT_EQ(ToString(v.status), ToString(c.want));
    EXPECT_NE(v.error.find(c.error_has), std::string::npos) << v.error;
    EXPECT_EQ(v.retry_after, c.retry_after);
    EXPECT_FALSE(v.image.has_value());
    EXPECT_FALSE(v.next.has_value());
  }
}

TEST(Classify, StatusWithoutABody) {
  const std::pair<int, CheckStatus> cases[] = {
      {200, CheckStatus::kSuccess},         {400, CheckStatus::kClientError},
      {401, CheckStatus::kAuthError},       {402, CheckStatus::kQuotaExhausted},
      {403, CheckStatus::kAuthError},       {404, CheckStatus::kClientError},
      {408, CheckStatus::kTimeout},         {429, CheckStatus::kRateLimited},
      {499, CheckStatus::kClientError},     {500, CheckStatus::kServerError},
      {502, CheckStatus::kServerError},     {503, CheckStatus::kServerError},
      {504, CheckStatus::kServerError},     {0, CheckStatus::kInvalidResponse},
      {302, CheckStatus::kInvalidResponse},
  };
  for (auto [code, want] : cases) {
    EXPECT_EQ(ToString(ClassifyHttpStatus(code, nullptr)), ToString(want)) << code;
  }
}

TEST(Classify, MasksTheMonitorKeyEchoedByTheProvider) {
  Secret key("my-gateway-key-777");
  const Secret* secrets[] = {&key};
  Verdict v = ClassifyHttpError(
      Answer(401, R"({"error":{"message":"Key my-gateway-key-777 is revoked","code":401}})"),
      secrets);
  EXPECT_EQ(v.status, CheckStatus::kAuthError);
  EXPECT_EQ(v.error, "Key *** is revoked");
}

TEST(Classify, MasksKeyShapedTextEvenWhenNotOurs) {
  Verdict v = ClassifyHttpError(
      Answer(
          401,
          R"({"error":{"message":"Incorrect API key provided: sk-proj-AbCdEf0123456789xyz. Also AIzaSyD-abcdefghijklmnop0123 was seen.","type":"invalid_request_error","code":"invalid_api_key"}})"),
      {});
  EXPECT_EQ(v.error, "invalid_api_key: Incorrect API key provided: sk-***. Also AIza*** was seen.");
}

TEST(Classify, TrimsAndCollapsesLongMessages) {
  std::string message;
  for (int i = 0; i < 100; ++i) {
    message += "word \\n\\t  ";
  }
  Verdict v = ClassifyHttpError(
      Answer(500, R"({"error":{"message":")" + message + R"(","type":"server_error"}})"), {});
  EXPECT_LE(v.error.size(), 300u);
  EXPECT_TRUE(v.error.ends_with("...")) << v.error;
  EXPECT_EQ(v.error.find("  "), std::string::npos);
  EXPECT_EQ(v.error.find('\n'), std::string::npos);
}

TEST(Classify, BodyErrorUsesItsCodeAsTheStatus) {
  const std::tuple<std::string, CheckStatus, std::string> cases[] = {
      {R"({"error":{"code":429,"message":"Rate limit exceeded"}})", CheckStatus::kRateLimited,
       "Rate limit exceeded"},
      {R"({"error":{"code":502,"message":"Provider returned error"}})", CheckStatus::kServerError,
       "Provider returned error"},
      {R"({"error":{"code":402,"message":"Insufficient credits"}})", CheckStatus::kQuotaExhausted,
       "Insufficient credits"},
      {R"({"error":{"message":"something odd"}})", CheckStatus::kInvalidResponse, "something odd"},
      {R"({"error":{}})", CheckStatus::kInvalidResponse, "error object in a successful response"},
  };
  for (const auto& [body, want, text] : cases) {
    net::Response r = Answer(200, body);
    auto error = ParseProviderError(*ParseJson(body));
    ASSERT_TRUE(error.has_value()) << body;
    Verdict v = ClassifyBodyError(r, *error, {});
    EXPECT_EQ(ToString(v.status), ToString(want)) << body;
    EXPECT_EQ(v.error, text);
  }
}

}  // namespace
}  // namespace modelwatch::probe
