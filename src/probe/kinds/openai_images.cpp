// Probe kind `openai_images`: POST {base}/v1/images/generations (/v1 not
// repeated when base_url ends with it, as for every kind), the OpenAI
// Images API and the many gateways that copy it (formats/openai-images.md).
#include <fmt/format.h>

#include "probe/classify.h"
#include "probe/image_data.h"
#include "probe/json_body.h"
#include "probe/light.h"
#include "probe/monitor_request.h"
#include "probe/probe.h"
#include "probe/provider_error.h"
#include "probe/usage_block.h"

namespace modelwatch::probe {
namespace {

// With /v1, the form OpenAI's SDKs use; a base without it gets it.
constexpr std::string_view kDefaultBase = "https://api.openai.com/v1";

class OpenAiImagesProbe final : public Probe {
 public:
  explicit OpenAiImagesProbe(const config::Monitor& m) : m_(m), request_(Compose()) {}

  // Probe
  net::Request BuildRequest() const override { return request_; }

  // GET /v1/models/{model}: 200 while the key can see the model, 404
  // model_not_found otherwise.
  std::optional<net::Request> BuildLightRequest() const override {
    return LightRequest(
        m_, JoinUrl(m_.base_url, kDefaultBase, "", "/models/" + PercentEncode(m_.model)),
        {{"Authorization", "Bearer " + m_.api_key.reveal()}});
  }

  Verdict InterpretLight(const net::Response& response,
                         std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    return InterpretLightAnswer(response, secrets, [](const Json& body) -> std::string {
      return StringOf(Member(&body, "id")).empty() ? "the model's metadata has no id" : "";
    });
  }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    if (step == 1) {
      return InterpretFetch(response, secrets);
    }
    auto answer = ReadAnswer(response, secrets);
    if (auto* decided = std::get_if<Verdict>(&answer)) {
      return std::move(*decided);
    }
    const Json& body = std::get<Json>(answer);
    const Json* first = Element(Member(&body, "data"), 0);
    if (first == nullptr) {
      return InvalidResponse("no data[0] in response", secrets);
    }
    if (const Json* b64 = Member(first, "b64_json"); b64 != nullptr && b64->is_string()) {
      Result<ImageInfo> image = DecodeImageBase64(StringOf(b64), &response);
      if (!image.has_value()) {
        return InvalidResponse("data[0].b64_json: " + image.error().message(), secrets);
      }
      Verdict v;
      v.image = *image;
      v.usage = ReadOpenAiImageUsage(body);
      return v;
    }
    std::string_view url = StringOf(Member(first, "url"));
    if (url.empty()) {
      return InvalidResponse("data[0] has neither b64_json nor url", secrets);
    }
    if (!m_.fetch_url) {
      Verdict v;  // `fetch_url: false`: the user opted out of checking the image
      v.usage = ReadOpenAiImageUsage(body);
      return v;
    }
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
      return InvalidResponse(fmt::format("data[0].url is not an http(s) URL: {}", url), secrets);
    }
    if (elapsed >= m_.timeout) {
      Verdict v;
      v.status = CheckStatus::kTimeout;
      v.error = "no time left to fetch data[0].url";
      return v;
    }
    // The URL is pre-signed storage, often on another host: the API key must
    // not travel with it. The check's whole budget is the monitor's timeout.
    Verdict v;
    v.next = MonitorRequest(m_, "GET", std::string(url));
    v.next->keep_bytes = kImageKeepBytes;
    v.next->timeout = m_.timeout - elapsed;
    return v;
  }

 private:
  Verdict InterpretFetch(const net::Response& response, Secrets secrets) const {
    if (!IsHttpSuccess(response.http_status)) {
      Verdict v = ClassifyHttpError(response, secrets);
      v.error = "fetching data[0].url: " + v.error;
      return v;
    }
    Result<ImageInfo> image = ReadImage(response.body, response.body_bytes);
    if (!image.has_value()) {
      return InvalidResponse("data[0].url: " + image.error().message(), secrets);
    }
    Verdict v;
    v.image = *image;
    return v;
  }

  // The request never changes: composed once, copied for each check.
  net::Request Compose() const {
    net::Request r =
        MonitorRequest(m_, "POST", JoinUrl(m_.base_url, kDefaultBase, "/v1", "/images/generations"));
    r.keep_bytes = kImageKeepBytes;
    r.headers = {{"Authorization", "Bearer " + m_.api_key.reveal()},
                 {"Content-Type", "application/json"}};
    // No response_format: GPT image models reject it and always answer in
    // base64; dall-e answers with a URL, which fetch_url can then check.
    Json body = {{"model", m_.model}, {"prompt", m_.prompt}, {"n", 1}};
    if (!m_.size.empty()) {
      body["size"] = m_.size;
    }
    if (!m_.quality.empty()) {  // "low" for GPT image models unless set (the cheapest)
      body["quality"] = m_.quality;
    }
    r.body = DumpJson(body);
    return r;
  }

  const config::Monitor m_;
  const net::Request request_;
};

}  // namespace

Result<ProbePtr> MakeOpenAiImagesProbe(const config::Monitor& monitor) {
  return MakeImageProbe<OpenAiImagesProbe>(monitor);
}

}  // namespace modelwatch::probe
