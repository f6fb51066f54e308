// The keys of kinds stability, flux and vertex, and the `poll:` block shared
// by flux and http (config/sections.h).
#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <string_view>

#include "config/fields.h"
#include "config/kinds.h"
#include "config/sections.h"
#include "config/suggest.h"

namespace modelwatch::config {
namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 3> kEndpoints = {"sd3", "core", "ultra"};
constexpr std::array<std::string_view, 2> kAccepts = {"image/*", "application/json"};
constexpr std::array<std::string_view, 5> kPollKeys = {"every", "backoff", "max", "url", "until"};

std::optional<std::string> ReadNonEmptyString(const Scope& scope, const Node& n) {
  std::optional<std::string> v = ReadString(scope, n);
  if (v && v->empty()) {
    scope.Child(n.key).Error(n.mark, "must not be empty");
    return std::nullopt;
  }
  return v;
}

}  // namespace

void ReadStabilityFields(const Scope& scope, const Node& node, Monitor& m) {
  m.endpoint = "sd3";
  if (const Node* n = node.Find("endpoint")) {
    m.endpoint = ReadEnum(scope, *n, kEndpoints).value_or("sd3");
  }
  if (const Node* n = node.Find("accept")) {
    m.accept_json = ReadEnum(scope, *n, kAccepts).value_or("") == "application/json";
  }
  if (m.endpoint != "sd3" && node.Find("model") != nullptr) {
    const Node* n = node.Find("model");
    scope.Child("model").Error(n->key_mark,
                               fmt::format("endpoint {} has one model; model applies only to "
                                           "endpoint sd3 (sd3.5-large, sd3.5-large-turbo, "
                                           "sd3.5-medium)",
                                           m.endpoint));
  }
}

void ReadVertexFields(const Scope& scope, const Node& node, Monitor& m) {
  if (node.Find("api_key") != nullptr) {
    // Express mode (formats/vertex-ai.md): the key alone names the account.
    m.vertex_express = true;
    for (const char* key : {"credentials_file", "project", "location"}) {
      if (const Node* n = node.Find(key)) {
        scope.Child(key).Error(n->key_mark,
                               "does not apply with api_key (Vertex express mode: the key alone, "
                               "no project, location or service account)");
      }
    }
    if (node.Find("model") == nullptr) {
      scope.Error(node.mark, "missing required key \"model\" for kind vertex");
    }
    return;
  }
  if (const Node* n = node.Find("project")) {
    m.project = ReadNonEmptyString(scope, *n).value_or("");
  }
  if (const Node* n = node.Find("location")) {
    m.location = ReadNonEmptyString(scope, *n).value_or("global");
  }
  if (const Node* n = node.Find("credentials_file")) {
    m.credentials_file = ReadNonEmptyString(scope, *n).value_or("");
  } else if (const char* env = std::getenv("GOOGLE_APPLICATION_CREDENTIALS");
             env != nullptr && *env != '\0') {
    m.credentials_file = env;
  } else {
    scope.Error(node.mark,
                "missing required key \"credentials_file\" for kind vertex (a service-account "
                "JSON key file; or set GOOGLE_APPLICATION_CREDENTIALS; or api_key for express "
                "mode)");
  }
  if (node.Find("model") == nullptr) {
    scope.Error(node.mark, "missing required key \"model\" for kind vertex");
  }
}

void ReadPoll(const Scope& scope, const Node& node, Monitor& m) {
  const Node* n = node.Find("poll");
  if (n == nullptr) {
    if (m.kind == "flux") {
      m.poll = Poll{};
    }
    return;
  }
  if (!ExpectMap(scope, *n)) {
    return;
  }
  Scope at = scope.Child("poll");
  CheckKeys(at, *n, kPollKeys);
  Poll p;
  p.mark = n->mark;
  if (const Node* e = n->Find("every")) {
    p.every = ReadDuration(at, *e, milliseconds(100)).value_or(p.every);
  }
  if (const Node* e = n->Find("backoff")) {
    p.backoff = ReadNumber(at, *e, 1.0, 10.0, false).value_or(p.backoff);
  }
  p.max_every = std::max(p.max_every, p.every);
  if (const Node* e = n->Find("max")) {
    if (auto v = ReadDuration(at, *e, milliseconds(100))) {
      if (*v < p.every) {
        at.Child("max").Error(e->mark, "is shorter than every");
      }
      p.max_every = *v;
    }
  }
  bool http = m.kind == "http";
  for (std::string_view key : {"url", "until"}) {
    const Node* e = n->Find(key);
    if (e != nullptr && !http) {
      at.Error(e->key_mark, fmt::format("key \"{}\" applies only to http monitors (kind {} knows "
                                        "where its job is polled)",
                                        key, m.kind));
    } else if (e == nullptr && http) {
      at.Error(n->mark, fmt::format("missing required key \"{}\" for an http poll", key));
    }
  }
  if (http) {
    if (const Node* e = n->Find("url")) {
      std::string url = ReadNonEmptyString(at, *e).value_or("");
      if (!url.empty() && !url.starts_with("body.") && !url.starts_with("http")) {
        at.Child("url").Error(e->mark, fmt::format("\"{}\" is neither a JSON path into the answer "
                                                   "(body.polling_url) nor an http(s) URL",
                                                   url));
      }
      p.url = url;
    }
    if (const Node* e = n->Find("until")) {
      p.until = ReadNonEmptyString(at, *e).value_or("");
    }
  }
  m.poll = p;
}

}  // namespace modelwatch::config
