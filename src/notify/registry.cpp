#include "notify/registry.h"

#include <fmt/format.h>

#include <vector>

#include "notify/channel_templates.h"
#include "config/fields.h"
#include "config/suggest.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {

namespace {

// The one list of channel kinds. Explicit rather than self-registering:
// static registrars vanish when linked from a static library.
constexpr ChannelKind kKinds[] = {
    {"feishu", MakeFeishuChannel},
    {"wecom", MakeWeComChannel},
    {"dingtalk", MakeDingTalkChannel},
    {"slack", MakeSlackChannel},
    {"discord", MakeDiscordChannel},
    {"telegram", MakeTelegramChannel},
    {"teams", MakeTeamsChannel},
    {"webhook", MakeWebhookChannel},
    {"pagerduty", MakePagerDutyChannel},
    {"alertmanager", MakeAlertmanagerChannel},
    {"email", MakeEmailChannel},
};

std::vector<std::string_view> KindNames() {
  std::vector<std::string_view> names;
  for (const ChannelKind& k : kKinds) {
    names.push_back(k.kind);
  }
  return names;
}

}  // namespace

std::span<const ChannelKind> ChannelKinds() { return kKinds; }

ChannelFactory FindChannelFactory(std::string_view kind) {
  for (const ChannelKind& k : kKinds) {
    if (k.kind == kind) {
      return k.make;
    }
  }
  return nullptr;
}

std::map<std::string, ChannelPtr> BuildChannels(const config::Node& section,
                                                config::Diagnostics& diag) {
  std::map<std::string, ChannelPtr> out;
  if (section.IsNull() || section.interpolation_failed) {
    return out;
  }
  config::Scope top(diag, "channels");
  if (!section.IsMap()) {
    top.Error(section.mark, fmt::format("must be a map of name -> {{kind: ..., url: ...}}, not {}",
                                        config::Describe(section.type)));
    return out;
  }
  config::CheckRepeatedKeys(top, section);
  std::vector<std::string_view> kinds = KindNames();
  for (const config::Node& entry : section.items) {
    config::Scope scope(diag, fmt::format("channels.{}", entry.key));
    if (entry.key == kLogChannelName) {
      scope.Error(entry.key_mark,
                  "\"log\" is the built-in log channel and cannot be configured; "
                  "give this channel another name");
      continue;
    }
    if (!entry.IsMap()) {
      if (!entry.interpolation_failed) {
        scope.Error(entry.mark, fmt::format("must be a map such as {{kind: slack, url: ...}}, "
                                            "not {}",
                                            config::Describe(entry.type)));
      }
      continue;
    }
    const config::Node* kind_node = entry.Find("kind");
    if (kind_node == nullptr) {
      scope.Error(entry.mark, fmt::format("missing kind (one of {})", config::OneOf(kinds)));
      continue;
    }
    std::optional<std::string> kind = config::ReadEnum(scope, *kind_node, kinds);
    if (!kind) {
      continue;
    }
    if (out.count(entry.key) != 0) {
      continue;  // repeated; reported above
    }
    config::Templates templates;
    if (const config::Node* t = entry.Find("templates")) {
      templates = config::ParseTemplates(scope, *t);
    }
    if (ChannelPtr ch = FindChannelFactory(*kind)(scope, entry.key, entry)) {
      out.emplace(entry.key, WithTemplates(std::move(ch), std::move(templates)));
    }
  }
  return out;
}

}  // namespace modelwatch::notify
