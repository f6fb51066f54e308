#pragma once

#include <string>
#include <string_view>

namespace modelwatch::net {

// Where TLS peers' certificates are checked against: a CA bundle file and/or
// a directory of hashed certificates (c_rehash). Empty: not set.
struct TrustStore {
  std::string ca_file;
  std::string ca_path;
  bool empty() const { return ca_file.empty() && ca_path.empty(); }
};

// The proxy settings of the environment, by libcurl's rules: http_proxy
// (lower case only) for http://, https_proxy or HTTPS_PROXY for https://,
// all_proxy or ALL_PROXY for both when those are unset; no_proxy or
// NO_PROXY lists hosts reached directly.
struct ProxyEnvironment {
  std::string http;
  std::string https;
  std::string no_proxy;
};

// What the process environment says, read once when the network loop is
// built (the environment is process-wide state; reading it per request
// would only pay for a getenv race).
struct NetEnvironment {
  // Used when a request sets no CA: CURL_CA_BUNDLE, else SSL_CERT_FILE and
  // SSL_CERT_DIR, else libcurl's built-in bundle and directory.
  TrustStore default_trust;
  ProxyEnvironment proxy;
};

// Reads the variables above; `builtin` is libcurl's compiled-in default.
NetEnvironment ReadNetEnvironment(const TrustStore& builtin);

// Whether a request to `url` goes through a proxy under `env` (a proxy is
// set for its scheme and no_proxy does not name its host). no_proxy: "*"
// for every host, else a comma-separated list of names (each matching the
// host and its subdomains, a leading dot optional) and IP addresses.
bool ProxyApplies(const ProxyEnvironment& env, std::string_view url);

}  // namespace modelwatch::net
