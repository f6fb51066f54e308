#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/diagnostics.h"
#include "config/node.h"
#include "core/secret.h"

namespace modelwatch::notify {

// Readers every channel factory uses for its config entry. Each reports a
// problem through `scope` at the value's FILE:LINE:COL and gives nullopt;
// no message ever holds a secret's text.

// Reports unknown keys (with did-you-mean) of a channel entry; `kind` and
// `templates` are always allowed.
void CheckChannelKeys(const config::Scope& scope, const config::Node& node,
                      std::span<const std::string_view> keys);

// A required http(s) URL holding a token (`key`, default "url"): a Secret.
// "missing url" is reported at the entry when it is absent.
std::optional<Secret> ReadSecretUrl(const config::Scope& scope, const config::Node& node,
                                    std::string_view key = "url");

// An optional http(s) URL that is not secret (e.g. a Lark or proxy base).
std::optional<std::string> ReadOptionalUrl(const config::Scope& scope, const config::Node& node,
                                           std::string_view key);

// An optional secret (`secret`, `routing_key`, ...); an empty Secret when
// the key is absent. `required` reports its absence.
std::optional<Secret> ReadOptionalSecret(const config::Scope& scope, const config::Node& node,
                                         std::string_view key, bool required = false);

// An optional plain string; `fallback` when absent.
std::optional<std::string> ReadOptionalString(const config::Scope& scope, const config::Node& node,
                                              std::string_view key, std::string fallback);

// An optional one-of; `fallback` when absent.
std::optional<std::string> ReadOptionalEnum(const config::Scope& scope, const config::Node& node,
                                            std::string_view key,
                                            std::span<const std::string_view> allowed,
                                            std::string fallback);

}  // namespace modelwatch::notify
