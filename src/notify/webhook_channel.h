#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"
#include "notify/channel.h"

namespace modelwatch::notify {

// What every HTTP channel shares: its name, its URL (a Secret: the token is
// in it), an optional second secret (signing secret, routing key, bot token),
// JSON request building and the reading of failed answers, so a channel file
// holds only its own format.
class WebhookChannel : public Channel {
 public:
  WebhookChannel(std::string name, Secret url, Secret secret);

  // notify::Channel
  const std::string& name() const override { return name_; }
  // The URL, the second secret, and each token-like piece of the URL's path
  // and query (an answer may echo the token alone).
  std::vector<const Secret*> secrets() const override;

 protected:
  const Secret& url() const { return url_; }
  const Secret& secret() const { return secret_; }

  // POST `url` with `body` as UTF-8 JSON (invalid UTF-8 replaced, never
  // thrown on), Content-Type application/json, a 15 s timeout.
  static net::Request JsonPost(std::string url, const nlohmann::json& body);

  // `text` with every secret of this channel masked.
  std::string RedactAll(std::string text) const;

  static Delivery Delivered() {
    Delivery d;
    d.delivered = true;
    return d;
  }

  // Delivered on HTTP 2xx; otherwise Failed(response, "").
  Delivery CheckHttp2xx(const net::Response& response) const;

  // A failed delivery: "HTTP 400: <why or the answer's first 300 bytes>", or
  // the transfer error; redacted. retry_after from the Retry-After header
  // (or `retry_after` when given); permanent for 4xx but 408 and 429.
  Delivery Failed(const net::Response& response, std::string_view why,
                  std::optional<std::chrono::milliseconds> retry_after = std::nullopt) const;

  // The answer as a JSON object, or nullopt.
  static std::optional<nlohmann::json> JsonAnswer(const net::Response& response);

 private:
  std::string name_;
  Secret url_;
  Secret secret_;
  std::vector<Secret> url_tokens_;
};

// The pieces of `url` after its host (split at / ? & = ;) that look like
// tokens: 10 or more characters, not just a lower-case word such as
// "open-apis" or "api-version".
std::vector<std::string> TokenPieces(std::string_view url);

// Retry-After as delta-seconds ("5", "1.5"), or nullopt.
std::optional<std::chrono::milliseconds> ParseRetryAfterSeconds(std::string_view value);

// JSON text of `j` that never throws: invalid UTF-8 is replaced.
std::string DumpJson(const nlohmann::json& j);

}  // namespace modelwatch::notify
