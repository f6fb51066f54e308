// Discord webhook: one embed (title, description, colour by level), no
// mentions. 204 (or 200 with ?wait=true) is success; 429 says retry_after.
#include <array>

#include "core/check_result.h"
#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kTitleChars = 256;
constexpr size_t kDescriptionChars = 2000;

class DiscordChannel final : public WebhookChannel {
 public:
  DiscordChannel(std::string name, Secret url, std::string username)
      : WebhookChannel(std::move(name), std::move(url), Secret()), username_(std::move(username)) {}

  // notify::Channel
  std::string_view kind() const override { return "discord"; }

  Result<net::Request> Render(const Notification& n, WallTime) const override {
    nlohmann::json embed = {{"title", TruncateUtf16(Headline(n), kTitleChars)},
                            {"description", RenderText(n, {.markup = Markup::kCommonMark,
                                                           .max_size = kDescriptionChars,
                                                           .utf16 = true,
                                                           .with_headline = false})},
                            {"color", ColorInt(n)},
                            {"timestamp", FormatIso8601(n.created)}};
    if (!n.dashboard_url.empty()) {
      embed["url"] = SanitizeUtf8(n.dashboard_url);
    }
    nlohmann::json body = {{"username", username_},
                           {"allowed_mentions", {{"parse", nlohmann::json::array()}}},
                           {"embeds", nlohmann::json::array({embed})}};
    return JsonPost(url().reveal(), body);
  }

  Delivery Check(const net::Response& r) const override {
    if (r.error == net::TransferError::kNone && (r.http_status == 204 || r.http_status == 200)) {
      return Delivered();
    }
    std::optional<std::chrono::milliseconds> wait;
    std::string why;
    if (std::optional<nlohmann::json> j = JsonAnswer(r)) {
      if (j->contains("retry_after") && (*j)["retry_after"].is_number()) {
        wait = std::chrono::milliseconds(
            static_cast<int64_t>((*j)["retry_after"].get<double>() * 1000.0 + 0.999));
      }
      why = j->value("message", "");
      if (j->contains("code") && (*j)["code"].is_number_integer()) {
        why += " (code " + std::to_string((*j)["code"].get<int64_t>()) + ")";
      }
    }
    return Failed(r, why, wait);
  }

 private:
  std::string username_;
};

}  // namespace

ChannelPtr MakeDiscordChannel(const config::Scope& scope, const std::string& name,
                              const config::Node& node) {
  static constexpr std::array<std::string_view, 2> kKeys = {"url", "username"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  std::optional<std::string> username = ReadOptionalString(scope, node, "username", "modelwatch");
  if (scope.diag().size() != before || !url || !username) {
    return nullptr;
  }
  return std::make_unique<DiscordChannel>(name, std::move(*url), std::move(*username));
}

}  // namespace modelwatch::notify
