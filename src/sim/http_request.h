#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modelwatch::sim {

// One HTTP/1.1 request as the simulator needs it: no chunked bodies, no
// pipelining guarantees beyond leaving extra bytes for the next parse.
struct HttpRequest {
  std::string method;
  std::string path;                                          // target without the query string
  std::string query;                                         // after '?', raw
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  bool keep_alive = true;

  // First header named `name` (lower case), or empty.
  std::string_view Header(std::string_view name) const;
};

enum class ParseState {
  kNeedMore,  // incomplete; call again with more bytes
  kDone,      // `request` holds it; the first `consumed` bytes were used
  kError,     // `error` says why; answer 400 and close
};

struct ParseOutcome {
  ParseState state = ParseState::kNeedMore;
  size_t consumed = 0;
  HttpRequest request;
  std::string error;
  // With kNeedMore: the headers are complete and the client asked for
  // "Expect: 100-continue" (curl does for large bodies).
  bool expects_continue = false;
};

inline constexpr size_t kMaxHeaderBytes = 64 * 1024;
inline constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

// Parses one request from the front of `buffer`. Pure.
ParseOutcome ParseHttpRequest(std::string_view buffer);

}  // namespace modelwatch::sim
