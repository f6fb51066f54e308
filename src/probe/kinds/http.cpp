// Probe kind `http`: any request, judged by conditions on the status code,
// the latency and JSON body paths (probe/condition.h).
#include <fmt/format.h>

#include <vector>

#include "probe/classify.h"
#include "probe/condition.h"
#include "probe/error_text.h"
#include "probe/json_body.h"
#include "probe/monitor_request.h"
#include "probe/probe.h"

namespace modelwatch::probe {
namespace {

class HttpProbe final : public Probe {
 public:
  HttpProbe(const config::Monitor& m, std::vector<Condition> conditions)
      : m_(m), conditions_(std::move(conditions)) {
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

 private:
  const config::Monitor m_;
  const std::vector<Condition> conditions_;
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
  return ProbePtr(std::make_unique<HttpProbe>(monitor, std::move(conditions)));
}

}  // namespace modelwatch::probe
