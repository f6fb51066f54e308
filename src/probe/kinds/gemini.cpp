// Probe kind `gemini`: generateContent with image output on the Gemini API
// (formats/gemini.md), e.g. gemini-3-pro-image ("Nano Banana Pro").
#include <fmt/format.h>

#include <algorithm>

#include "probe/classify.h"
#include "probe/image_data.h"
#include "probe/kinds/gemini_content.h"
#include "probe/light.h"
#include "probe/monitor_request.h"
#include "probe/probe.h"

namespace modelwatch::probe {
namespace {

constexpr std::string_view kDefaultBase = "https://generativelanguage.googleapis.com";

class GeminiProbe final : public Probe {
 public:
  explicit GeminiProbe(const config::Monitor& m) : m_(m), request_(Compose()) {}

  // Probe
  net::Request BuildRequest() const override { return request_; }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    return InterpretGenerateContent(response, secrets);
  }

  // GET /v1beta/models/{model}: free, and 404 NOT_FOUND once the model is gone.
  std::optional<net::Request> BuildLightRequest() const override {
    return LightRequest(m_,
                        JoinUrl(m_.base_url, kDefaultBase, "/v1beta",
                                fmt::format("/models/{}", PercentEncode(BareModel()))),
                        {{"x-goog-api-key", m_.api_key.reveal()}});
  }

  Verdict InterpretLight(const net::Response& response,
                         std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    return InterpretLightAnswer(response, secrets, [](const Json& body) -> std::string {
      if (StringOf(Member(&body, "name")).empty()) {
        return "the model's metadata has no name";
      }
      const Json* methods = Member(&body, "supportedGenerationMethods");
      if (methods != nullptr && methods->is_array() &&
          std::find(methods->begin(), methods->end(), Json("generateContent")) == methods->end()) {
        return "the model does not list generateContent among its methods";
      }
      return "";
    });
  }

 private:
  // The request never changes: composed once, copied for each check.
  std::string_view BareModel() const {
    std::string_view model = m_.model;
    if (model.starts_with("models/")) {  // as the models list spells them
      model.remove_prefix(7);
    }
    return model;
  }

  net::Request Compose() const {
    std::string_view model = BareModel();
    net::Request r = MonitorRequest(m_, "POST",
                                    JoinUrl(m_.base_url, kDefaultBase, "/v1beta",
                                            fmt::format("/models/{}:generateContent", model)));
    r.headers = {{"x-goog-api-key", m_.api_key.reveal()}, {"Content-Type", "application/json"}};
    r.keep_bytes = kImageKeepBytes;
    r.body = GenerateContentBody(m_, /*with_role=*/false);
    return r;
  }

  const config::Monitor m_;
  const net::Request request_;
};

}  // namespace

Result<ProbePtr> MakeGeminiProbe(const config::Monitor& monitor) {
  return MakeImageProbe<GeminiProbe>(monitor);
}

}  // namespace modelwatch::probe
