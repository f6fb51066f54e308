#include <fmt/format.h>

#include <array>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 3> kKeys = {"base_url", "api_key", "tls"};

}  // namespace

std::vector<ProviderEntry> ParseProviders(const Scope& parent, const Node& entry) {
  std::vector<ProviderEntry> out;
  if (!ExpectMap(parent, entry)) {
    return out;
  }
  CheckRepeatedKeys(parent.Child("providers"), entry);
  for (const Node& p : entry.items) {
    Scope scope(parent.diag(), fmt::format("provider \"{}\"", p.key));
    ProviderEntry pe;
    pe.provider.name = p.key;
    pe.provider.mark = p.key_mark;
    if (p.key.empty()) {
      scope.Error(p.key_mark, "a provider needs a name");
    }
    if (!p.IsMap()) {
      if (!p.interpolation_failed) {
        scope.Error(p.mark, fmt::format("must be a map with base_url and/or api_key, not {}",
                                        Describe(p.type)));
      }
      out.push_back(std::move(pe));
      continue;
    }
    CheckKeys(scope, p, kKeys);
    if (const Node* n = p.Find("base_url")) {
      pe.provider.base_url = ReadBaseUrl(scope, *n).value_or("");
    }
    if (const Node* n = p.Find("api_key")) {
      pe.has_api_key = true;
      pe.provider.api_key = ReadSecret(scope, *n).value_or(Secret());
      if (n->IsScalar() && !n->interpolation_failed && pe.provider.api_key.empty()) {
        scope.Error(n->mark, "api_key: is empty (is its environment variable set to \"\"?)");
      }
    }
    if (const Node* n = p.Find("tls")) {
      pe.provider.tls = ParseTls(scope, *n);
      pe.provider.has_tls = true;
    }
    out.push_back(std::move(pe));
  }
  return out;
}

}  // namespace modelwatch::config
