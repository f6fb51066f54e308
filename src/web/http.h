#pragma once

// The web server's own view of one HTTP exchange, so the routes are plain
// functions (testable without sockets) and only server.cpp sees cpp-httplib.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelwatch::web {

struct Request {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // decoded, without the query
  std::map<std::string, std::string> query;
  std::vector<std::string> params;  // path segments captured by the route pattern
  std::string body;
  std::string authorization;    // the Authorization header, as sent
  std::string remote;           // the client's address (rate limits)
  std::string accept_encoding;  // the Accept-Encoding header (cached answers)
  std::string if_none_match;    // the If-None-Match header (cached answers)

  // The query parameter `key`, or `fallback`.
  std::string Query(const std::string& key, const std::string& fallback = "") const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  // When set, what is sent instead of `body`: a body shared with a cache,
  // referenced by the answer until it is written, never copied.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;

  // The body sent: *shared_body when set, else body.
  const std::string& sent_body() const { return shared_body ? *shared_body : body; }
};

// {"error": {"code": status, "message": message}} with that status.
Response JsonError(int status, std::string_view message);
// `json_text` as application/json.
Response JsonOk(std::string json_text, int status = 200);

}  // namespace modelwatch::web
