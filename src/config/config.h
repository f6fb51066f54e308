#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/alerts.h"
#include "config/mark.h"
#include "config/node.h"
#include "config/sources.h"
#include "config/prices.h"
#include "core/secret.h"
#include "core/status.h"

namespace modelwatch::config {

// `Mark` (where a value came from, "modelwatch.yaml:12:5") is in config/mark.h.

enum class Tier { kCritical, kImportant, kStandard, kTest };
std::chrono::milliseconds TierInterval(Tier t);  // 1m, 5m, 15m, 30m
std::string_view ToString(Tier t);               // "critical", ...
std::optional<Tier> ParseTier(std::string_view s);

// One condition of an `http` monitor, e.g. "status == 200",
// "latency < 2s", "body.data[0].id exists".
struct Condition {
  std::string text;  // as written, for messages
  Mark mark;
};

// Thresholds for the window indicators (DESIGN.md "Thresholds").
struct Thresholds {
  double availability_warning = 99.5;  // percent; below is warning
  double availability_alert = 99.0;    // below is alert
  std::chrono::milliseconds latency_warning{15'000};
  std::chrono::milliseconds latency_alert{30'000};  // slower successes are `degraded`
  double error_rate_warning = 1.0;                  // percent
  double error_rate_alert = 5.0;
  double rate_limits_per_hour_warning = 0.0;  // above is warning
  double rate_limits_per_hour_alert = 10.0;
};

// `tls:` (defaults, a provider, a monitor): CAs to check servers'
// certificates against instead of the system's. Empty: the environment's
// (CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR), else the system bundle.
struct Tls {
  std::string ca_file;  // a PEM bundle (a private CA: include public CAs if also needed)
  std::string ca_path;  // a directory of hashed certificates (openssl rehash)
};

// How an asynchronous job is polled: flux and `http` monitors' `poll:` block.
// Poll n (from 1) waits every * backoff^(n-1), at most max_every, before it
// is sent; the whole check stays within the monitor's timeout.
struct Poll {
  std::chrono::milliseconds every{1'000};
  double backoff = 1.0;
  std::chrono::milliseconds max_every{10'000};
  // http only: where the job is polled (a JSON path into the first answer,
  // "body.polling_url") and the condition that ends it ('body.status ==
  // "succeeded"', the conditions grammar of probe/condition.h).
  std::string url;
  std::string until;
  Mark mark;
};

struct Monitor {
  std::string name;
  std::string kind;      // "openai_images", "gemini", "openrouter_image", "http"
  std::string provider;  // name of a `providers` entry, or empty
  std::string base_url;  // resolved: monitor, else provider, else the kind's default; no trailing /
  Secret api_key;
  std::string model;
  std::string prompt;
  // openai_images: "1024x1024" or "auto"; gemini, openrouter_image: "1K", "2K" or "4K"
  // (imageSize). Empty: leave it out of the request (the provider's default).
  std::string size;
  std::string aspect_ratio;  // "16:9" (gemini, openrouter_image); empty: provider's default
  // openai_images: "low" (the default: the cheapest check), "medium", "high", "auto".
  std::string quality;
  // Cost (docs/cost.md): `cost_per_call` (USD) overrides every estimate;
  // `price` is the model's entry of the price table in effect, nullopt when
  // the table has none ("no price for MODEL").
  std::optional<double> cost_per_call;
  std::optional<Price> price;
  // `full_every: N`: one check in N is a real generation, the others free
  // light checks (probe::Probe::BuildLightRequest). 1: every check is full.
  int full_every = 1;
  std::optional<Tier> tier;
  std::chrono::milliseconds interval{15 * 60'000};  // resolved from tier or `interval`
  std::chrono::milliseconds timeout{60'000};
  // Set when an inherited timeout (from `defaults`) was longer than the
  // interval and was shrunk to it: the inherited value. validate and run
  // warn, and a timeout's error text says so.
  std::optional<std::chrono::milliseconds> timeout_shrunk_from;
  size_t max_body_bytes = 64 * 1024 * 1024;
  // openai_images: an answer given as a URL (data[0].url) is fetched, without the key, and
  // must be an image; `fetch_url: false` opts out (a URL is then success, no image checked).
  bool fetch_url = true;
  Tls tls;                 // resolved: the monitor's, else its provider's, else the defaults'
  std::map<std::string, std::string> labels;
  Thresholds thresholds;
  MonitorAlerts alerting;  // rules, maintenance, depends_on, status_pages
  // Names of `sources:` entries that concern this monitor (each one defined).
  std::vector<std::string> status_sources;
  std::vector<Mark> status_source_marks;  // where each name is written

  // kind: http
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, Secret>> headers;  // values may hold keys
  std::string body;
  std::vector<Condition> conditions;

  // kind: stability (config/monitor_kinds.cpp)
  std::string endpoint;       // "sd3" (default), "core" or "ultra"
  bool accept_json = false;   // accept: application/json (base64 JSON) rather than image/*
  // kind: vertex
  std::string project;           // empty: the key file's project_id
  std::string location = "global";
  std::string credentials_file;  // resolved: credentials_file, else GOOGLE_APPLICATION_CREDENTIALS
  // `api_key` instead of credentials_file: Vertex express mode (the
  // aiplatform.googleapis.com/v1/publishers/... URL with ?key=, no project).
  bool vertex_express = false;
  // kind: flux (the poll policy) and http (a job API polled until a condition holds)
  std::optional<Poll> poll;

  // kind: push (no probe: the application reports its own calls to
  // POST /api/v1/push/{name}; `interval` is how often a report is expected)
  Secret token;

  Mark mark;  // where the monitor's entry starts
};

struct Provider {
  std::string name;
  std::string base_url;
  Secret api_key;
  Tls tls;
  bool has_tls = false;  // a `tls:` key was written
  Mark mark;
};

struct Storage {
  std::string sqlite_path = "modelwatch.db";
  std::string postgres_url;  // non-empty selects PostgreSQL; holds a password: never log it
  std::chrono::milliseconds retention{30LL * 86'400'000};
};

// The `web:` section: the dashboard, JSON API and /metrics server.
struct Web {
  bool enabled = true;
  std::string listen = "127.0.0.1:8080";  // as written
  std::string host = "127.0.0.1";         // parsed from listen ("::1" without brackets)
  int port = 8080;                        // 0: any free port
  Secret admin_token;                     // empty: the admin API answers 401 to everyone
  std::string title = "modelwatch";
  // Non-empty when the server listens beyond loopback without an admin
  // token: one line for the caller to print (the config is still valid).
  std::string warning;
  Mark mark;
};

// Splits "HOST:PORT" / "[V6]:PORT" / ":PORT" (all interfaces); nullopt when
// malformed. Also used by `serve --listen`.
std::optional<std::pair<std::string, int>> ParseListen(std::string_view listen);
// 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackHost(std::string_view host);

// The `budget:` section (docs/cost.md): what monitoring may spend a month.
enum class BudgetAction { kStretch, kWarn };
struct Budget {
  std::optional<double> monthly;  // nullopt: no budget
  std::string currency = "USD";
  BudgetAction action = BudgetAction::kStretch;
  Mark mark;
};

struct Defaults {
  std::optional<Tier> tier;
  std::optional<std::chrono::milliseconds> interval;
  std::chrono::milliseconds timeout{60'000};
  size_t max_body_bytes = 64 * 1024 * 1024;
  Thresholds thresholds;
  Tls tls;
};

struct Config {
  std::string path;
  std::vector<Monitor> monitors;
  std::vector<Provider> providers;
  Defaults defaults;
  Storage storage;
  Alerts alerts;  // config/alerts.h
  Web web;
  std::vector<StatusSource> sources;  // config/sources.h
  PriceTable prices;  // built-in table with `prices:` laid over it
  Budget budget;

  // Kept as its (interpolated) tree; type kNull when absent. Parsed by the
  // channel kinds (notify::BuildChannels, run from engine::CheckConfig).
  Node channels;
};

// Loads, interpolates ${VAR} / ${VAR:-default} from the environment, and
// validates. On failure the Status message holds every problem, one per
// line, each as "FILE:LINE:COL: message".
Result<Config> Load(const std::string& path);
Result<Config> LoadFromString(const std::string& yaml, const std::string& path_for_messages);

}  // namespace modelwatch::config
