// Telegram Bot API sendMessage with parse_mode HTML: every text escaped,
// ≤4096 characters. Success is {"ok":true}; flood control says retry_after.
#include <array>

#include "config/fields.h"
#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kTextChars = 4096;

class TelegramChannel final : public WebhookChannel {
 public:
  TelegramChannel(std::string name, Secret url, Secret token, std::string chat_id)
      : WebhookChannel(std::move(name), std::move(url), std::move(token)),
        chat_id_(std::move(chat_id)) {}

  // notify::Channel
  std::string_view kind() const override { return "telegram"; }

  Result<net::Request> Render(const Notification& n, WallTime) const override {
    nlohmann::json body = {
        {"chat_id", chat_id_},
        {"text", RenderText(n, {.markup = Markup::kHtml, .max_size = kTextChars, .utf16 = true})},
        {"parse_mode", "HTML"},
        {"disable_web_page_preview", true}};
    return JsonPost(url().reveal(), body);
  }

  Delivery Check(const net::Response& r) const override {
    std::optional<nlohmann::json> j = JsonAnswer(r);
    if (r.error != net::TransferError::kNone || !j) {
      return Failed(r, "");
    }
    if (j->value("ok", false) == true) {
      return Delivered();
    }
    std::optional<std::chrono::milliseconds> wait;
    if (j->contains("parameters") && (*j)["parameters"].is_object()) {
      const nlohmann::json& p = (*j)["parameters"];
      if (p.contains("retry_after") && p["retry_after"].is_number()) {
        wait = std::chrono::milliseconds(
            static_cast<int64_t>(p["retry_after"].get<double>() * 1000.0));
      }
    }
    return Failed(r, j->value("description", ""), wait);
  }

 private:
  std::string chat_id_;
};

}  // namespace

ChannelPtr MakeTelegramChannel(const config::Scope& scope, const std::string& name,
                               const config::Node& node) {
  static constexpr std::array<std::string_view, 3> kKeys = {"token", "chat_id", "api_url"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> token = ReadOptionalSecret(scope, node, "token", /*required=*/true);
  std::optional<std::string> chat_id;
  if (const config::Node* c = node.Find("chat_id")) {
    chat_id = config::ReadString(scope, *c);
  } else {
    scope.Error(node.mark, "missing chat_id (a number such as -1001234567890, or \"@channel\")");
  }
  std::optional<std::string> api = ReadOptionalUrl(scope, node, "api_url");
  if (scope.diag().size() != before || !token || !chat_id || !api) {
    return nullptr;
  }
  std::string base = api->empty() ? "https://api.telegram.org" : *api;
  Secret url(base + "/bot" + token->reveal() + "/sendMessage");
  return std::make_unique<TelegramChannel>(name, std::move(url), std::move(*token),
                                           std::move(*chat_id));
}

}  // namespace modelwatch::notify
