#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/request.h"

namespace modelwatch::net {

// Redirects and credentials. libcurl drops only `Authorization` when a
// redirect leaves the host; a Gemini key travels in `x-goog-api-key` and an
// http monitor's `headers:` may hold anything, and a 307 resends the body.
// So a request that carries credentials is never followed by libcurl: the
// loop follows it by hand, and only to the same origin.

// True when `r` has a header other than the few that never hold a secret
// (Content-Type, Accept, User-Agent, ...), or a user name in its URL.
bool CarriesCredentials(const Request& r);

// "https://host:443": scheme, host and port (the scheme's default when the
// URL gives none), lower-cased; nullopt when `url` does not parse.
std::optional<std::string> Origin(const std::string& url);

// The method to use after a redirect answered with `http_status`: 307 and
// 308 keep it (and the body); 303 turns anything but HEAD into GET, as do
// 301 and 302 for a POST (what libcurl and browsers do).
std::string MethodAfterRedirect(int http_status, std::string_view method);

inline bool IsRedirect(int http_status) {
  return http_status == 301 || http_status == 302 || http_status == 303 || http_status == 307 ||
         http_status == 308;
}

}  // namespace modelwatch::net
