#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 4> kKeys = {"listen", "admin_token", "title", "enabled"};

}  // namespace

std::optional<std::pair<std::string, int>> ParseListen(std::string_view listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view host = listen.substr(0, colon);
  std::string_view port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // a bare IPv6 address needs brackets
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return std::nullopt;
  }
  if (host.empty()) {
    host = "0.0.0.0";
  }
  for (char c : host) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
    if (!ok) {
      return std::nullopt;
    }
  }
  return std::pair{std::string(host), port};
}

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

Web ParseWeb(const Scope& parent, const Node& entry) {
  Web w;
  w.mark = entry.mark;
  if (!ExpectMap(parent, entry)) {
    return w;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kKeys);
  if (const Node* n = entry.Find("enabled")) {
    w.enabled = ReadBool(scope, *n).value_or(w.enabled);
  }
  if (const Node* n = entry.Find("listen")) {
    if (auto v = ReadString(scope, *n)) {
      if (auto parsed = ParseListen(*v)) {
        w.listen = *v;
        w.host = parsed->first;
        w.port = parsed->second;
      } else {
        scope.Child("listen").Error(
            n->mark, fmt::format("\"{}\" is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080 or "
                                 ":8080 for every interface)",
                                 *v));
      }
    }
  }
  if (const Node* n = entry.Find("admin_token")) {
    if (auto v = ReadSecret(scope, *n)) {
      if (!v->empty() && v->reveal().size() < 16) {
        scope.Child("admin_token").Error(n->mark, "is too short (at least 16 characters)");
      } else {
        w.admin_token = *v;
      }
    }
  }
  if (const Node* n = entry.Find("title")) {
    if (auto v = ReadString(scope, *n)) {
      if (v->empty()) {
        scope.Child("title").Error(n->mark, "must not be empty");
      } else {
        w.title = *v;
      }
    }
  }
  if (w.enabled && !IsLoopbackHost(w.host) && w.admin_token.empty()) {
    w.warning = fmt::format(
        "{}: web: listening on {} beyond loopback without admin_token: the dashboard, API and "
        "/metrics are readable by anyone who can reach it, and the admin API is disabled",
        w.mark.ToString(), w.listen);
  }
  return w;
}

}  // namespace modelwatch::config
