#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/mark.h"
#include "core/secret.h"

namespace modelwatch::config {

// One entry of `sources:`: an official status page or a third-party view
// of a provider, polled on its own interval (docs/sources.md).
struct StatusSource {
  std::string name;  // referenced by a monitor's `status_sources`
  std::string kind;  // "google_cloud_status", "statuspage", "openrouter", "feed"
  // google_cloud_status, statuspage, feed: the document to fetch, resolved
  // (google: https://status.cloud.google.com/incidents.json when not written;
  // statuspage: a page root gets /api/v2/summary.json appended).
  std::string url;
  // openrouter: the site root, no trailing slash (default https://openrouter.ai).
  std::string base_url;
  std::vector<std::string> products;    // google: product titles or ids; empty: every product
  std::vector<std::string> locations;   // google: location ids or titles; empty: every location
  std::vector<std::string> components;  // statuspage: component names or ids; empty: none listed
  std::string model;                    // openrouter: "google/gemini-3-pro-image"
  std::chrono::milliseconds interval{60'000};
  double uptime_below = 95.0;  // openrouter: percent under which a provider is degraded
  // models: whose model list ("openai", "gemini", "openrouter"), the IDs to
  // watch (default: the models of that provider's monitors) and the key the
  // list needs (openai, gemini).
  std::string provider;
  std::vector<std::string> models;
  Secret api_key;
  Mark mark;                   // where the entry starts
};

// The source kinds config knows, in documentation order.
std::span<const std::string_view> StatusSourceKinds();

}  // namespace modelwatch::config
