// Microsoft Teams through a Workflows "send webhook alerts to a channel"
// flow: an Adaptive Card in the message wrapper. 202 is success; the URL's
// sig= parameter is a secret like the rest of it.
#include <array>

#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kTextBytes = 20 * 1024;

class TeamsChannel final : public WebhookChannel {
 public:
  TeamsChannel(std::string name, Secret url)
      : WebhookChannel(std::move(name), std::move(url), Secret()) {}

  // notify::Channel
  std::string_view kind() const override { return "teams"; }

  Result<net::Request> Render(const Notification& n, WallTime) const override {
    nlohmann::json blocks = nlohmann::json::array();
    blocks.push_back({{"type", "TextBlock"},
                      {"text", Escape(TruncateBytes(Headline(n), 500), Markup::kCommonMark)},
                      {"wrap", true},
                      {"weight", "Bolder"},
                      {"size", "Medium"},
                      {"color", TeamsColor(n)}});
    blocks.push_back({{"type", "TextBlock"},
                      {"text", RenderText(n, {.markup = Markup::kCommonMark,
                                              .max_size = kTextBytes,
                                              .with_headline = false})},
                      {"wrap", true}});
    if (n.items.size() == 1) {
      nlohmann::json facts = nlohmann::json::array();
      // The error is in the text above, escaped; FactSet values are shown as
      // written, so it is not repeated here.
      std::string_view error_label = n.language == "zh" ? "错误" : "Error";
      for (const auto& [title, value] : Facts(n.items[0], n.language)) {
        if (title == error_label) {
          continue;
        }
        facts.push_back({{"title", title}, {"value", value}});
      }
      blocks.push_back({{"type", "FactSet"}, {"facts", facts}});
    }
    nlohmann::json card = {{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                           {"type", "AdaptiveCard"},
                           {"version", "1.4"},
                           {"body", blocks}};
    if (!n.dashboard_url.empty()) {
      card["actions"] =
          nlohmann::json::array({{{"type", "Action.OpenUrl"},
                                  {"title", n.language == "zh" ? "监控面板" : "Dashboard"},
                                  {"url", SanitizeUtf8(n.dashboard_url)}}});
    }
    nlohmann::json body = {
        {"type", "message"},
        {"attachments",
         nlohmann::json::array({{{"contentType", "application/vnd.microsoft.card.adaptive"},
                                 {"contentUrl", nullptr},
                                 {"content", card}}})}};
    return JsonPost(url().reveal(), body);
  }

  Delivery Check(const net::Response& r) const override { return CheckHttp2xx(r); }
};

}  // namespace

ChannelPtr MakeTeamsChannel(const config::Scope& scope, const std::string& name,
                            const config::Node& node) {
  static constexpr std::array<std::string_view, 1> kKeys = {"url"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  if (scope.diag().size() != before || !url) {
    return nullptr;
  }
  return std::make_unique<TeamsChannel>(name, std::move(*url));
}

}  // namespace modelwatch::notify
