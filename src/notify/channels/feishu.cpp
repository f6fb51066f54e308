// Feishu / Lark custom bot: an interactive card (header coloured by level,
// body in lark_md) or plain text; optional signature (签名校验).
#include <fmt/format.h>

#include <array>

#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/signing.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

// Far below the ~150 KiB message limit: a card this long is unreadable anyway.
constexpr size_t kCardBytes = 24 * 1024;
constexpr size_t kTitleBytes = 200;

class FeishuChannel final : public WebhookChannel {
 public:
  FeishuChannel(std::string name, Secret url, Secret secret, bool card)
      : WebhookChannel(std::move(name), std::move(url), std::move(secret)), card_(card) {}

  // notify::Channel
  std::string_view kind() const override { return "feishu"; }

  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    nlohmann::json body;
    if (card_) {
      std::string text = RenderText(
          n, {.markup = Markup::kLarkMd, .max_size = kCardBytes, .with_headline = false});
      body = {{"msg_type", "interactive"},
              {"card",
               {{"config", {{"wide_screen_mode", true}}},
                {"header",
                 {{"title",
                   {{"tag", "plain_text"}, {"content", TruncateBytes(Headline(n), kTitleBytes)}}},
                  {"template", FeishuTemplate(n)}}},
                {"elements",
                 nlohmann::json::array(
                     {{{"tag", "div"}, {"text", {{"tag", "lark_md"}, {"content", text}}}}})}}}};
    } else {
      body = {{"msg_type", "text"},
              {"content",
               {{"text", RenderText(n, {.markup = Markup::kPlain, .max_size = kCardBytes})}}}};
    }
    if (!secret().empty()) {
      int64_t ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
      body["timestamp"] = std::to_string(ts);
      body["sign"] = FeishuSign(ts, secret());
    }
    return JsonPost(url().reveal(), body);
  }

  Delivery Check(const net::Response& r) const override {
    std::optional<nlohmann::json> j = JsonAnswer(r);
    if (r.error != net::TransferError::kNone || !j) {
      return Failed(r, "");
    }
    // New bots answer {"code":0,...}, older ones {"StatusCode":0,...}.
    const char* code_key = j->contains("code") ? "code" : "StatusCode";
    const char* msg_key = j->contains("code") ? "msg" : "StatusMessage";
    if (!j->contains(code_key) || !(*j)[code_key].is_number_integer()) {
      return r.http_status >= 200 && r.http_status < 300 ? Failed(r, "answer has no code")
                                                         : Failed(r, "");
    }
    int64_t code = (*j)[code_key].get<int64_t>();
    if (code == 0 && r.http_status >= 200 && r.http_status < 300) {
      return Delivered();
    }
    std::string msg = j->value(msg_key, "");
    Delivery d = Failed(r, fmt::format("code {}: {}", code, msg));
    // Sign, keyword, IP and size rejections are settings to fix; only
    // Feishu's frequency limit (HTTP 429 or code 9499) passes by itself.
    d.permanent = code != 9499 && r.http_status != 429 && r.http_status < 500;
    return d;
  }

 private:
  bool card_;
};

}  // namespace

ChannelPtr MakeFeishuChannel(const config::Scope& scope, const std::string& name,
                             const config::Node& node) {
  static constexpr std::array<std::string_view, 3> kKeys = {"url", "secret", "format"};
  static constexpr std::array<std::string_view, 2> kFormats = {"card", "text"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  std::optional<Secret> secret = ReadOptionalSecret(scope, node, "secret");
  std::optional<std::string> format = ReadOptionalEnum(scope, node, "format", kFormats, "card");
  if (scope.diag().size() != before || !url || !secret || !format) {
    return nullptr;
  }
  return std::make_unique<FeishuChannel>(name, std::move(*url), std::move(*secret),
                                         *format == "card");
}

}  // namespace modelwatch::notify
