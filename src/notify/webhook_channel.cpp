#include "notify/webhook_channel.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "notify/markup.h"

namespace modelwatch::notify {

std::vector<std::string> TokenPieces(std::string_view url) {
  std::vector<std::string> out;
  size_t scheme = url.find("://");
  size_t start = url.find_first_of("/?", scheme == std::string_view::npos ? 0 : scheme + 3);
  if (start == std::string_view::npos) {
    return out;
  }
  std::string_view rest = url.substr(start);
  while (!rest.empty()) {
    size_t end = rest.find_first_of("/?&=;");
    std::string_view piece = rest.substr(0, end);
    bool word = true;
    for (char c : piece) {
      if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.')) {
        word = false;
      }
    }
    if (piece.size() >= 10 && !word) {
      out.emplace_back(piece);
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  return out;
}

WebhookChannel::WebhookChannel(std::string name, Secret url, Secret secret)
    : name_(std::move(name)), url_(std::move(url)), secret_(std::move(secret)) {
  for (std::string& piece : TokenPieces(url_.reveal())) {
    url_tokens_.emplace_back(std::move(piece));
  }
}

std::vector<const Secret*> WebhookChannel::secrets() const {
  std::vector<const Secret*> out;
  for (const Secret* s : {&url_, &secret_}) {
    if (!s->empty()) {
      out.push_back(s);
    }
  }
  for (const Secret& s : url_tokens_) {
    out.push_back(&s);
  }
  return out;
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

net::Request WebhookChannel::JsonPost(std::string url, const nlohmann::json& body) {
  net::Request req;
  req.method = "POST";
  req.url = std::move(url);
  req.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  req.body = DumpJson(body);
  req.timeout = std::chrono::milliseconds(15'000);
  req.max_body_bytes = 1024 * 1024;
  req.max_redirects = 0;
  return req;
}

std::string WebhookChannel::RedactAll(std::string text) const {
  for (const Secret* s : secrets()) {
    text = Redact(std::move(text), *s);
  }
  return text;
}

Delivery WebhookChannel::CheckHttp2xx(const net::Response& response) const {
  if (response.error == net::TransferError::kNone && response.http_status >= 200 &&
      response.http_status < 300) {
    return Delivered();
  }
  return Failed(response, "");
}

Delivery WebhookChannel::Failed(const net::Response& response, std::string_view why,
                                std::optional<std::chrono::milliseconds> retry_after) const {
  Delivery d;
  if (response.error != net::TransferError::kNone) {
    d.error = fmt::format("{}: {}", net::ToString(response.error), response.error_message);
  } else {
    std::string detail(why);
    if (detail.empty()) {
      detail = OneLine(SanitizeUtf8(response.body));
    }
    d.error = detail.empty() ? fmt::format("HTTP {}", response.http_status)
                             : fmt::format("HTTP {}: {}", response.http_status, detail);
    int s = response.http_status;
    d.permanent = s >= 400 && s < 500 && s != 408 && s != 429;
  }
  d.error = TruncateBytes(RedactAll(std::move(d.error)), 300);
  d.retry_after = retry_after;
  if (!d.retry_after) {
    if (auto h = response.Header("retry-after")) {
      d.retry_after = ParseRetryAfterSeconds(*h);
    }
  }
  return d;
}

std::optional<nlohmann::json> WebhookChannel::JsonAnswer(const net::Response& response) {
  nlohmann::json j = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return std::nullopt;
  }
  return j;
}

std::optional<std::chrono::milliseconds> ParseRetryAfterSeconds(std::string_view value) {
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  while (!value.empty() && value.back() == ' ') {
    value.remove_suffix(1);
  }
  double s = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), s);
  if (ec != std::errc() || end != value.data() + value.size() || s < 0 || s > 86'400) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(s * 1000)));
}

}  // namespace modelwatch::notify
