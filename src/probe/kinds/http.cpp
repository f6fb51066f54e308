// Probe kind `http`: any request, judged by conditions on the status code,
// the latency and JSON body paths (probe/condition.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "probe/classify.h"
#include "probe/condition.h"
#include "probe/error_text.h"
#include "probe/json_body.h"
#include "probe/json_path.h"
#include "probe/monitor_request.h"
#include "probe/probe.h"

namespace modelwatch::probe {
namespace {

// A `poll:` block: where the job is polled and when it is done.
struct PollSpec {
  std::optional<JsonPath> url_path;  // body.polling_url; nullopt: `url` is a fixed URL
  std::string url;
  std::optional<Condition> until;
  config::Poll policy;
};

class HttpProbe final : public Probe {
 public:
  HttpProbe(const config::Monitor& m, std::vector<Condition> conditions,
            std::optional<PollSpec> poll)
      : m_(m), conditions_(std::move(conditions)), poll_(std::move(poll)) {
    for (const Condition& c : conditions_) {
      needs_body_ = needs_body_ || c.reads_body();
    }
    secrets_.push_back(&m_.api_key);
    for (const auto& [name, value] : m_.headers) {
      secrets_.push_back(&value);
    }
  }
  // secrets_ points into m_.
  HttpProbe(const HttpProbe&) = delete;
  HttpProbe& operator=(const HttpProbe&) = delete;

  // Probe
  net::Request BuildRequest() const override {
    net::Request r = MonitorRequest(m_, m_.method.empty() ? "GET" : m_.method, m_.url);
    for (const auto& [name, value] : m_.headers) {
      r.headers.emplace_back(name, value.reveal());
    }
    r.body = m_.body;
    return r;
  }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    if (poll_ && step > 0) {
      return InterpretPoll(response, step, elapsed);
    }
    Verdict first = InterpretFirst(response, elapsed);
    if (!poll_ || first.status != CheckStatus::kSuccess) {
      return first;
    }
    std::string url = poll_->url;
    if (poll_->url_path) {
      std::optional<Json> body = ParseJson(response.body);
      const Json* at = body ? poll_->url_path->Find(*body) : nullptr;
      url = std::string(StringOf(at));
      if (!url.starts_with("http://") && !url.starts_with("https://")) {
        return InvalidResponse(fmt::format("poll url {}: no http(s) URL in the answer", poll_->url),
                               secrets_);
      }
    }
    // The job API's own key goes along: the poll URL is its status endpoint.
    Verdict v;
    v.next = BuildRequest();
    v.next->method = "GET";
    v.next->body.clear();
    v.next->url = std::move(url);
    v.next_after = poll_->policy.every;
    v.next_phase = NextPhase::kPoll;
    v.progress = "submitted";
    return v;
  }

 private:
  Verdict InterpretPoll(const net::Response& response, int step,
                        std::chrono::milliseconds elapsed) const {
    if (!IsHttpSuccess(response.http_status)) {
      Verdict v = ClassifyHttpError(response, secrets_);
      v.error = "polling: " + v.error;
      return v;
    }
    std::optional<Json> body = ParseJson(response.body);
    ConditionInput in{response.http_status, elapsed, body ? &*body : nullptr};
    if (!poll_->until->Check(in)) {
      return Verdict{};
    }
    Verdict v;
    v.repeat = true;
    double ms = static_cast<double>(poll_->policy.every.count()) *
                std::pow(poll_->policy.backoff, step - 1);
    v.next_after = std::min(poll_->policy.max_every,
                            std::chrono::milliseconds(static_cast<int64_t>(std::min(ms, 1e9))));
    v.next_phase = NextPhase::kPoll;
    if (body) {
      v.progress = std::string(StringOf(Member(&*body, "status"), "unfinished"));
    }
    return v;
  }

  Verdict InterpretFirst(const net::Response& response, std::chrono::milliseconds elapsed) const {
    // Without conditions a monitor asks only that the URL answers 2xx.
    if (conditions_.empty()) {
      return IsHttpSuccess(response.http_status) ? Verdict{}
                                                 : ClassifyHttpError(response, secrets_);
    }
    std::optional<Json> body;
    if (needs_body_) {
      body = ParseJson(response.body);
    }
    ConditionInput in{response.http_status, elapsed, body ? &*body : nullptr};
    for (const Condition& c : conditions_) {
      std::optional<std::string> failed = c.Check(in);
      if (!failed) {
        continue;
      }
      std::string why = fmt::format("condition \"{}\" failed: {}", c.text(), *failed);
      // An error status is explained best by the usual HTTP classification
      // (auth, rate limit, server...); anything else that misses its
      // conditions is an answer we cannot use.
      if (response.http_status >= 400 && response.http_status < 600) {
        Verdict v = ClassifyHttpError(response, secrets_);
        v.error = CleanErrorText(why + "; " + v.error, secrets_);
        return v;
      }
      return InvalidResponse(why, secrets_);
    }
    return Verdict{};
  }

  const config::Monitor m_;
  const std::vector<Condition> conditions_;
  const std::optional<PollSpec> poll_;
  bool needs_body_ = false;
  std::vector<const Secret*> secrets_;
};

}  // namespace

Result<ProbePtr> MakeHttpProbe(const config::Monitor& monitor) {
  if (Status s = RequireFields(monitor, {"url"}); !s.ok()) {
    return s;
  }
  if (!monitor.url.starts_with("http://") && !monitor.url.starts_with("https://")) {
    return Status::InvalidArgument(fmt::format("url must start with http:// or https://"));
  }
  // Every bad condition is reported at once, each with where it was written.
  std::vector<Condition> conditions;
  std::string problems;
  for (const config::Condition& c : monitor.conditions) {
    Result<Condition> parsed = Condition::Parse(c.text);
    if (parsed.has_value()) {
      conditions.push_back(std::move(*parsed));
      continue;
    }
    if (!problems.empty()) {
      problems += "; ";
    }
    problems += fmt::format("condition \"{}\"", c.text);
    if (!c.mark.file.empty()) {
      problems += fmt::format(" ({}:{}:{})", c.mark.file, c.mark.line, c.mark.col);
    }
    problems += ": " + parsed.error().message();
  }
  if (!problems.empty()) {
    return Status::InvalidArgument(problems);
  }
  std::optional<PollSpec> poll;
  if (monitor.poll) {
    poll = PollSpec{};
    poll->policy = *monitor.poll;
    if (monitor.poll->url.starts_with("body")) {
      Result<JsonPath> path = JsonPath::Parse(std::string_view(monitor.poll->url).substr(4));
      if (!path.has_value()) {
        return Status::InvalidArgument(
            fmt::format("poll url \"{}\": {}", monitor.poll->url, path.error().message()));
      }
      poll->url_path = std::move(*path);
    } else {
      poll->url = monitor.poll->url;
    }
    Result<Condition> until = Condition::Parse(monitor.poll->until);
    if (!until.has_value()) {
      return Status::InvalidArgument(
          fmt::format("poll until \"{}\": {}", monitor.poll->until, until.error().message()));
    }
    poll->until = std::move(*until);
  }
  return ProbePtr(std::make_unique<HttpProbe>(monitor, std::move(conditions), std::move(poll)));
}

}  // namespace modelwatch::probe
