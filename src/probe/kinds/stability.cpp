// Probe kind `stability`: POST {base}/v2beta/stable-image/generate/{sd3|core|ultra}
// on the Stability AI REST API (formats/stability.md), multipart/form-data,
// answered with image bytes (accept: image/*) or base64 JSON.
#include <fmt/format.h>

#include "probe/classify.h"
#include "probe/error_text.h"
#include "probe/image_data.h"
#include "probe/json_body.h"
#include "probe/light.h"
#include "probe/monitor_request.h"
#include "probe/probe.h"
#include "probe/provider_error.h"
#include "probe/retry_after.h"

namespace modelwatch::probe {
namespace {

constexpr std::string_view kDefaultBase = "https://api.stability.ai";
constexpr std::string_view kBoundary = "modelwatch-9f4c2a7e1b3d5f60";
constexpr std::string_view kDefaultSd3Model = "sd3.5-large";

void AddField(std::string& body, std::string_view name, std::string_view value) {
  body += fmt::format("--{}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{}\r\n",
                      kBoundary, name, value);
}

// The v2beta error body {"id","name","errors":[...]} or the v1 one
// {"id","name","message"}, as a ProviderError whose code_text is `name`;
// nullopt when the body is neither.
std::optional<ProviderError> ParseStabilityError(const Json& body) {
  std::string_view name = StringOf(Member(&body, "name"));
  if (name.empty()) {
    return std::nullopt;
  }
  ProviderError e;
  e.code_text = name;
  if (const Json* errors = Member(&body, "errors"); errors != nullptr && errors->is_array()) {
    for (const Json& m : *errors) {
      if (m.is_string()) {
        e.message += (e.message.empty() ? "" : "; ") + m.get<std::string>();
      }
    }
  } else {
    e.message = StringOf(Member(&body, "message"));
  }
  return e;
}

class StabilityProbe final : public Probe {
 public:
  explicit StabilityProbe(const config::Monitor& m) : m_(m), request_(Compose()) {}

  // Probe
  net::Request BuildRequest() const override { return request_; }

  // GET /v1/user/balance: the key's credits. 401 on a bad key; no credits
  // left is quota_exhausted, as the next generation's 402 would be.
  std::optional<net::Request> BuildLightRequest() const override {
    return LightRequest(m_, JoinUrl(m_.base_url, kDefaultBase, "", "/v1/user/balance"),
                        {{"Authorization", "Bearer " + m_.api_key.reveal()}});
  }

  Verdict InterpretLight(const net::Response& response,
                         std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    if (!IsHttpSuccess(response.http_status)) {
      Verdict v = InterpretError(response, secrets);
      MarkLight(v);
      return v;
    }
    return InterpretCreditsAnswer(response, secrets);
  }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    if (!IsHttpSuccess(response.http_status)) {
      return InterpretError(response, secrets);
    }
    std::string content_type = response.Header("content-type").value_or("");
    bool json = content_type.starts_with("application/json") ||
                (!response.body.empty() && response.body.front() == '{');
    if (json) {
      return InterpretJson(response, secrets);
    }
    std::string finish = response.Header("finish-reason").value_or("SUCCESS");
    if (Verdict v; Refused(finish, v, secrets)) {
      return v;
    }
    Result<ImageInfo> image = ReadImage(response.body, response.body_bytes);
    if (!image.has_value()) {
      return InvalidResponse("image body: " + image.error().message(), secrets);
    }
    Verdict v;
    v.image = *image;
    return v;
  }

 private:
  // CONTENT_FILTERED is a 200 whose image was blurred by moderation: a
  // content outcome, not a success, with the reason kept up front.
  static bool Refused(std::string_view finish, Verdict& v, Secrets secrets) {
    if (finish == "SUCCESS" || finish.empty()) {
      return false;
    }
    if (finish == "CONTENT_FILTERED") {
      v = InvalidResponse(
          "finish_reason CONTENT_FILTERED: the output violated the content moderation policy "
          "and was blurred",
          secrets);
    } else if (finish == "ERROR") {
      v.status = CheckStatus::kServerError;
      v.error = "finish_reason ERROR";
    } else {
      v = InvalidResponse(fmt::format("finish_reason {}", finish), secrets);
    }
    return true;
  }

  Verdict InterpretJson(const net::Response& response, Secrets secrets) const {
    auto body = ParseJson(response.body);
    if (!body) {
      return InvalidResponse("response is not JSON", secrets);
    }
    if (Verdict v; Refused(StringOf(Member(&*body, "finish_reason")), v, secrets)) {
      return v;
    }
    const Json* b64 = Member(&*body, "image");
    if (b64 == nullptr || !b64->is_string()) {
      return InvalidResponse("no image in response", secrets);
    }
    Result<ImageInfo> image = DecodeImageBase64(StringOf(b64), &response);
    if (!image.has_value()) {
      return InvalidResponse("image: " + image.error().message(), secrets);
    }
    Verdict v;
    v.image = *image;
    return v;
  }

  // Status first, then `name`: 403 is content_moderation or a permission.
  Verdict InterpretError(const net::Response& response, Secrets secrets) const {
    auto body = ParseJson(response.body);
    std::optional<ProviderError> e = body ? ParseStabilityError(*body) : std::nullopt;
    if (!e) {
      return ClassifyHttpError(response, secrets);
    }
    Verdict v;
    if (e->code_text == "content_moderation" || e->code_text == "public_figure") {
      v.status = CheckStatus::kInvalidResponse;  // content outcome, as for the other kinds
    } else if (e->code_text == "payment_required") {
      v.status = CheckStatus::kQuotaExhausted;
    } else {
      v.status = ClassifyHttpStatus(response.http_status, &*e);
    }
    v.error = CleanErrorText(e->Describe(), secrets);
    v.retry_after = FindRetryAfter(response, &*e);
    return v;
  }

  // The request never changes: composed once, copied for each check.
  net::Request Compose() const {
    net::Request r =
        MonitorRequest(m_, "POST",
                       JoinUrl(m_.base_url, kDefaultBase, "",
                               fmt::format("/v2beta/stable-image/generate/{}", m_.endpoint)));
    r.keep_bytes = kImageKeepBytes;
    r.headers = {{"Authorization", "Bearer " + m_.api_key.reveal()},
                 {"Accept", m_.accept_json ? "application/json" : "image/*"},
                 {"Content-Type", fmt::format("multipart/form-data; boundary={}", kBoundary)}};
    std::string body;
    AddField(body, "prompt", m_.prompt);
    if (m_.endpoint == "sd3") {
      AddField(body, "model", m_.model.empty() ? kDefaultSd3Model : std::string_view(m_.model));
    }
    if (!m_.aspect_ratio.empty()) {
      AddField(body, "aspect_ratio", m_.aspect_ratio);
    }
    AddField(body, "output_format", "png");
    body += fmt::format("--{}--\r\n", kBoundary);
    r.body = std::move(body);
    return r;
  }

  const config::Monitor m_;
  const net::Request request_;
};

}  // namespace

Result<ProbePtr> MakeStabilityProbe(const config::Monitor& monitor) {
  if (Status s = RequireFields(monitor, {"prompt", "api_key"}); !s.ok()) {
    return s;
  }
  config::Monitor m = monitor;
  if (m.endpoint.empty()) {
    m.endpoint = "sd3";
  }
  return ProbePtr(std::make_unique<StabilityProbe>(m));
}

}  // namespace modelwatch::probe
