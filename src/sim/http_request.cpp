#include "sim/http_request.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/text.h"

namespace modelwatch::sim {
namespace {

ParseOutcome Fail(std::string why) {
  ParseOutcome o;
  o.state = ParseState::kError;
  o.error = std::move(why);
  return o;
}

}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

ParseOutcome ParseHttpRequest(std::string_view buffer) {
  size_t end = buffer.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (buffer.size() > kMaxHeaderBytes) {
      return Fail("request headers too large");
    }
    return {};
  }
  std::string_view head = buffer.substr(0, end);
  size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  size_t sp1 = line.find(' ');
  size_t sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) {
    return Fail("malformed request line");
  }
  ParseOutcome o;
  HttpRequest& r = o.request;
  r.method = std::string(line.substr(0, sp1));
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return Fail("unsupported HTTP version");
  }
  size_t q = target.find('?');
  r.path = std::string(target.substr(0, q));
  if (q != std::string_view::npos) {
    r.query = std::string(target.substr(q + 1));
  }
  r.keep_alive = version == "HTTP/1.1";

  size_t content_length = 0;
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view h = rest.substr(0, e);
    rest = e == std::string_view::npos ? "" : rest.substr(e + 2);
    size_t colon = h.find(':');
    if (colon == std::string_view::npos) {
      return Fail("malformed header line");
    }
    std::string name = AsciiLower(TrimSpace(h.substr(0, colon)));
    std::string value(TrimSpace(h.substr(colon + 1)));
    if (name == "content-length") {
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), content_length);
      if (ec != std::errc() || p != value.data() + value.size()) {
        return Fail("bad Content-Length");
      }
    } else if (name == "transfer-encoding" && AsciiLower(value) != "identity") {
      return Fail("chunked request bodies are not supported");
    } else if (name == "connection") {
      std::string v = AsciiLower(value);
      if (v == "close") {
        r.keep_alive = false;
      } else if (v == "keep-alive") {
        r.keep_alive = true;
      }
    }
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  if (content_length > kMaxBodyBytes) {
    return Fail("request body too large");
  }
  size_t body_start = end + 4;
  if (buffer.size() - body_start < content_length) {
    bool expects_continue = AsciiLower(r.Header("expect")) == "100-continue";
    o = {};
    o.expects_continue = expects_continue;
    o.state = ParseState::kNeedMore;
    return o;
  }
  r.body = std::string(buffer.substr(body_start, content_length));
  o.consumed = body_start + content_length;
  o.state = ParseState::kDone;
  return o;
}

}  // namespace modelwatch::sim
