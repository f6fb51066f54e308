#include "net/environment.h"

#include <cstdlib>

#include "core/text.h"

namespace modelwatch::net {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

std::string FirstSet(std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (std::string v = Env(n); !v.empty()) {
      return v;
    }
  }
  return "";
}

// "https://user@Host:443/x" -> ("https", "host").
void SchemeAndHost(std::string_view url, std::string* scheme, std::string* host) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    return;
  }
  *scheme = AsciiLower(url.substr(0, sep));
  std::string_view rest = url.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    rest = rest.substr(at + 1);
  }
  if (rest.starts_with('[')) {
    size_t close = rest.find(']');
    rest = rest.substr(1, close == std::string_view::npos ? rest.size() - 1 : close - 1);
  } else if (size_t colon = rest.find(':'); colon != std::string_view::npos) {
    rest = rest.substr(0, colon);
  }
  *host = AsciiLower(rest);
}

}  // namespace

NetEnvironment ReadNetEnvironment(const TrustStore& builtin) {
  NetEnvironment env;
  if (std::string bundle = Env("CURL_CA_BUNDLE"); !bundle.empty()) {
    env.default_trust.ca_file = bundle;
  } else {
    env.default_trust.ca_file = Env("SSL_CERT_FILE");
    env.default_trust.ca_path = Env("SSL_CERT_DIR");
  }
  if (env.default_trust.empty()) {
    env.default_trust = builtin;
  }
  std::string all = FirstSet({"all_proxy", "ALL_PROXY"});
  env.proxy.http = Env("http_proxy");  // not HTTP_PROXY: libcurl ignores it (httpoxy)
  if (env.proxy.http.empty()) {
    env.proxy.http = all;
  }
  env.proxy.https = FirstSet({"https_proxy", "HTTPS_PROXY"});
  if (env.proxy.https.empty()) {
    env.proxy.https = all;
  }
  env.proxy.no_proxy = FirstSet({"no_proxy", "NO_PROXY"});
  return env;
}

bool ProxyApplies(const ProxyEnvironment& env, std::string_view url) {
  std::string scheme, host;
  SchemeAndHost(url, &scheme, &host);
  const std::string& proxy = scheme == "https" ? env.https : env.http;
  if (proxy.empty() || host.empty()) {
    return false;
  }
  std::string_view list = env.no_proxy;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string entry = AsciiLower(TrimSpace(list.substr(0, comma)));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry == "*") {
      return false;
    }
    if (entry.starts_with('.')) {
      entry.erase(0, 1);
    }
    if (entry.empty()) {
      continue;
    }
    if (host == entry || (host.size() > entry.size() && host.ends_with(entry) &&
                          host[host.size() - entry.size() - 1] == '.')) {
      return false;
    }
  }
  return true;
}

}  // namespace modelwatch::net
