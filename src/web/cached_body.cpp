#include "web/cached_body.h"

#include <fmt/format.h>
#include <zlib.h>

#include <cstdlib>

#include "core/text.h"

namespace modelwatch::web {

std::string Gzip(std::string_view data) {
  z_stream zs{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return "";
  }
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

bool AcceptsGzip(std::string_view header) {
  std::string h = AsciiLower(header);
  std::string_view rest = h;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = TrimSpace(item.substr(0, semi));
    if (coding != "gzip" && coding != "*") {
      continue;
    }
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view param = TrimSpace(item.substr(semi + 1));
      if (param.starts_with("q=")) {
        q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
      }
    }
    if (q > 0) {
      return true;
    }
  }
  return false;
}

std::shared_ptr<const CachedBody> BodyCache::Get(std::shared_ptr<const void> generation,
                                                 const std::function<std::string()>& build) {
  {
    std::lock_guard lock(mu_);
    if (body_ && generation_ == generation) {
      return body_;
    }
  }
  std::lock_guard building(build_mu_);
  {
    std::lock_guard lock(mu_);  // another caller may have built it meanwhile
    if (body_ && generation_ == generation) {
      return body_;
    }
  }
  auto fresh = std::make_shared<CachedBody>();
  fresh->body = build();
  fresh->gzip = Gzip(fresh->body);
  // FNV-1a over the body: the same bytes give the same tag across restarts.
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : fresh->body) {
    h = (h ^ c) * 1099511628211ULL;
  }
  fresh->etag = fmt::format("W/\"{:016x}-{}\"", h, fresh->body.size());
  std::lock_guard lock(mu_);
  generation_ = std::move(generation);
  body_ = std::move(fresh);
  return body_;
}

Response CachedJson(const Request& req, std::shared_ptr<const CachedBody> cached) {
  Response r;
  r.content_type = "application/json; charset=utf-8";
  r.headers.emplace_back("ETag", cached->etag);
  r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (!req.if_none_match.empty() && req.if_none_match.find(cached->etag) != std::string::npos) {
    r.status = 304;
    return r;
  }
  // Aliasing pointers: the answer keeps the whole CachedBody alive.
  if (!cached->gzip.empty() && AcceptsGzip(req.accept_encoding)) {
    r.shared_body = std::shared_ptr<const std::string>(cached, &cached->gzip);
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.shared_body = std::shared_ptr<const std::string>(cached, &cached->body);
  }
  return r;
}

}  // namespace modelwatch::web
