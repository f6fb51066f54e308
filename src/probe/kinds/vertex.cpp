// Probe kind `vertex`: Gemini's generateContent on Vertex AI
// (formats/vertex-ai.md), authenticated with a service-account key file: the
// JWT-bearer grant signed RS256, its access token cached by the engine
// (probe::TokenSource) and sent as a Bearer token.
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "core/base64.h"
#include "probe/classify.h"
#include "probe/error_text.h"
#include "probe/image_data.h"
#include "probe/json_body.h"
#include "probe/kinds/gemini_content.h"
#include "probe/monitor_request.h"
#include "probe/probe.h"

namespace modelwatch::probe {
namespace {

template <auto Free>
struct CFree {
  void operator()(auto* p) const noexcept { Free(p); }
};
using Bio = std::unique_ptr<BIO, CFree<BIO_free>>;
using PKey = std::unique_ptr<EVP_PKEY, CFree<EVP_PKEY_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, CFree<EVP_MD_CTX_free>>;

constexpr std::string_view kScope = "https://www.googleapis.com/auth/cloud-platform";
constexpr std::string_view kDefaultTokenUri = "https://oauth2.googleapis.com/token";
constexpr std::string_view kExpressBase = "https://aiplatform.googleapis.com";

// What the probe keeps of the key file. The private key stays in the
// EVP_PKEY; its PEM text is dropped once parsed.
struct ServiceAccount {
  std::string client_email;
  std::string project_id;
  std::string private_key_id;
  std::string token_uri;
  std::shared_ptr<EVP_PKEY> key;  // shared: the probe is copied into nothing, but
                                  // the factory builds it before the probe exists
};

std::string Base64Url(std::string_view bytes) {
  std::string s = EncodeBase64(bytes);
  for (char& c : s) {
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  }
  while (!s.empty() && s.back() == '=') {
    s.pop_back();
  }
  return s;
}

std::string FormEncode(std::string_view v) {
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// Never names the key's content: only the file and what is wrong with it.
Result<ServiceAccount> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::InvalidArgument(fmt::format("credentials_file {}: cannot be read", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::optional<Json> j = ParseJson(text.str());
  if (!j || !j->is_object()) {
    return Status::InvalidArgument(fmt::format("credentials_file {}: is not JSON", path));
  }
  if (StringOf(Member(&*j, "type")) != "service_account") {
    return Status::InvalidArgument(
        fmt::format("credentials_file {}: type is \"{}\", not \"service_account\"", path,
                    StringOf(Member(&*j, "type"))));
  }
  ServiceAccount sa;
  sa.client_email = StringOf(Member(&*j, "client_email"));
  sa.project_id = StringOf(Member(&*j, "project_id"));
  sa.private_key_id = StringOf(Member(&*j, "private_key_id"));
  sa.token_uri = StringOf(Member(&*j, "token_uri"), kDefaultTokenUri);
  std::string_view pem = StringOf(Member(&*j, "private_key"));
  if (sa.client_email.empty() || pem.empty()) {
    return Status::InvalidArgument(
        fmt::format("credentials_file {}: lacks client_email or private_key", path));
  }
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return Status::InvalidArgument(
        fmt::format("credentials_file {}: private_key is not a PEM RSA private key", path));
  }
  sa.key.reset(key, EVP_PKEY_free);
  return sa;
}

std::optional<std::string> SignRs256(EVP_PKEY* key, std::string_view data) {
  MdCtx ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return std::nullopt;
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return std::nullopt;
  }
  sig.resize(len);
  return sig;
}

// The regional host, the global one, or a multi-region (us, eu) one.
std::string VertexBase(std::string_view location) {
  if (location == "global") {
    return "https://aiplatform.googleapis.com";
  }
  if (location == "us" || location == "eu") {
    return fmt::format("https://aiplatform.{}.rep.googleapis.com", location);
  }
  return fmt::format("https://{}-aiplatform.googleapis.com", location);
}

class VertexProbe final : public Probe, public TokenSource {
 public:
  VertexProbe(const config::Monitor& m, ServiceAccount sa)
      : m_(m),
        sa_(std::move(sa)),
        cache_key_(m.credentials_file + "#" + sa_.client_email),
        request_(Compose()) {}

  // Probe
  net::Request BuildRequest() const override { return request_; }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    Verdict v = InterpretGenerateContent(response, {});
    if (v.status == CheckStatus::kAuthError) {
      v.error = fmt::format("service account {}: {}", sa_.client_email, v.error);
    }
    return v;
  }

  const TokenSource* token_source() const override { return this; }

  void Authorize(net::Request& request, const Secret& token) const override {
    request.headers.emplace_back("Authorization", "Bearer " + token.reveal());
  }

  // TokenSource
  const std::string& cache_key() const override { return cache_key_; }

  std::variant<net::Request, Verdict> BuildTokenRequest(WallTime now) const override {
    int64_t iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    Json header = {{"alg", "RS256"}, {"typ", "JWT"}};
    if (!sa_.private_key_id.empty()) {
      header["kid"] = sa_.private_key_id;
    }
    Json claims = {{"iss", sa_.client_email},
                   {"scope", kScope},
                   {"aud", sa_.token_uri},
                   {"iat", iat},
                   {"exp", iat + 3600}};
    std::string signing_input = Base64Url(DumpJson(header)) + "." + Base64Url(DumpJson(claims));
    std::optional<std::string> sig = SignRs256(sa_.key.get(), signing_input);
    if (!sig) {
      Verdict v;
      v.status = CheckStatus::kAuthError;
      v.error = fmt::format("service account {}: the key could not sign the token request",
                            sa_.client_email);
      return v;
    }
    net::Request r = MonitorRequest(m_, "POST", sa_.token_uri);
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    r.body = "grant_type=" + FormEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
             "&assertion=" + signing_input + "." + Base64Url(*sig);
    r.max_body_bytes = 64 * 1024;
    return r;
  }

  std::variant<Token, Verdict> InterpretToken(const net::Response& response) const override {
    std::optional<Json> body = ParseJson(response.body);
    if (IsHttpSuccess(response.http_status)) {
      std::string_view token = StringOf(Member(body ? &*body : nullptr, "access_token"));
      const Json* expires = Member(body ? &*body : nullptr, "expires_in");
      if (token.empty()) {
        Verdict v = InvalidResponse("token endpoint: no access_token in its answer", {});
        return v;
      }
      Token t;
      t.value = Secret(std::string(token));
      t.lifetime = std::chrono::seconds(
          expires != nullptr && expires->is_number() ? expires->get<int64_t>() : 3600);
      return t;
    }
    // RFC 6749 {"error","error_description"}: a refused grant is the key's
    // or account's fault; 5xx is the endpoint's.
    std::string error(StringOf(Member(body ? &*body : nullptr, "error")));
    std::string description(StringOf(Member(body ? &*body : nullptr, "error_description")));
    Verdict v;
    v.status = response.http_status >= 500 ? CheckStatus::kServerError : CheckStatus::kAuthError;
    std::string what = error.empty()         ? fmt::format("HTTP {}", response.http_status)
                       : description.empty() ? error
                                             : fmt::format("{}: {}", error, description);
    v.error = CleanErrorText(
        fmt::format("service account {}: token request refused: {}", sa_.client_email, what), {});
    return v;
  }

 private:
  net::Request Compose() const {
    std::string project = m_.project.empty() ? sa_.project_id : m_.project;
    net::Request r = MonitorRequest(
        m_, "POST",
        JoinUrl(m_.base_url, VertexBase(m_.location), "",
                fmt::format("/v1/projects/{}/locations/{}/publishers/google/models/{}:"
                            "generateContent",
                            project, m_.location, m_.model)));
    r.headers = {{"Content-Type", "application/json"}};
    r.keep_bytes = kImageKeepBytes;
    r.body = GenerateContentBody(m_, /*with_role=*/true);
    return r;
  }

  const config::Monitor m_;
  const ServiceAccount sa_;
  const std::string cache_key_;
  const net::Request request_;
};

// Express mode (formats/vertex-ai.md, "Auth B"): an API key on
// POST https://aiplatform.googleapis.com/v1/publishers/google/models/{MODEL}:generateContent?key=
// with no project, location or token; the same request and answer.
class VertexExpressProbe final : public Probe {
 public:
  explicit VertexExpressProbe(const config::Monitor& m) : m_(m), request_(Compose()) {}

  net::Request BuildRequest() const override { return request_; }

  Verdict Interpret(const net::Response& response, int step,
                    std::chrono::milliseconds elapsed) const override {
    const Secret* secrets[] = {&m_.api_key};
    return InterpretGenerateContent(response, secrets);
  }

 private:
  net::Request Compose() const {
    net::Request r =
        MonitorRequest(m_, "POST",
                       JoinUrl(m_.base_url, kExpressBase, "",
                               fmt::format("/v1/publishers/google/models/{}:generateContent?key={}",
                                           m_.model, FormEncode(m_.api_key.reveal()))));
    r.headers = {{"Content-Type", "application/json"}};
    r.keep_bytes = kImageKeepBytes;
    r.body = GenerateContentBody(m_, /*with_role=*/true);
    return r;
  }

  const config::Monitor m_;
  const net::Request request_;
};

}  // namespace

Result<ProbePtr> MakeVertexProbe(const config::Monitor& monitor) {
  if (Status s = RequireFields(monitor, {"model", "prompt"}); !s.ok()) {
    return s;
  }
  if (monitor.vertex_express) {
    if (Status s = RequireFields(monitor, {"api_key"}); !s.ok()) {
      return s;
    }
    return ProbePtr(std::make_unique<VertexExpressProbe>(monitor));
  }
  if (monitor.credentials_file.empty()) {
    return Status::InvalidArgument("missing credentials_file (or GOOGLE_APPLICATION_CREDENTIALS)");
  }
  Result<ServiceAccount> sa = ReadKeyFile(monitor.credentials_file);
  if (!sa.has_value()) {
    return sa.error();
  }
  if (monitor.project.empty() && sa->project_id.empty()) {
    return Status::InvalidArgument(
        fmt::format("no project: set project, or use a key file with project_id ({})",
                    monitor.credentials_file));
  }
  return ProbePtr(std::make_unique<VertexProbe>(monitor, std::move(sa).value()));
}

}  // namespace modelwatch::probe
