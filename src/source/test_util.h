#pragma once

// Helpers shared by the source tests (header-only, test code only).

#include <string>
#include <vector>

#include "config/sources.h"
#include "net/request.h"
#include "source/parse.h"
#include "source/source.h"

namespace modelwatch::source::testing {

inline net::Response Answer(std::string body, int status = 200) {
  net::Response r;
  r.http_status = status;
  r.body = std::move(body);
  return r;
}

inline config::StatusSource Entry(std::string kind) {
  config::StatusSource e;
  e.name = "src";
  e.kind = std::move(kind);
  e.mark = {"cfg.yaml", 3, 5};
  if (e.kind == "google_cloud_status") {
    e.url = "https://status.cloud.google.com/incidents.json";
  } else if (e.kind == "statuspage") {
    e.url = "https://status.claude.com/api/v2/summary.json";
  } else if (e.kind == "openrouter") {
    e.base_url = "https://openrouter.ai";
    e.model = "google/gemini-3-pro-image";
  } else {
    e.url = "https://status.example.com/feed.atom";
  }
  return e;
}

inline Snapshot ParseWith(const config::StatusSource& e, std::vector<net::Response> answers,
                          WallTime now) {
  Result<SourcePtr> s = MakeSource(e);
  if (!s) {
    return UnknownSnapshot(e.name, e.kind, "MakeSource failed: " + s.error().message(), now);
  }
  return (*s)->Parse(answers, now);
}

inline WallTime At(const char* iso) { return *ParseIsoTime(iso); }

}  // namespace modelwatch::source::testing
