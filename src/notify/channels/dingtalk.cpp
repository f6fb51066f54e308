// DingTalk custom robot: markdown (or text) message; optional signature
// appended to the URL. Keyword security works as the message names the
// monitor, its status and "modelwatch"-style words the user picks from.
#include <fmt/format.h>

#include <array>

#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/signing.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kTextBytes = 16 * 1024;
constexpr size_t kTitleBytes = 100;

class DingTalkChannel final : public WebhookChannel {
 public:
  DingTalkChannel(std::string name, Secret url, Secret secret, bool markdown)
      : WebhookChannel(std::move(name), std::move(url), std::move(secret)), markdown_(markdown) {}

  // notify::Channel
  std::string_view kind() const override { return "dingtalk"; }
  RateLimit rate_limit() const override { return {20, std::chrono::milliseconds(60'000)}; }

  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    nlohmann::json body;
    if (markdown_) {
      std::string text =
          "#### " + RenderText(n, {.markup = Markup::kDingTalk, .max_size = kTextBytes});
      body = {{"msgtype", "markdown"},
              {"markdown", {{"title", TruncateBytes(Headline(n), kTitleBytes)}, {"text", text}}}};
    } else {
      body = {{"msgtype", "text"},
              {"text", {{"content", RenderText(n, {.max_size = kTextBytes})}}}};
    }
    std::string target = url().reveal();
    if (!secret().empty()) {
      int64_t ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
      target +=
          fmt::format("{}timestamp={}&sign={}", target.find('?') == std::string::npos ? '?' : '&',
                      ms, PercentEncode(DingTalkSign(ms, secret())));
    }
    return JsonPost(std::move(target), body);
  }

  Delivery Check(const net::Response& r) const override {
    std::optional<nlohmann::json> j = JsonAnswer(r);
    if (r.error != net::TransferError::kNone || !j || !j->contains("errcode") ||
        !(*j)["errcode"].is_number_integer()) {
      return Failed(r, "");
    }
    int64_t code = (*j)["errcode"].get<int64_t>();
    if (code == 0 && r.http_status >= 200 && r.http_status < 300) {
      return Delivered();
    }
    std::string msg = j->value("errmsg", "");
    Delivery d = Failed(r, fmt::format("errcode {}: {}", code, msg));
    // 310000 is a security setting (keyword, signature, timestamp, IP
    // whitelist); 130101 is the 20 messages/minute limit, which throttles
    // the robot for 10 minutes.
    if (code == 130101 || r.http_status == 429) {
      d.permanent = false;
      d.retry_after = d.retry_after.value_or(std::chrono::milliseconds(600'000));
    } else {
      d.permanent = r.http_status < 500;
    }
    return d;
  }

 private:
  bool markdown_;
};

}  // namespace

ChannelPtr MakeDingTalkChannel(const config::Scope& scope, const std::string& name,
                               const config::Node& node) {
  static constexpr std::array<std::string_view, 3> kKeys = {"url", "secret", "format"};
  static constexpr std::array<std::string_view, 2> kFormats = {"markdown", "text"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  std::optional<Secret> secret = ReadOptionalSecret(scope, node, "secret");
  std::optional<std::string> format = ReadOptionalEnum(scope, node, "format", kFormats, "markdown");
  if (scope.diag().size() != before || !url || !secret || !format) {
    return nullptr;
  }
  return std::make_unique<DingTalkChannel>(name, std::move(*url), std::move(*secret),
                                           *format == "markdown");
}

}  // namespace modelwatch::notify
