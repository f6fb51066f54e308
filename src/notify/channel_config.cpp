#include "notify/channel_config.h"

#include <vector>

#include "config/fields.h"

namespace modelwatch::notify {
namespace {

bool IsHttpUrl(std::string_view v) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (v.substr(0, scheme.size()) == scheme && v.size() > scheme.size() &&
        v[scheme.size()] != '/') {
      return true;
    }
  }
  return false;
}

}  // namespace

void CheckChannelKeys(const config::Scope& scope, const config::Node& node,
                      std::span<const std::string_view> keys) {
  std::vector<std::string_view> allowed(keys.begin(), keys.end());
  allowed.push_back("kind");
  allowed.push_back("templates");  // read by BuildChannels for every kind
  config::CheckKeys(scope, node, allowed);
}

std::optional<Secret> ReadSecretUrl(const config::Scope& scope, const config::Node& node,
                                    std::string_view key) {
  const config::Node* entry = node.Find(key);
  if (entry == nullptr) {
    scope.Error(node.mark,
                "missing " + std::string(key) + " (the webhook URL, e.g. \"${HOOK_URL}\")");
    return std::nullopt;
  }
  std::optional<Secret> url = config::ReadSecret(scope, *entry);
  if (!url) {
    return std::nullopt;
  }
  if (!IsHttpUrl(url->reveal())) {
    // Never the value: it holds the token.
    scope.Child(std::string(key))
        .Error(entry->mark, "must be an http:// or https:// URL with a host");
    return std::nullopt;
  }
  return url;
}

std::optional<std::string> ReadOptionalUrl(const config::Scope& scope, const config::Node& node,
                                           std::string_view key) {
  const config::Node* entry = node.Find(key);
  if (entry == nullptr) {
    return std::string();
  }
  return config::ReadBaseUrl(scope, *entry);
}

std::optional<Secret> ReadOptionalSecret(const config::Scope& scope, const config::Node& node,
                                         std::string_view key, bool required) {
  const config::Node* entry = node.Find(key);
  if (entry == nullptr) {
    if (required) {
      scope.Error(node.mark, "missing " + std::string(key));
      return std::nullopt;
    }
    return Secret();
  }
  std::optional<Secret> s = config::ReadSecret(scope, *entry);
  if (s && s->empty()) {
    scope.Child(std::string(key)).Error(entry->mark, "is empty (is its ${VAR} set?)");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> ReadOptionalString(const config::Scope& scope, const config::Node& node,
                                              std::string_view key, std::string fallback) {
  const config::Node* entry = node.Find(key);
  if (entry == nullptr) {
    return fallback;
  }
  return config::ReadString(scope, *entry);
}

std::optional<std::string> ReadOptionalEnum(const config::Scope& scope, const config::Node& node,
                                            std::string_view key,
                                            std::span<const std::string_view> allowed,
                                            std::string fallback) {
  const config::Node* entry = node.Find(key);
  if (entry == nullptr) {
    return fallback;
  }
  return config::ReadEnum(scope, *entry, allowed);
}

}  // namespace modelwatch::notify
