// Probe kind `flux`: Black Forest Labs' asynchronous image API
// (formats/bfl-flux.md). POST {base}/v1/{model} answers a task id and a
// polling_url; the probe polls it (the engine waits between polls, with the
// monitor's poll policy) until Ready, then fetches result.sample, a signed
// URL, without the key, and reads the image's header.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "net/redirect.h"
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

constexpr std::string_view kDefaultBase = "https://api.bfl.ai";
// Polls are steps 1, 2, ...; the fetch of the finished image is this one.
constexpr int kFetchStep = 1 << 20;

// FastAPI's {"detail": "..."} or {"detail": [{"loc": [...], "msg": "..."}]}.
std::string DetailText(const Json& body) {
  const Json* detail = Member(&body, "detail");
  if (detail == nullptr) {
    return "";
  }
  if (detail->is_string()) {
    return detail->get<std::string>();
  }
  std::string text;
  if (detail->is_array()) {
    for (const Json& d : *detail) {
      std::string loc;
      if (const Json* l = Member(&d, "loc"); l != nullptr && l->is_array()) {
        for (const Json& part : *l) {
          loc +=
              (loc.empty() ? "" : ".") + (part.is_string() ? part.get<std::string>() : part.dump());
        }
      }
      text += fmt::format("{}{}{}{}", text.empty() ? "" : "; ", loc, loc.empty() ? "" : ": ",
                          StringOf(Member(&d, "msg")));
    }
  }
  return text;
}

// api.bfl.ai and its regional clusters (api.eu2.bfl.ai, ...): the only hosts
// besides the configured base that may see the key.
bool IsBflApiHost(std::string_view url) {
  std::string_view rest =
      url.substr(url.find("://") == std::string_view::npos ? 0 : url.find("://") + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/:?"));
  return host.starts_with("api") && host.ends_with(".bfl.ai");
}

class FluxProbe final : public Probe {
 public:
  explicit FluxProbe(const config::Monitor& m)
      : m_(m), poll_(m.poll.value_or(config::Poll{})), request_(Compose()) {}

  // Probe
  net::Request BuildRequest() const override { return request_; }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    if (step == 0) {
      return InterpretSubmit(response, secrets);
    }
    if (step == kFetchStep) {
      return InterpretFetch(response, secrets);
    }
    return InterpretPoll(response, step, secrets);
  }

  // GET /v1/credits: the key's balance, without generating.
  std::optional<net::Request> BuildLightRequest() const override {
    return LightRequest(m_, JoinUrl(m_.base_url, kDefaultBase, "", "/v1/credits"),
                        {{"x-key", m_.api_key.reveal()}});
  }

  Verdict InterpretLight(const net::Response& response,
                         std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    if (!IsHttpSuccess(response.http_status)) {
      Verdict v = Error(response, "", secrets);
      MarkLight(v);
      return v;
    }
    return InterpretCreditsAnswer(response, secrets);
  }

 private:
  Verdict Error(const net::Response& response, std::string_view where, Secrets secrets) const {
    auto body = ParseJson(response.body);
    std::string detail = body ? DetailText(*body) : "";
    if (detail.empty()) {
      Verdict v = ClassifyHttpError(response, secrets);
      v.error = fmt::format("{}{}", where, v.error);
      return v;
    }
    ProviderError e;
    e.message = detail;
    Verdict v;
    v.status = ClassifyHttpStatus(response.http_status, &e);
    v.error =
        CleanErrorText(fmt::format("{}HTTP {}: {}", where, response.http_status, detail), secrets);
    v.retry_after = FindRetryAfter(response, &e);
    return v;
  }

  Verdict InterpretSubmit(const net::Response& response, Secrets secrets) const {
    if (!IsHttpSuccess(response.http_status)) {
      return Error(response, "", secrets);
    }
    auto body = ParseJson(response.body);
    if (!body) {
      return InvalidResponse("submit answer is not JSON", secrets);
    }
    std::string url(StringOf(Member(&*body, "polling_url")));
    if (url.empty()) {
      return InvalidResponse("no polling_url in the submit answer", secrets);
    }
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
      return InvalidResponse(fmt::format("polling_url is not an http(s) URL: {}", url), secrets);
    }
    // The key travels only to BFL's API hosts and the configured base.
    if (!IsBflApiHost(url) && net::Origin(url) != net::Origin(request_.url)) {
      return InvalidResponse(
          fmt::format("polling_url {} is not on a BFL API host; the key is not sent there", url),
          secrets);
    }
    return Poll(std::move(url), 1, poll_.every, "submitted");
  }

  Verdict Poll(std::string url, int step, std::chrono::milliseconds wait,
               std::string progress) const {
    Verdict v;
    v.next = MonitorRequest(m_, "GET", std::move(url));
    v.next->headers = {{"x-key", m_.api_key.reveal()}, {"Accept", "application/json"}};
    v.next_after = wait;
    v.next_step = step;
    v.next_phase = NextPhase::kPoll;
    v.progress = std::move(progress);
    return v;
  }

  // The wait before poll n + 1, after poll n: every * backoff^(n-1), at most max.
  std::chrono::milliseconds WaitAfter(int poll) const {
    double ms = static_cast<double>(poll_.every.count()) * std::pow(poll_.backoff, poll - 1);
    return std::min(poll_.max_every,
                    std::chrono::milliseconds(static_cast<int64_t>(std::min(ms, 1e9))));
  }

  Verdict InterpretPoll(const net::Response& response, int step, Secrets secrets) const {
    auto body = ParseJson(response.body);
    // A poll can answer 422 with a task result in its body: read it first.
    bool result_body = body && Member(&*body, "status") != nullptr;
    if (!IsHttpSuccess(response.http_status) && !result_body) {
      return Error(response, "polling: ", secrets);
    }
    if (!body) {
      return InvalidResponse("poll answer is not JSON", secrets);
    }
    std::string status(StringOf(Member(&*body, "status")));
    const Json* result = Member(&*body, "result");
    if (status == "Ready") {
      std::string sample(StringOf(Member(result, "sample")));
      if (!sample.starts_with("https://") && !sample.starts_with("http://")) {
        return InvalidResponse(sample.empty() ? "status Ready without result.sample"
                                              : "result.sample is not an http(s) URL",
                               secrets);
      }
      // A signed URL on the delivery host: no key (formats/bfl-flux.md).
      Verdict v;
      v.next = MonitorRequest(m_, "GET", std::move(sample));
      v.next->keep_bytes = kImageKeepBytes;
      v.next_step = kFetchStep;
      v.next_phase = NextPhase::kFetch;
      return v;
    }
    std::string details;
    if (const Json* d = Member(&*body, "details"); d != nullptr && !d->is_null()) {
      details = d->is_string() ? d->get<std::string>()
                               : d->dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    if (status == "Error" || status == "Failed") {
      std::string_view message =
          StringOf(Member(Member(&*body, "details"), "error"), StringOf(Member(result, "error")));
      Verdict v;
      v.status = CheckStatus::kServerError;
      v.error = CleanErrorText(message.empty() ? fmt::format("task {}", status)
                                               : fmt::format("task {}: {}", status, message),
                               secrets);
      return v;
    }
    if (status == "Content Moderated" || status == "Request Moderated") {
      // A content outcome, as for the other kinds, with the reason kept.
      return InvalidResponse(details.empty() ? status : fmt::format("{}: {}", status, details),
                             secrets);
    }
    if (status == "Task not found") {
      return InvalidResponse("Task not found (expired, or polled on the wrong cluster)", secrets);
    }
    if (status.empty()) {
      return InvalidResponse("poll answer has no status", secrets);
    }
    // Pending, Reasoning, Generating, or a state not yet documented: in
    // flight. The same poll request again, later.
    Verdict v;
    v.repeat = true;
    v.next_after = WaitAfter(step);
    v.next_step = step + 1;
    v.next_phase = NextPhase::kPoll;
    v.progress = status;
    return v;
  }

  Verdict InterpretFetch(const net::Response& response, Secrets secrets) const {
    if (!IsHttpSuccess(response.http_status)) {
      Verdict v = ClassifyHttpError(response, secrets);
      v.error = "fetching result.sample: " + v.error;
      return v;
    }
    Result<ImageInfo> image = ReadImage(response.body, response.body_bytes);
    if (!image.has_value()) {
      return InvalidResponse("result.sample: " + image.error().message(), secrets);
    }
    Verdict v;
    v.image = *image;
    return v;
  }

  net::Request Compose() const {
    net::Request r = MonitorRequest(
        m_, "POST", JoinUrl(m_.base_url, kDefaultBase, "", fmt::format("/v1/{}", m_.model)));
    r.headers = {{"x-key", m_.api_key.reveal()},
                 {"Content-Type", "application/json"},
                 {"Accept", "application/json"}};
    Json body = {{"prompt", m_.prompt}};
    if (size_t x = m_.size.find('x'); x != std::string::npos) {
      body["width"] = std::stoi(m_.size.substr(0, x));
      body["height"] = std::stoi(m_.size.substr(x + 1));
    }
    r.body = DumpJson(body);
    return r;
  }

  const config::Monitor m_;
  const config::Poll poll_;
  const net::Request request_;
};

}  // namespace

Result<ProbePtr> MakeFluxProbe(const config::Monitor& monitor) {
  return MakeImageProbe<FluxProbe>(monitor);
}

}  // namespace modelwatch::probe
