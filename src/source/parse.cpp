#include "source/parse.h"

#include <absl/time/time.h>
#include <fmt/format.h>

#include "core/text.h"

namespace modelwatch::source {

std::string_view ToString(Health h) {
  switch (h) {
    case Health::kUnknown:
      return "unknown";
    case Health::kOperational:
      return "operational";
    case Health::kMaintenance:
      return "maintenance";
    case Health::kDegraded:
      return "degraded";
    case Health::kOutage:
      return "outage";
  }
  return "unknown";
}

net::Request GetRequest(const std::string& url) {
  net::Request r;
  r.url = url;
  r.headers = {{"Accept", "application/json, application/atom+xml, application/rss+xml, */*"}};
  r.timeout = std::chrono::seconds(30);
  r.max_body_bytes = 32 * 1024 * 1024;
  return r;
}

namespace {

bool LooksLikeHtml(std::string_view body) {
  std::string_view t = TrimSpace(body.substr(0, 512));
  std::string head = AsciiLower(t.substr(0, 64));
  return head.starts_with("<!doctype html") || head.starts_with("<html") ||
         head.starts_with("<head") || head.starts_with("<body");
}

}  // namespace

std::optional<std::string> AnswerProblem(const net::Response& a) {
  if (a.error != net::TransferError::kNone) {
    return fmt::format("cannot reach it: {}{}{}", ToString(a.error),
                       a.error_message.empty() ? "" : ": ", PrintableText(a.error_message));
  }
  if (a.http_status < 200 || a.http_status > 299) {
    std::string what;
    if (LooksLikeHtml(a.body)) {
      what = " (an HTML page)";
    } else if (std::string_view t = TrimSpace(a.body); !t.empty()) {
      what = fmt::format(": {}", PlainText(t, 160));
    }
    return fmt::format("HTTP {}{}", a.http_status, what);
  }
  return std::nullopt;
}

std::optional<std::string> ParseJson(const net::Response& a, nlohmann::json& out) {
  if (LooksLikeHtml(a.body)) {
    return "an HTML page instead of JSON";
  }
  if (TrimSpace(a.body).empty()) {
    return "an empty answer instead of JSON";
  }
  out = nlohmann::json::parse(a.body, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    return "invalid JSON";
  }
  return std::nullopt;
}

std::string Str(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) {
    return "";
  }
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return "";
  }
  return it->get<std::string>();
}

std::optional<double> Num(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) {
    return std::nullopt;
  }
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) {
    return std::nullopt;
  }
  return it->get<double>();
}

const nlohmann::json& Arr(const nlohmann::json& j, std::string_view key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!j.is_object()) {
    return kEmpty;
  }
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) {
    return kEmpty;
  }
  return *it;
}

std::optional<WallTime> ParseIsoTime(std::string_view text) {
  std::string s(TrimSpace(text));
  if (s.empty()) {
    return std::nullopt;
  }
  if (s.back() == 'Z' || s.back() == 'z') {
    s.pop_back();
    s += "+00:00";
  }
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, s, &t, &err)) {
    return std::nullopt;
  }
  return absl::ToChronoTime(t);
}

std::optional<WallTime> ParseRssTime(std::string_view text) {
  std::string s(TrimSpace(text));
  for (std::string_view zone : {" GMT", " UTC", " UT", " Z"}) {
    if (s.ends_with(zone)) {
      s.resize(s.size() - zone.size());
      s += " +0000";
      break;
    }
  }
  absl::Time t;
  std::string err;
  for (const char* fmt :
       {"%a, %d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M:%S %z", "%a, %d %b %Y %H:%M %z"}) {
    if (absl::ParseTime(fmt, s, &t, &err)) {
      return absl::ToChronoTime(t);
    }
  }
  return ParseIsoTime(text);  // some feeds write ISO dates in pubDate
}

std::string PlainText(std::string_view html, size_t max_chars) {
  std::string out;
  bool in_tag = false;
  bool space = false;
  auto put = [&](std::string_view piece) {
    for (char c : piece) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        space = !out.empty();
        continue;
      }
      if (space) {
        out += ' ';
        space = false;
      }
      out += c;
    }
  };
  for (size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        space = !out.empty();
      }
      continue;
    }
    if (c == '<') {
      in_tag = true;
      continue;
    }
    if (c == '&') {
      size_t semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        std::string_view ent = html.substr(i + 1, semi - i - 1);
        std::string_view rep;
        if (ent == "amp") {
          rep = "&";
        } else if (ent == "lt") {
          rep = "<";
        } else if (ent == "gt") {
          rep = ">";
        } else if (ent == "quot") {
          rep = "\"";
        } else if (ent == "#39" || ent == "apos") {
          rep = "'";
        } else if (ent == "nbsp") {
          rep = " ";
        }
        if (!rep.empty()) {
          put(rep);
          i = semi;
          continue;
        }
      }
    }
    put(std::string_view(&c, 1));
  }
  if (out.size() > max_chars) {
    size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.resize(cut);
    out += "…";
  }
  return PrintableText(out);
}

bool SameText(std::string_view a, std::string_view b) {
  return a.size() == b.size() && AsciiLower(a) == AsciiLower(b);
}

std::string Origin(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  return std::string(url.substr(0, end));
}

Snapshot UnknownSnapshot(std::string source, std::string kind, std::string why, WallTime now) {
  Snapshot s;
  s.source = std::move(source);
  s.kind = std::move(kind);
  s.health = Health::kUnknown;
  s.why = std::move(why);
  s.polled = now;
  return s;
}

Health Worse(Health a, Health b) {
  auto rank = [](Health h) {
    switch (h) {
      case Health::kUnknown:
        return 0;
      case Health::kOperational:
        return 1;
      case Health::kMaintenance:
        return 2;
      case Health::kDegraded:
        return 3;
      case Health::kOutage:
        return 4;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace modelwatch::source
