// Slack incoming webhook: the headline as a section block, the details in an
// attachment coloured by level. Success is the plain-text body "ok".
#include <array>

#include "core/text.h"
#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kSectionChars = 3000;  // Slack's limit for a section's text

class SlackChannel final : public WebhookChannel {
 public:
  SlackChannel(std::string name, Secret url)
      : WebhookChannel(std::move(name), std::move(url), Secret()) {}

  // notify::Channel
  std::string_view kind() const override { return "slack"; }

  Result<net::Request> Render(const Notification& n, WallTime) const override {
    std::string headline = TruncateUtf16(Headline(n), 300);
    std::string details = RenderText(n, {.markup = Markup::kSlack,
                                         .max_size = kSectionChars,
                                         .utf16 = true,
                                         .with_headline = false});
    nlohmann::json body = {
        {"text", Escape(headline, Markup::kSlack)},
        {"blocks", nlohmann::json::array(
                       {{{"type", "section"},
                         {"text",
                          {{"type", "mrkdwn"},
                           {"text", Bold(Escape(headline, Markup::kSlack), Markup::kSlack)}}}}})},
        {"attachments", nlohmann::json::array({{{"color", ColorHex(n)},
                                                {"fallback", Escape(headline, Markup::kSlack)},
                                                {"text", details},
                                                {"mrkdwn_in", nlohmann::json::array({"text"})}}})}};
    return JsonPost(url().reveal(), body);
  }

  Delivery Check(const net::Response& r) const override {
    if (r.error == net::TransferError::kNone && r.http_status == 200 && TrimSpace(r.body) == "ok") {
      return Delivered();
    }
    return Failed(r, "");
  }
};

}  // namespace

ChannelPtr MakeSlackChannel(const config::Scope& scope, const std::string& name,
                            const config::Node& node) {
  static constexpr std::array<std::string_view, 1> kKeys = {"url"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  if (scope.diag().size() != before || !url) {
    return nullptr;
  }
  return std::make_unique<SlackChannel>(name, std::move(*url));
}

}  // namespace modelwatch::notify
