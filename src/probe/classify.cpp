#include "probe/classify.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "core/text.h"
#include "probe/error_text.h"
#include "probe/json_body.h"
#include "probe/retry_after.h"

namespace modelwatch::probe {
namespace {

bool HasAny(const std::string& text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.find(w) != std::string::npos; });
}

// A 429 / RESOURCE_EXHAUSTED is either a short window (rate_limited: wait
// and it clears by itself) or a spent budget (quota_exhausted: someone must
// act). Google says "You exceeded your current quota ... billing" on both,
// so the quota window decides first: per-minute ids are rate limits, per-day
// ids and "limit: 0" (no free tier for this model) are spent budgets.
// Without a window, a QuotaFailure or billing / credit / "quota exceeded"
// wording means spent, as the issue asks. OpenRouter's upstream `raw` text
// is deliberately not read: its 429 is always a rate limit.
bool QuotaIsSpent(int http_status, const ProviderError& e) {
  if (http_status == 402) {
    return true;
  }
  std::string text = AsciiLower(e.message);
  for (const std::string& id : e.quota_ids) {
    text += " " + AsciiLower(id);
  }
  if (HasAny(text, {"perday", "per_day", "per day", "permonth", "per_month", "limit: 0"})) {
    return true;
  }
  if (HasAny(text, {"perminute", "per_minute", "per minute", "persecond", "per_second"})) {
    return false;
  }
  return e.quota_failure || HasAny(text, {"billing", "credit"}) ||
         (text.find("quota") != std::string::npos && text.find("exceeded") != std::string::npos);
}

// An unknown model ID, the way each API says it (formats/openai-images.md,
// gemini.md, openrouter.md): OpenAI's `model_not_found` code, Google's 404
// NOT_FOUND naming a model (a file can be NOT_FOUND too), OpenRouter's 404
// "No endpoints found for <id>." and 400 "<id> is not a valid model ID". Its
// 503 "No endpoints found that support ..." is routing, not a missing model.
bool ModelNotFound(int http_status, const ProviderError& e) {
  const std::string code = AsciiLower(e.code_text), message = AsciiLower(e.message);
  if (code == "model_not_found") {
    return true;
  }
  if (e.status == "NOT_FOUND") {
    return message.find("model") != std::string::npos;
  }
  const int status = http_status != 0 ? http_status : e.code;
  if (status == 404 && message.starts_with("no endpoints found for ")) {
    return true;
  }
  return status == 400 && message.find("is not a valid model id") != std::string::npos;
}

// Machine codes that decide the status whatever the HTTP code, or nullopt.
std::optional<CheckStatus> FromErrorCodes(int http_status, const ProviderError& e) {
  std::string code = AsciiLower(e.code_text), type = AsciiLower(e.type), status = e.status;
  auto is = [&](std::string_view v) { return code == v || type == v; };
  // OpenAI's 2023 insufficient_quota bodies carry it only in `type`.
  if (is("insufficient_quota") || is("billing_hard_limit_reached")) {
    return CheckStatus::kQuotaExhausted;
  }
  if (is("rate_limit_exceeded")) {
    return CheckStatus::kRateLimited;
  }
  // A safety refusal is the provider declining to make an image, not a
  // malformed request: DESIGN.md files "safety block with no image" under
  // invalid_response, and the same goes for OpenRouter's moderation 403.
  if (is("moderation_blocked") || is("content_policy_violation") || e.moderation) {
    return CheckStatus::kInvalidResponse;
  }
  if (ModelNotFound(http_status, e)) {
    return CheckStatus::kModelNotFound;
  }
  if (is("invalid_api_key")) {
    return CheckStatus::kAuthError;
  }
  if (status == "RESOURCE_EXHAUSTED") {
    return QuotaIsSpent(http_status, e) ? CheckStatus::kQuotaExhausted : CheckStatus::kRateLimited;
  }
  if (status == "PERMISSION_DENIED" || status == "UNAUTHENTICATED") {
    return CheckStatus::kAuthError;
  }
  // Google answers a bad key with 400 INVALID_ARGUMENT, not 401.
  if (e.reason == "API_KEY_INVALID" || e.reason == "API_KEY_EXPIRED" ||
      AsciiLower(e.message).find("api key not valid") != std::string::npos) {
    return CheckStatus::kAuthError;
  }
  // 400 FAILED_PRECONDITION "billing not enabled": a plan problem, like quota.
  if (status == "FAILED_PRECONDITION" &&
      AsciiLower(e.message).find("billing") != std::string::npos) {
    return CheckStatus::kQuotaExhausted;
  }
  if (http_status == 429 && code.empty() && type.empty() && status.empty()) {
    return QuotaIsSpent(http_status, e) ? CheckStatus::kQuotaExhausted : CheckStatus::kRateLimited;
  }
  return std::nullopt;
}

// An HTML error page from a proxy says the most in its <title>.
std::string BodySnippet(std::string_view body) {
  std::string lower = AsciiLower(body.substr(0, 4096));
  size_t open = lower.find("<title>");
  size_t close = lower.find("</title>");
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return std::string(body.substr(open + 7, close - open - 7));
  }
  if (!lower.empty() && lower.front() == '<') {
    return "";
  }
  return std::string(body.substr(0, 200));
}

Verdict Build(CheckStatus status, std::string text, std::optional<std::chrono::seconds> retry,
              Secrets secrets) {
  Verdict v;
  v.status = status;
  v.error = CleanErrorText(text, secrets);
  v.retry_after = retry;
  return v;
}

}  // namespace

CheckStatus ClassifyHttpStatus(int http_status, const ProviderError* error) {
  if (error != nullptr) {
    if (auto s = FromErrorCodes(http_status, *error)) {
      return *s;
    }
  }
  if (IsHttpSuccess(http_status)) {
    return CheckStatus::kSuccess;
  }
  switch (http_status) {
    case 401:
    case 403:
      return CheckStatus::kAuthError;
    case 402:
      return CheckStatus::kQuotaExhausted;
    case 408:
      return CheckStatus::kTimeout;
    case 429:
      return CheckStatus::kRateLimited;
  }
  if (http_status >= 400 && http_status < 500) {
    return CheckStatus::kClientError;
  }
  // A 504 is a complete answer, so server_error, not timeout: `timeout` is
  // reserved for our own deadline passing (DESIGN.md).
  if (http_status >= 500 && http_status < 600) {
    return CheckStatus::kServerError;
  }
  // 1xx/3xx reaching us (redirects are followed by the loop) is not an answer.
  return CheckStatus::kInvalidResponse;
}

Verdict ClassifyHttpError(const net::Response& response, Secrets secrets) {
  std::optional<ProviderError> error;
  if (auto body = ParseJson(response.body)) {
    error = ParseProviderError(*body);
  }
  CheckStatus status = ClassifyHttpStatus(response.http_status, error ? &*error : nullptr);
  std::string text = error ? error->Describe() : "";
  if (!response.refused_redirect.empty()) {
    text = fmt::format(
        "HTTP {}: redirected to {}, another origin; not followed, because the request carries "
        "credentials",
        response.http_status, response.refused_redirect);
  }
  if (text.empty()) {
    std::string snippet = BodySnippet(response.body);
    text = snippet.empty() ? fmt::format("HTTP {}", response.http_status)
                           : fmt::format("HTTP {}: {}", response.http_status, snippet);
  }
  return Build(status, std::move(text), FindRetryAfter(response, error ? &*error : nullptr),
               secrets);
}

Verdict ClassifyBodyError(const net::Response& response, const ProviderError& error,
                          Secrets secrets) {
  int code = error.code >= 400 && error.code < 600 ? error.code : 0;
  // Without a code (or a decisive machine code) this yields invalid_response.
  CheckStatus status = ClassifyHttpStatus(code, &error);
  std::string text = error.Describe();
  if (text.empty()) {
    text = "error object in a successful response";
  }
  return Build(status, std::move(text), FindRetryAfter(response, &error), secrets);
}

Verdict InvalidResponse(std::string_view why, Secrets secrets) {
  return Build(CheckStatus::kInvalidResponse, std::string(why), std::nullopt, secrets);
}

std::variant<Json, Verdict> ReadAnswer(const net::Response& response, Secrets secrets) {
  if (!IsHttpSuccess(response.http_status)) {
    return ClassifyHttpError(response, secrets);
  }
  auto body = ParseJson(response.body);
  if (!body) {
    return InvalidResponse("response is not JSON", secrets);
  }
  if (auto error = ParseProviderError(*body)) {
    return ClassifyBodyError(response, *error, secrets);
  }
  return std::move(*body);
}

}  // namespace modelwatch::probe
