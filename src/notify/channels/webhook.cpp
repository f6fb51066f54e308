// Generic webhook: the Notification as JSON (plus its headline and text),
// optionally signed: X-Modelwatch-Timestamp and X-Modelwatch-Signature
// "sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>". Extra
// headers (their values are secrets) may carry a bearer token.
#include <array>
#include <utility>
#include <vector>

#include "config/fields.h"
#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/signing.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

class GenericWebhookChannel final : public WebhookChannel {
 public:
  GenericWebhookChannel(std::string name, Secret url, Secret secret,
                        std::vector<std::pair<std::string, Secret>> headers)
      : WebhookChannel(std::move(name), std::move(url), std::move(secret)),
        headers_(std::move(headers)) {}

  // notify::Channel
  std::string_view kind() const override { return "webhook"; }

  std::vector<const Secret*> secrets() const override {
    std::vector<const Secret*> out = WebhookChannel::secrets();
    for (const auto& [name, value] : headers_) {
      out.push_back(&value);
    }
    return out;
  }

  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    // Receivers store this (a NUL breaks PostgreSQL's jsonb): the error is
    // made valid UTF-8 without controls, at most 4 KiB.
    Notification clean = n;
    for (AlertItem& a : clean.items) {
      a.error = TruncateBytes(SanitizeUtf8(a.error), 4096);
    }
    nlohmann::json body = ToJson(clean);
    body.erase("templates");  // how the text was made, not part of the message
    body["headline"] = Headline(n);
    body["text"] = RenderText(n, {.with_headline = false});
    body["recovery"] = IsRecovery(n);
    net::Request req = JsonPost(url().reveal(), body);
    req.headers.emplace_back("User-Agent", "modelwatch");
    int64_t ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    req.headers.emplace_back("X-Modelwatch-Timestamp", std::to_string(ts));
    if (!secret().empty()) {
      req.headers.emplace_back("X-Modelwatch-Signature", WebhookSignature(ts, req.body, secret()));
    }
    for (const auto& [name, value] : headers_) {
      req.headers.emplace_back(name, value.reveal());
    }
    return req;
  }

  Delivery Check(const net::Response& r) const override { return CheckHttp2xx(r); }

 private:
  std::vector<std::pair<std::string, Secret>> headers_;
};

bool IsHeaderName(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

ChannelPtr MakeWebhookChannel(const config::Scope& scope, const std::string& name,
                              const config::Node& node) {
  static constexpr std::array<std::string_view, 3> kKeys = {"url", "secret", "headers"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  std::optional<Secret> secret = ReadOptionalSecret(scope, node, "secret");
  std::vector<std::pair<std::string, Secret>> headers;
  if (const config::Node* h = node.Find("headers"); h && config::ExpectMap(scope, *h)) {
    config::Scope hs = scope.Child("headers");
    config::CheckRepeatedKeys(hs, *h);
    for (const config::Node& e : h->items) {
      if (!IsHeaderName(e.key)) {
        hs.Error(e.key_mark, "\"" + e.key + "\" is not a header name");
        continue;
      }
      if (std::optional<Secret> v = config::ReadSecret(hs, e)) {
        headers.emplace_back(e.key, std::move(*v));
      }
    }
  }
  if (scope.diag().size() != before || !url || !secret) {
    return nullptr;
  }
  return std::make_unique<GenericWebhookChannel>(name, std::move(*url), std::move(*secret),
                                                 std::move(headers));
}

}  // namespace modelwatch::notify
