#pragma once

// A serialized answer built once per generation of the data it shows and
// served to every client of that generation: the body, its gzip form
// (built once, not per request) and a weak ETag, so a client that already
// has it gets a 304 and one that accepts gzip gets a tenth of the bytes.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "web/http.h"

namespace modelwatch::web {

struct CachedBody {
  std::string body;
  std::string gzip;  // empty when compression failed
  std::string etag;  // W/"<hash of body>"
};

// gzip (RFC 1952) of `data` at zlib's fastest level; empty on failure.
std::string Gzip(std::string_view data);

// Whether an Accept-Encoding header value accepts gzip (a "gzip" coding not
// refused with q=0).
bool AcceptsGzip(std::string_view accept_encoding);

// Thread-safe. Holds the last generation (so its identity is not reused)
// and its body.
class BodyCache {
 public:
  // The body of `generation` (compared by identity: a new object is a new
  // generation), built with `build` when it changed; concurrent callers of
  // a new generation wait for the one build.
  std::shared_ptr<const CachedBody> Get(std::shared_ptr<const void> generation,
                                        const std::function<std::string()>& build);

 private:
  std::mutex build_mu_;  // held while building
  std::mutex mu_;        // guards the two below
  std::shared_ptr<const void> generation_;
  std::shared_ptr<const CachedBody> body_;
};

// The answer to `req` from `cached`: 304 when If-None-Match names its ETag,
// else the body, gzipped when the client accepts it, shared with the cache
// (Response::shared_body), not copied per request. The content type is
// "application/json; charset=utf-8" so that cpp-httplib does not compress
// it again per request.
Response CachedJson(const Request& req, std::shared_ptr<const CachedBody> cached);

}  // namespace modelwatch::web
