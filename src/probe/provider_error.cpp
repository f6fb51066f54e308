#include "probe/provider_error.h"

#include <cmath>
#include <cstdlib>

namespace modelwatch::probe {
namespace {

// "47s" or "29.723877525s" (protobuf Duration JSON), rounded up so a client
// honouring it never retries early.
std::optional<std::chrono::seconds> ParseProtoDuration(std::string_view s) {
  if (s.size() < 2 || s.back() != 's') {
    return std::nullopt;
  }
  std::string num(s.substr(0, s.size() - 1));
  char* end = nullptr;
  double v = std::strtod(num.c_str(), &end);
  if (end == num.c_str() || *end != '\0' || !(v >= 0) || v > 1e9) {
    return std::nullopt;
  }
  return std::chrono::seconds(static_cast<int64_t>(std::ceil(v)));
}

void ReadGoogleDetails(const Json* details, ProviderError& e) {
  if (details == nullptr || !details->is_array()) {
    return;
  }
  for (const Json& d : *details) {
    std::string_view type = StringOf(Member(&d, "@type"));
    if (type.ends_with("google.rpc.ErrorInfo")) {
      if (e.reason.empty()) {
        e.reason = StringOf(Member(&d, "reason"));
      }
    } else if (type.ends_with("google.rpc.QuotaFailure")) {
      e.quota_failure = true;
      const Json* violations = Member(&d, "violations");
      if (violations != nullptr && violations->is_array()) {
        for (const Json& v : *violations) {
          std::string_view id =
              StringOf(Member(&v, "quotaId"), StringOf(Member(&v, "quotaMetric")));
          if (!id.empty()) {
            e.quota_ids.emplace_back(id);
          }
        }
      }
    } else if (type.ends_with("google.rpc.RetryInfo")) {
      e.retry_delay = ParseProtoDuration(StringOf(Member(&d, "retryDelay")));
    }
  }
}

}  // namespace

std::optional<ProviderError> ParseProviderError(const Json& body) {
  const Json* err = Member(&body, "error");
  if (err == nullptr) {
    return std::nullopt;
  }
  ProviderError e;
  if (err->is_string()) {
    e.message = StringOf(err);
    return e;
  }
  if (!err->is_object()) {
    return std::nullopt;
  }
  const Json* code = Member(err, "code");
  if (code != nullptr && code->is_number_integer()) {
    e.code = code->get<int>();
  } else {
    e.code_text = StringOf(code);
  }
  e.type = StringOf(Member(err, "type"));
  e.status = StringOf(Member(err, "status"));
  e.message = StringOf(Member(err, "message"));
  ReadGoogleDetails(Member(err, "details"), e);
  if (const Json* meta = Member(err, "metadata"); meta != nullptr) {
    // `raw` is usually the upstream text but is an object for some providers.
    const Json* raw = Member(meta, "raw");
    if (raw != nullptr && !raw->is_null()) {
      e.raw = raw->is_string() ? std::string(StringOf(raw))
                               : raw->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    e.provider_name = StringOf(Member(meta, "provider_name"));
    e.moderation = Member(meta, "reasons") != nullptr || Member(meta, "flagged_input") != nullptr;
  }
  return e;
}

std::string ProviderError::Describe() const {
  std::string label = !code_text.empty() ? code_text : !status.empty() ? status : type;
  if (!reason.empty() && reason != label) {
    label = label.empty() ? reason : label + " " + reason;
  }
  std::string text = message;
  if (!provider_name.empty()) {
    text += " (" + provider_name + ")";
  }
  if (!raw.empty() && raw != message) {
    text += text.empty() ? raw : ": " + raw;
  }
  if (label.empty()) {
    return text;
  }
  return text.empty() ? label : label + ": " + text;
}

}  // namespace modelwatch::probe
