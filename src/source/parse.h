#pragma once

// Helpers the source kinds share: reading an answer that may be an HTML
// error page, tolerant JSON field access, time stamps and plain text.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "net/request.h"
#include "source/source.h"

namespace modelwatch::source {

// A GET for `url` with the headers a status document wants.
net::Request GetRequest(const std::string& url);

// Why `answer` holds no usable document ("cannot reach: connect: ...",
// "HTTP 503 (an HTML page)"), or nullopt for a 2xx answer. 304 is the
// poller's business and never reaches Parse.
std::optional<std::string> AnswerProblem(const net::Response& answer);

// Parses `answer`'s body as JSON into `out`; else returns why not ("an HTML
// page instead of JSON", "invalid JSON at byte 12"). Never throws.
std::optional<std::string> ParseJson(const net::Response& answer, nlohmann::json& out);

// The string at `key` of object `j`; "" when missing, null or not a string.
std::string Str(const nlohmann::json& j, std::string_view key);
// A number at `key`; nullopt when missing, null or not a number.
std::optional<double> Num(const nlohmann::json& j, std::string_view key);
// The array at `key`, or an empty array.
const nlohmann::json& Arr(const nlohmann::json& j, std::string_view key);

// RFC 3339 / ISO 8601 ("2026-10-07T13:25:04.163Z", "...+00:00",
// "2019-02-20T12:00:19.418-06:00"); nullopt when empty or malformed.
std::optional<WallTime> ParseIsoTime(std::string_view text);
// RFC 822 as RSS writes it ("Tue, 01 Dec 2026 13:00:00 GMT", "+0000").
std::optional<WallTime> ParseRssTime(std::string_view text);

// Text without HTML tags and with the common entities decoded, spaces
// collapsed, at most `max_chars` bytes (cut at a UTF-8 boundary, "…" added).
std::string PlainText(std::string_view html, size_t max_chars = 600);

// Whether `a` equals `b` ignoring ASCII case.
bool SameText(std::string_view a, std::string_view b);

// "https://host:port" of `url` (scheme and authority), without a path.
std::string Origin(std::string_view url);

// A snapshot of `source` (`kind`) that could not be read, with why.
Snapshot UnknownSnapshot(std::string source, std::string kind, std::string why, WallTime now);

// kOperational < kMaintenance < kDegraded < kOutage; kUnknown lowest.
Health Worse(Health a, Health b);

}  // namespace modelwatch::source
