// PagerDuty Events API v2: trigger, and resolve with the same dedup_key.
// The routing key is the credential; 202 is success.
#include <array>

#include "core/check_result.h"
#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr std::string_view kEventsUrl = "https://events.pagerduty.com/v2/enqueue";

std::string_view Severity(AlertLevel l) {
  switch (l) {
    case AlertLevel::kCritical:
      return "critical";
    case AlertLevel::kWarning:
      return "warning";
    case AlertLevel::kInfo:
      return "info";
  }
  return "critical";
}

class PagerDutyChannel final : public WebhookChannel {
 public:
  PagerDutyChannel(std::string name, Secret url, Secret routing_key)
      : WebhookChannel(std::move(name), std::move(url), std::move(routing_key)) {}

  // notify::Channel
  std::string_view kind() const override { return "pagerduty"; }

  Result<net::Request> Render(const Notification& n, WallTime) const override {
    std::string dedup = SanitizeUtf8(n.dedup_key.empty() ? n.group : n.dedup_key);
    if (dedup.empty()) {
      return Status::InvalidArgument("pagerduty: the notification has no dedup_key");
    }
    dedup = TruncateBytes(dedup, 255);
    nlohmann::json body = {{"routing_key", secret().reveal()}, {"dedup_key", dedup}};
    if (IsRecovery(n)) {
      body["event_action"] = "resolve";
      return JsonPost(url().reveal(), body);
    }
    const AlertItem* first = n.items.empty() ? nullptr : &n.items[0];
    nlohmann::json details = {
        {"text", RenderText(n, {.max_size = 16 * 1024, .with_headline = false})}};
    if (first != nullptr && !first->error.empty()) {
      details["error"] = ShownError(first->error);
    }
    nlohmann::json payload = {
        {"summary", TruncateBytes(Headline(n), 1024)},
        {"source", first != nullptr && !first->monitor.empty() ? SanitizeUtf8(first->monitor)
                                                               : std::string("modelwatch")},
        {"severity", Severity(n.level)},
        {"timestamp", FormatIso8601(n.created)},
        {"custom_details", details}};
    if (first != nullptr && !first->model.empty()) {
      payload["component"] = SanitizeUtf8(first->model);
    }
    if (first != nullptr && !first->provider.empty()) {
      payload["group"] = SanitizeUtf8(first->provider);
    }
    if (first != nullptr && first->status) {
      payload["class"] = std::string(ToString(*first->status));
    }
    body["event_action"] = "trigger";
    body["payload"] = payload;
    body["client"] = "modelwatch";
    if (!n.dashboard_url.empty()) {
      body["client_url"] = SanitizeUtf8(n.dashboard_url);
    }
    nlohmann::json links = nlohmann::json::array();
    for (const AlertItem& a : n.items) {
      for (const std::string& page : a.status_pages) {
        links.push_back({{"href", SanitizeUtf8(page)}, {"text", "Status page"}});
      }
    }
    if (!links.empty()) {
      body["links"] = links;
    }
    return JsonPost(url().reveal(), body);
  }

  Delivery Check(const net::Response& r) const override {
    if (r.error == net::TransferError::kNone && r.http_status >= 200 && r.http_status < 300) {
      return Delivered();
    }
    std::string why;
    if (std::optional<nlohmann::json> j = JsonAnswer(r)) {
      why = j->value("message", "");
      if (j->contains("errors") && (*j)["errors"].is_array()) {
        for (const nlohmann::json& e : (*j)["errors"]) {
          if (e.is_string()) {
            why += (why.empty() ? "" : ": ") + e.get<std::string>();
          }
        }
      }
    }
    Delivery d = Failed(r, why);
    if (r.http_status == 429 && !d.retry_after) {
      d.retry_after = std::chrono::milliseconds(60'000);  // PagerDuty: back off for minutes
    }
    return d;
  }
};

}  // namespace

ChannelPtr MakePagerDutyChannel(const config::Scope& scope, const std::string& name,
                                const config::Node& node) {
  static constexpr std::array<std::string_view, 2> kKeys = {"routing_key", "url"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  std::optional<Secret> key = ReadOptionalSecret(scope, node, "routing_key", /*required=*/true);
  std::optional<std::string> url = ReadOptionalUrl(scope, node, "url");
  if (scope.diag().size() != before || !key || !url) {
    return nullptr;
  }
  Secret target(url->empty() ? std::string(kEventsUrl) : *url);
  return std::make_unique<PagerDutyChannel>(name, std::move(target), std::move(*key));
}

}  // namespace modelwatch::notify
