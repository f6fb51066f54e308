#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"
#include "config/suggest.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 7> kMethods = {"GET",   "HEAD",   "POST",   "PUT",
                                                      "PATCH", "DELETE", "OPTIONS"};

// RFC 9110 token characters.
bool IsHeaderName(std::string_view s) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
  });
}

void ReadConditions(const Scope& scope, const Node& n, Monitor& m) {
  if (n.IsNull()) {
    return;
  }
  if (!n.IsSequence()) {
    scope.Child("conditions")
        .Error(n.mark, fmt::format("must be a list of conditions such as \"status == 200\", not {}",
                                   Describe(n.type)));
    return;
  }
  for (size_t i = 0; i < n.items.size(); ++i) {
    const Node& item = n.items[i];
    Scope at = scope.Child(fmt::format("conditions[{}]", i));
    if (item.interpolation_failed) {
      continue;
    }
    if (!item.IsScalar() || item.value.empty()) {
      at.Error(item.mark, fmt::format("must be a condition such as \"status == 200\", not {}",
                                      Describe(item.type)));
      continue;
    }
    m.conditions.push_back(Condition{item.value, item.mark});
  }
}

}  // namespace

void ReadHttpFields(const Scope& scope, const Node& node, Monitor& m) {
  if (const Node* n = node.Find("url")) {
    m.url = ReadUrl(scope, *n).value_or("");
  }
  if (const Node* n = node.Find("method")) {
    if (auto v = ReadString(scope, *n)) {
      std::string upper = *v;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (std::find(kMethods.begin(), kMethods.end(), upper) != kMethods.end()) {
        m.method = upper;
      } else {
        scope.Child("method").Error(n->mark,
                                    fmt::format("\"{}\" is not one of {}", *v, OneOf(kMethods)));
      }
    }
  }
  if (const Node* n = node.Find("headers"); n != nullptr && ExpectMap(scope, *n)) {
    Scope headers = scope.Child("headers");
    CheckRepeatedKeys(headers, *n);
    for (const Node& h : n->items) {
      if (!IsHeaderName(h.key)) {
        headers.Error(h.key_mark, fmt::format("\"{}\" is not a valid header name", h.key));
      }
      // Header values often carry keys: read as secrets, never printed.
      if (auto v = ReadSecret(headers, h)) {
        m.headers.emplace_back(h.key, std::move(*v));
      }
    }
  }
  if (const Node* n = node.Find("body")) {
    m.body = ReadString(scope, *n).value_or("");
  }
  if (const Node* n = node.Find("conditions")) {
    ReadConditions(scope, *n, m);
  }
}

}  // namespace modelwatch::config
