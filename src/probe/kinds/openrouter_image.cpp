// Probe kind `openrouter_image`: a chat completion with image output through
// OpenRouter (formats/openrouter.md).
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

constexpr std::string_view kDefaultBase = "https://openrouter.ai";

// The first image URL in message.images[] (image_url or the SDKs' camelCase
// imageUrl), else a data URL inside Markdown in `content`, which some
// gateways produce instead.
std::string_view FindImageUrl(const Json* message) {
  if (const Json* images = Member(message, "images"); images != nullptr && images->is_array()) {
    for (const Json& img : *images) {
      const Json* holder = Member(&img, "image_url");
      if (holder == nullptr) {
        holder = Member(&img, "imageUrl");
      }
      std::string_view url = holder != nullptr && holder->is_string()
                                 ? StringOf(holder)
                                 : StringOf(Member(holder, "url"));
      if (!url.empty()) {
        return url;
      }
    }
  }
  std::string_view content = StringOf(Member(message, "content"));
  size_t start = content.find("](data:image/");
  if (start == std::string_view::npos) {
    return {};
  }
  std::string_view rest = content.substr(start + 2);
  return rest.substr(0, rest.find(')'));
}

class OpenRouterImageProbe final : public Probe {
 public:
  explicit OpenRouterImageProbe(const config::Monitor& m) : m_(m), request_(Compose()) {}

  // Probe
  net::Request BuildRequest() const override { return request_; }

  // GET /api/v1/models/{author}/{slug}/endpoints: which providers serve the
  // model. That list needs no key, so this light check proves network and
  // the model, not the key (docs/cost.md); the key is sent all the same.
  std::optional<net::Request> BuildLightRequest() const override {
    std::string_view model = m_.model;
    size_t slash = model.find('/');
    std::string path = slash == std::string_view::npos
                           ? "/models/" + PercentEncode(model) + "/endpoints"
                           : "/models/" + PercentEncode(model.substr(0, slash)) + "/" +
                                 PercentEncode(model.substr(slash + 1)) + "/endpoints";
    return LightRequest(m_, JoinUrl(m_.base_url, kDefaultBase, "/api/v1", path),
                        {{"Authorization", "Bearer " + m_.api_key.reveal()}});
  }

  Verdict InterpretLight(const net::Response& response,
                         std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    Verdict v = InterpretLightAnswer(response, secrets, [](const Json& body) -> std::string {
      const Json* endpoints = Member(Member(&body, "data"), "endpoints");
      if (endpoints == nullptr || !endpoints->is_array()) {
        return "no data.endpoints in the model's endpoints list";
      }
      return "";
    });
    if (v.status == CheckStatus::kSuccess) {
      auto body = ParseJson(response.body);
      const Json* endpoints = body ? Member(Member(&*body, "data"), "endpoints") : nullptr;
      if (endpoints != nullptr && endpoints->empty()) {
        v.status = CheckStatus::kModelNotFound;  // no provider serves it any more
        v.error = "light check: no endpoints found for " + m_.model;
      }
    }
    return v;
  }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    // Once generation has started OpenRouter answers 200 and reports a
    // failure in the body, at the top or in choices[0].error.
    auto answer = ReadAnswer(response, secrets);
    if (auto* decided = std::get_if<Verdict>(&answer)) {
      return std::move(*decided);
    }
    const Json& body = std::get<Json>(answer);
    const Json* choice = Element(Member(&body, "choices"), 0);
    if (choice == nullptr) {
      return InvalidResponse("no choices[0] in response", secrets);
    }
    if (auto error = ParseProviderError(*choice)) {
      return ClassifyBodyError(response, *error, secrets);
    }
    const Json* message = Member(choice, "message");
    std::string_view url = FindImageUrl(message);
    if (!url.empty()) {
      Result<ImageInfo> image = DecodeImageDataUrl(url, &response);
      if (!image.has_value()) {
        return InvalidResponse("message.images[0]: " + image.error().message(), secrets);
      }
      Verdict v;
      v.image = *image;
      v.usage = ReadOpenRouterUsage(body);
      return v;
    }
    // A refusal: images[] is missing and the reason is in finish_reason.
    std::string why = "no image in response";
    std::string_view finish = StringOf(Member(choice, "finish_reason"));
    std::string_view native = StringOf(Member(choice, "native_finish_reason"));
    if (!native.empty() && native != "STOP" && native != "stop") {
      why = fmt::format("no image: finish_reason {} ({})", finish, native);
    } else if (!finish.empty() && finish != "stop") {
      why = fmt::format("no image: finish_reason {}", finish);
    }
    if (std::string_view text = StringOf(Member(message, "content")); !text.empty()) {
      why += fmt::format(" (model said: {})", text);
    }
    Verdict v = InvalidResponse(why, secrets);
    v.usage = ReadOpenRouterUsage(body);  // a refusal can still be billed
    return v;
  }

 private:
  // The request never changes: composed once, copied for each check.
  net::Request Compose() const {
    net::Request r = MonitorRequest(
        m_, "POST", JoinUrl(m_.base_url, kDefaultBase, "/api/v1", "/chat/completions"));
    r.keep_bytes = kImageKeepBytes;
    r.headers = {{"Authorization", "Bearer " + m_.api_key.reveal()},
                 {"Content-Type", "application/json"}};
    Json message = {{"role", "user"}, {"content", m_.prompt}};
    Json body = {{"model", m_.model},
                 {"messages", Json::array({message})},
                 {"modalities", Json::array({"image", "text"})}};
    Json image_config = Json::object();
    if (!m_.aspect_ratio.empty()) {
      image_config["aspect_ratio"] = m_.aspect_ratio;
    }
    if (!m_.size.empty()) {  // passed through to Gemini 3 models; "1K" unless set
      image_config["image_size"] = m_.size;
    }
    if (!image_config.empty()) {
      body["image_config"] = image_config;
    }
    // Usage accounting: the answer's usage then carries `cost` in USD.
    body["usage"] = {{"include", true}};
    r.body = DumpJson(body);
    return r;
  }

  const config::Monitor m_;
  const net::Request request_;
};

}  // namespace

Result<ProbePtr> MakeOpenRouterImageProbe(const config::Monitor& monitor) {
  return MakeImageProbe<OpenRouterImageProbe>(monitor);
}

}  // namespace modelwatch::probe
