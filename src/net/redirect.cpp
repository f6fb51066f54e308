#include "net/redirect.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <array>
#include <memory>

#include "core/text.h"

namespace modelwatch::net {
namespace {

// Headers the loop or the probe kinds set that never carry a secret.
constexpr std::array<std::string_view, 10> kHarmless = {
    "content-type",  "accept",         "user-agent", "expect",       "accept-language",
    "cache-control", "content-length", "x-title",    "http-referer", "accept-encoding"};

struct UrlFree {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};

std::string UrlPart(CURLU* u, CURLUPart part, unsigned flags) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) {
    return "";
  }
  std::string s(out);
  curl_free(out);
  return s;
}

}  // namespace

bool CarriesCredentials(const Request& r) {
  for (const auto& [name, value] : r.headers) {
    std::string lower = AsciiLower(name);
    bool harmless = false;
    for (std::string_view h : kHarmless) {
      harmless = harmless || lower == h;
    }
    if (!harmless) {
      return true;
    }
  }
  std::unique_ptr<CURLU, UrlFree> u(curl_url());
  if (u && curl_url_set(u.get(), CURLUPART_URL, r.url.c_str(), 0) == CURLUE_OK) {
    return !UrlPart(u.get(), CURLUPART_USER, 0).empty();
  }
  return false;
}

std::optional<std::string> Origin(const std::string& url) {
  std::unique_ptr<CURLU, UrlFree> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  std::string scheme = UrlPart(u.get(), CURLUPART_SCHEME, 0);
  std::string host = UrlPart(u.get(), CURLUPART_HOST, 0);
  std::string port = UrlPart(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (scheme.empty() || host.empty()) {
    return std::nullopt;
  }
  return fmt::format("{}://{}:{}", AsciiLower(scheme), AsciiLower(host), port);
}

std::string MethodAfterRedirect(int http_status, std::string_view method) {
  if (http_status == 307 || http_status == 308) {
    return std::string(method);
  }
  if (http_status == 303) {
    return method == "HEAD" ? "HEAD" : "GET";
  }
  return method == "POST" ? "GET" : std::string(method);
}

}  // namespace modelwatch::net
