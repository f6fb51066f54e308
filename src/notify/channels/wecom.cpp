// WeCom (企业微信) group robot: markdown (≤4096 bytes) or text (≤2048
// bytes). The key in the URL is the only credential.
#include <fmt/format.h>

#include <array>

#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr size_t kMarkdownBytes = 4096;
constexpr size_t kTextBytes = 2048;

class WeComChannel final : public WebhookChannel {
 public:
  WeComChannel(std::string name, Secret url, bool markdown)
      : WebhookChannel(std::move(name), std::move(url), Secret()), markdown_(markdown) {}

  // notify::Channel
  std::string_view kind() const override { return "wecom"; }
  RateLimit rate_limit() const override { return {20, std::chrono::milliseconds(60'000)}; }

  Result<net::Request> Render(const Notification& n, WallTime) const override {
    nlohmann::json body;
    if (markdown_) {
      std::string head = fmt::format("<font color=\"{}\">{}</font>\n", WeComColor(n),
                                     Bold(Escape(Headline(n), Markup::kWeCom), Markup::kWeCom));
      if (head.size() > kMarkdownBytes / 2) {
        head = fmt::format("<font color=\"{}\">{}</font>\n", WeComColor(n),
                           Escape(TruncateBytes(Headline(n), kMarkdownBytes / 4), Markup::kWeCom));
      }
      std::string rest = RenderText(n, {.markup = Markup::kWeCom,
                                        .max_size = kMarkdownBytes - head.size(),
                                        .with_headline = false});
      body = {{"msgtype", "markdown"}, {"markdown", {{"content", head + rest}}}};
    } else {
      body = {{"msgtype", "text"},
              {"text", {{"content", RenderText(n, {.max_size = kTextBytes})}}}};
    }
    return JsonPost(url().reveal(), body);
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
    Delivery d = Failed(r, fmt::format("errcode {}: {}", code, j->value("errmsg", "")));
    if (code == 45009 || r.http_status == 429) {  // 20 messages a minute per robot
      d.permanent = false;
      d.retry_after = d.retry_after.value_or(std::chrono::milliseconds(60'000));
    } else {
      d.permanent = r.http_status < 500;  // 93000: the key is wrong
    }
    return d;
  }

 private:
  bool markdown_;
};

}  // namespace

ChannelPtr MakeWeComChannel(const config::Scope& scope, const std::string& name,
                            const config::Node& node) {
  static constexpr std::array<std::string_view, 2> kKeys = {"url", "format"};
  static constexpr std::array<std::string_view, 2> kFormats = {"markdown", "text"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  std::optional<std::string> format = ReadOptionalEnum(scope, node, "format", kFormats, "markdown");
  if (scope.diag().size() != before || !url || !format) {
    return nullptr;
  }
  return std::make_unique<WeComChannel>(name, std::move(*url), *format == "markdown");
}

}  // namespace modelwatch::notify
