// Prometheus Alertmanager API v2: POST {url}/api/v2/alerts with one alert
// per item. Labels (alertname, monitor, rule, severity, provider, model)
// stay the same from firing to resolved, so the resolve ends the same alert:
// its endsAt is now. A firing alert ends in 24 h unless re-posted (a repeat
// notice does), so a lost resolve does not page for ever.
#include <array>
#include <cctype>

#include "core/check_result.h"
#include "notify/channel_config.h"
#include "notify/render.h"
#include "notify/webhook_channel.h"

namespace modelwatch::notify {
namespace {

constexpr std::chrono::hours kFiringTtl{24};

// "consecutive_failures" -> "ModelwatchConsecutiveFailures".
std::string AlertName(std::string_view rule) {
  std::string out = "Modelwatch";
  bool upper = true;
  for (char c : rule) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out == "Modelwatch" ? "ModelwatchAlert" : out;
}

class AlertmanagerChannel final : public WebhookChannel {
 public:
  AlertmanagerChannel(std::string name, Secret url)
      : WebhookChannel(std::move(name), std::move(url), Secret()) {}

  // notify::Channel
  std::string_view kind() const override { return "alertmanager"; }

  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    nlohmann::json alerts = nlohmann::json::array();
    for (const AlertItem& a : n.items) {
      nlohmann::json labels = {{"alertname", AlertName(a.rule)},
                               {"severity", std::string(ToString(a.level))}};
      for (auto [key, value] : {std::pair{"monitor", &a.monitor}, std::pair{"rule", &a.rule},
                                std::pair{"provider", &a.provider}, std::pair{"model", &a.model}}) {
        if (std::string v = SanitizeUtf8(*value); !v.empty()) {
          labels[key] = v;
        }
      }
      Notification one = n;
      one.title.clear();
      one.items = {a};
      one.level = a.level;
      nlohmann::json annotations = {{"summary", Headline(one)},
                                    {"description", RenderText(one, {.with_headline = false})}};
      if (!a.error.empty()) {
        annotations["error"] = ShownError(a.error);
      }
      WallTime start = a.since.time_since_epoch().count() > 0 ? a.since : n.created;
      bool ended = a.event == AlertEventKind::kResolved || a.event == AlertEventKind::kStable ||
                   a.event == AlertEventKind::kHostNetworkOk ||
                   a.event == AlertEventKind::kBudgetOk;
      nlohmann::json alert = {{"labels", labels},
                              {"annotations", annotations},
                              {"startsAt", FormatIso8601(start)},
                              {"endsAt", FormatIso8601(ended ? now : now + kFiringTtl)}};
      if (!n.dashboard_url.empty()) {
        alert["generatorURL"] = SanitizeUtf8(n.dashboard_url);
      }
      alerts.push_back(std::move(alert));
    }
    return JsonPost(url().reveal() + "/api/v2/alerts", alerts);
  }

  Delivery Check(const net::Response& r) const override { return CheckHttp2xx(r); }
};

}  // namespace

ChannelPtr MakeAlertmanagerChannel(const config::Scope& scope, const std::string& name,
                                   const config::Node& node) {
  static constexpr std::array<std::string_view, 1> kKeys = {"url"};
  size_t before = scope.diag().size();
  CheckChannelKeys(scope, node, kKeys);
  // Secret: an Alertmanager URL may carry basic-auth credentials.
  std::optional<Secret> url = ReadSecretUrl(scope, node);
  if (scope.diag().size() != before || !url) {
    return nullptr;
  }
  std::string base = url->reveal();
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return std::make_unique<AlertmanagerChannel>(name, Secret(std::move(base)));
}

}  // namespace modelwatch::notify
