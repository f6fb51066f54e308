#include "net/loop.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "core/text.h"
#include "net/redirect.h"

namespace modelwatch::net {

struct Loop::Transfer {
  CURL* easy = nullptr;
  Shard* shard = nullptr;
  TransferId id = 0;
  Request request;  // owns the body: CURLOPT_POSTFIELDS does not copy
  curl_slist* header_list = nullptr;
  // SMTP (see SetMailOptions): the recipients, how much of `body` was
  // uploaded, and libcurl's detailed error text.
  curl_slist* mail_rcpt = nullptr;
  size_t upload_offset = 0;
  char mail_error[CURL_ERROR_SIZE] = {};
  // libcurl's detailed text of a failure ("SSL certificate problem:
  // self-signed certificate"), for every transfer (CURLOPT_ERRORBUFFER).
  char error_text[CURL_ERROR_SIZE] = {};
  bool via_proxy = false;  // a proxy applies to the request's URL
  Response response;
  Callback done;
  bool too_large = false;
  bool structure_too_large = false;  // beyond Request::max_kept_bytes
  // With Request::keep_bytes: set once the body's first byte shows JSON.
  std::optional<JsonClipper> clipper;
  bool body_sniffed = false;
  // Set for a request that carries credentials: libcurl does not follow its
  // redirects; the loop does, to the same origin only (net/redirect.h).
  bool follow_by_hand = false;
  int redirects_left = 0;
  MonoTime started{};

  ~Transfer() {
    curl_slist_free_all(header_list);
    curl_slist_free_all(mail_rcpt);
  }

  // Uploads `request.body` (an SMTP message's DATA).
  static size_t OnRead(char* buffer, size_t size, size_t n, void* self) noexcept {
    auto* t = static_cast<Transfer*>(self);
    const std::string& body = t->request.body;
    size_t len = std::min(size * n, body.size() - t->upload_offset);
    std::memcpy(buffer, body.data() + t->upload_offset, len);
    t->upload_offset += len;
    return len;
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) noexcept {
    auto* t = static_cast<Transfer*>(self);
    size_t len = size * n;
    Response& r = t->response;
    if (r.body_bytes + len > t->request.max_body_bytes) {
      t->too_large = true;
      return CURL_WRITEFUNC_ERROR;
    }
    r.body_bytes += len;
    try {
      size_t keep = t->request.keep_bytes;
      std::string_view chunk(data, len);
      if (keep > 0 && !t->body_sniffed) {
        // JSON is told by its first byte, not by Content-Type: gateways
        // that copy a provider's API do not all label their answers.
        size_t first = chunk.find_first_not_of(" \t\r\n");
        if (first != std::string_view::npos) {
          t->body_sniffed = true;
          if (chunk[first] == '{' || chunk[first] == '[') {
            t->clipper.emplace(keep);
          }
        }
      }
      if (keep == 0) {
        r.body.append(data, len);
      } else if (t->clipper) {
        t->clipper->Feed(chunk, r.body, r.clipped);
        if (r.body.size() > t->request.max_kept_bytes) {
          t->too_large = true;
          t->structure_too_large = true;
          return CURL_WRITEFUNC_ERROR;
        }
      } else if (r.body.size() < keep) {
        r.body.append(data, std::min(len, keep - r.body.size()));
      }
    } catch (...) {
      return CURL_WRITEFUNC_ERROR;
    }
    return len;
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* self) noexcept {
    auto* t = static_cast<Transfer*>(self);
    size_t len = size * n;
    try {
      std::string_view line(data, len);
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) {
        line.remove_suffix(1);
      }
      if (line.starts_with("HTTP/")) {
        // A new status line: a redirect or 100-continue came before; keep
        // only the final answer's headers.
        t->response.headers.clear();
        t->clipper.reset();
        t->body_sniffed = false;
        return len;
      }
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        return len;
      }
      std::string name = AsciiLower(line.substr(0, colon));
      std::string_view value = TrimSpace(line.substr(colon + 1));
      size_t keep = t->request.keep_bytes;
      if (name == "content-length" && t->response.body.empty()) {
        // One allocation for the body instead of a doubling chain, plus room
        // for the padding a SIMD JSON parser reads past the end. A clipped
        // body is mostly its one long string: keep_bytes and a little more.
        size_t n = 0;
        std::from_chars(value.data(), value.data() + value.size(), n);
        if (keep > 0) {
          n = std::min(n, keep + 4096);
        }
        if (n > 0 && n <= t->request.max_body_bytes) {
          t->response.body.reserve(n + kBodyPadding);
        }
      }
      if (t->response.headers.empty()) {
        t->response.headers.reserve(16);  // what answers commonly carry
      }
      t->response.headers.emplace_back(std::move(name), std::string(value));
    } catch (...) {
      return 0;
    }
    return len;
  }
};

namespace {

TransferError MapCurlError(int code, bool too_large) {
  switch (code) {
    case CURLE_OK:
      return TransferError::kNone;
    case CURLE_OPERATION_TIMEDOUT:
      return TransferError::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
      return TransferError::kDns;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
      return TransferError::kProxy;
    case CURLE_COULDNT_CONNECT:
      return TransferError::kConnect;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TransferError::kTls;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return TransferError::kReset;
    case CURLE_FILESIZE_EXCEEDED:
      return TransferError::kBodyTooLarge;
    case CURLE_WRITE_ERROR:
      return too_large ? TransferError::kBodyTooLarge : TransferError::kOther;
    case CURLE_TOO_MANY_REDIRECTS:
      return TransferError::kTooManyRedirects;
    default:
      return TransferError::kOther;
  }
}

// The method's options, each undoing what another method's left set.
void SetMethod(CURL* easy, const Request& r) {
  if (r.method == "GET") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
  } else if (r.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
  } else {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method == "POST" ? nullptr : r.method.c_str());
  }
}

bool IsMailUrl(const std::string& url) {
  return url.starts_with("smtp://") || url.starts_with("smtps://");
}

constexpr std::chrono::nanoseconds kTimerSlack = std::chrono::milliseconds(4);

std::chrono::microseconds InfoMicros(CURL* easy, CURLINFO what) {
  curl_off_t v = 0;
  curl_easy_getinfo(easy, what, &v);
  return std::chrono::microseconds(v);
}

}  // namespace

namespace {

// libcurl's compiled-in CA bundle and directory (CURLINFO_CAINFO/CAPATH,
// libcurl 7.84+), to restore on a reused handle when nothing else is set.
TrustStore BuiltinTrust() {
  TrustStore t;
  CURL* easy = curl_easy_init();
  if (easy == nullptr) {
    return t;
  }
  char* file = nullptr;
  char* path = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CAINFO, &file) == CURLE_OK && file != nullptr) {
    t.ca_file = file;
  }
  if (curl_easy_getinfo(easy, CURLINFO_CAPATH, &path) == CURLE_OK && path != nullptr) {
    t.ca_path = path;
  }
  curl_easy_cleanup(easy);
  return t;
}

}  // namespace

Loop::Loop(const Clock& clock) : clock_(clock), env_(ReadNetEnvironment(BuiltinTrust())) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    std::fprintf(stderr, "modelwatch: cannot create epoll/eventfd\n");
    std::abort();
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

Loop::~Loop() {
  // Easy handles must leave their multi before they are cleaned up, and the
  // multis go last. Callbacks are not called: their owners may be gone.
  for (auto& [id, t] : transfers_) {
    curl_multi_remove_handle(static_cast<CURLM*>(t->shard->multi), t->easy);
    curl_easy_cleanup(t->easy);
  }
  transfers_.clear();
  for (void* e : idle_easy_) {
    curl_easy_cleanup(static_cast<CURL*>(e));
  }
  for (auto& shard : shards_) {
    curl_multi_cleanup(static_cast<CURLM*>(shard->multi));
  }
  close(wake_fd_);
  close(epoll_fd_);
}

Loop::Shard& Loop::ShardForNewTransfer() {
  // The first with room, so that few transfers share one connection cache.
  Shard* least = nullptr;
  for (auto& shard : shards_) {
    if (shard->in_flight < kShardTransfers) {
      return *shard;
    }
    if (least == nullptr || shard->in_flight < least->in_flight) {
      least = shard.get();
    }
  }
  if (least != nullptr && shards_.size() >= kMaxShards) {
    return *least;
  }
  auto shard = std::make_unique<Shard>();
  shard->loop = this;
  shard->index = static_cast<uint32_t>(shards_.size());
  CURLM* multi = curl_multi_init();
  shard->multi = multi;
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Loop::OnSocket);
  curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, shard.get());
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Loop::OnCurlTimer);
  curl_multi_setopt(multi, CURLMOPT_TIMERDATA, shard.get());
  // libcurl's default keeps four idle connections per transfer still running,
  // so the connections of a burst are closed as it ends and the next burst
  // opens (and for HTTPS, handshakes) them again. A shard keeps what a full
  // shard uses, twice over; libcurl still closes any idle for two minutes.
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(2 * kShardTransfers));
  shards_.push_back(std::move(shard));
  return *shards_.back();
}

void Loop::Stop() {
  {
    std::lock_guard lock(posted_mu_);
    stop_ = true;
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void Loop::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(posted_mu_);
    posted_.push_back(std::move(fn));
  }
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void* Loop::NewEasy() {
  CURL* easy = curl_easy_init();
  // What every transfer shares, set once per handle.
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "modelwatch/0.1");
  // Compression is not asked for ("Accept-Encoding: identity" among each
  // request's headers): an image answer is base64 of compressed pixels, which
  // gzip shrinks by about a quarter, and inflating a 4 MB answer would cost
  // more CPU than the whole rest of the check. But a server that compresses
  // anyway is decoded (gzip, deflate, br, zstd as libcurl was built with)
  // rather than judged "not JSON"; max_body_bytes bounds the decoded size.
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  return easy;
}

Loop::TransferId Loop::Start(Request request, Callback done) {
  auto t = std::make_unique<Transfer>();
  t->id = next_transfer_++;
  t->request = std::move(request);
  t->done = std::move(done);
  CURL* easy;
  if (!idle_easy_.empty()) {
    easy = static_cast<CURL*>(idle_easy_.back());
    idle_easy_.pop_back();
  } else {
    easy = NewEasy();
  }
  t->easy = easy;
  const Request& r = t->request;

  // A handle keeps its options from one transfer to the next (no
  // curl_easy_reset: resetting and setting the shared options again was a
  // measurable part of every transfer), so every option a request decides is
  // set here, every time.
  curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, t.get());
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, t.get());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(r.max_body_bytes));
  t->started = clock_.Now();
  t->redirects_left = r.max_redirects;
  t->follow_by_hand = r.max_redirects > 0 && CarriesCredentials(r);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION,
                   r.max_redirects > 0 && !t->follow_by_hand ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, static_cast<long>(r.max_redirects));
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, r.verify_tls ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, r.verify_tls ? 2L : 0L);
  // A request's own CAs replace the defaults (a private CA's bundle); set
  // every time, as the handle is reused.
  const TrustStore& trust = r.ca_file.empty() && r.ca_path.empty()
                                ? env_.default_trust
                                : TrustStore{r.ca_file, r.ca_path};
  curl_easy_setopt(easy, CURLOPT_CAINFO, trust.ca_file.empty() ? nullptr : trust.ca_file.c_str());
  curl_easy_setopt(easy, CURLOPT_CAPATH, trust.ca_path.empty() ? nullptr : trust.ca_path.c_str());
  t->error_text[0] = '\0';
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error_text);
  t->via_proxy = ProxyApplies(env_.proxy, r.url);

  // curl waits up to a second for "100 Continue" before sending a large
  // body; providers do not need it.
  t->header_list = curl_slist_append(t->header_list, "Expect:");
  bool own_encoding = false;
  for (const auto& [k, v] : r.headers) {
    own_encoding = own_encoding || AsciiLower(k) == "accept-encoding";
  }
  if (!own_encoding) {
    t->header_list = curl_slist_append(t->header_list, "Accept-Encoding: identity");
  }
  for (const auto& [k, v] : r.headers) {
    t->header_list = curl_slist_append(t->header_list, (k + ": " + v).c_str());
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);

  SetMethod(easy, r);
  SetMailOptions(t.get());

  TransferId id = t->id;
  Transfer* raw = t.get();
  Shard& shard = ShardForNewTransfer();
  t->shard = &shard;
  ++shard.in_flight;
  transfers_.emplace(id, std::move(t));
  CURLMcode mc = curl_multi_add_handle(static_cast<CURLM*>(shard.multi), easy);
  if (mc != CURLM_OK) {
    // Report on the next iteration: Start never calls back synchronously.
    raw->response.error = TransferError::kOther;
    raw->response.error_message = curl_multi_strerror(mc);
    Post([this, id] {
      auto it = transfers_.find(id);
      if (it != transfers_.end()) {
        Finish(it->second.get(), -1);
      }
    });
  }
  return id;
}

bool Loop::FollowByHand(Transfer* t) {
  CURL* easy = t->easy;
  long code = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
  char* location = nullptr;
  curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &location);
  if (!IsRedirect(static_cast<int>(code)) || location == nullptr) {
    return false;
  }
  Response& resp = t->response;
  if (t->redirects_left <= 0) {
    resp.error = TransferError::kTooManyRedirects;
    resp.error_message = fmt::format("Maximum ({}) redirects followed", t->request.max_redirects);
    return false;
  }
  std::string target = location;
  std::optional<std::string> from = Origin(t->request.url);
  std::optional<std::string> to = Origin(target);
  if (!from || !to || *from != *to) {
    // Not followed: the credentials would travel to another origin (or
    // from https to http). The answer is the redirect itself.
    resp.refused_redirect = to.value_or("an unparsable URL");
    return false;
  }
  auto left = t->request.timeout -
              std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now() - t->started);
  if (left <= std::chrono::milliseconds(0)) {
    return false;
  }
  --t->redirects_left;
  CURLM* multi = static_cast<CURLM*>(t->shard->multi);
  curl_multi_remove_handle(multi, easy);
  Request& r = t->request;
  r.url = std::move(target);
  std::string method = MethodAfterRedirect(static_cast<int>(code), r.method);
  if (method != r.method) {
    r.method = std::move(method);
    r.body.clear();
  }
  curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(left.count()));
  SetMethod(easy, r);
  resp = Response{};
  t->too_large = false;
  t->clipper.reset();
  t->body_sniffed = false;
  if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
    resp.error = TransferError::kOther;
    resp.error_message = "cannot restart the transfer after a redirect";
    return false;
  }
  return true;
}

void Loop::Finish(Transfer* t, int curl_code) {
  CURL* easy = t->easy;
  Response& resp = t->response;
  if (curl_code == CURLE_OK && t->follow_by_hand && resp.error == TransferError::kNone &&
      FollowByHand(t)) {
    return;
  }
  if (curl_code >= 0) {
    long code = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    resp.http_status = static_cast<int>(code);
    if (resp.error == TransferError::kNone) {
      resp.error = MapCurlError(curl_code, t->too_large);
      long connect_code = 0;
      curl_easy_getinfo(easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
      // Through a proxy, the only connection libcurl makes is to the proxy;
      // a CONNECT answered with other than 2xx is the proxy's refusal.
      if (resp.error != TransferError::kNone && t->via_proxy &&
          (curl_code == CURLE_COULDNT_CONNECT ||
           (connect_code != 0 && (connect_code < 200 || connect_code > 299)))) {
        resp.error = TransferError::kProxy;
      }
    }
    if (resp.error != TransferError::kNone && resp.error_message.empty()) {
      // libcurl's own detail when it has one, else its code's name.
      resp.error_message = t->error_text[0] != '\0'
                               ? std::string(t->error_text)
                               : curl_easy_strerror(static_cast<CURLcode>(curl_code));
      if (t->structure_too_large) {
        resp.error_message = fmt::format(
            "JSON answer holds more than {} bytes besides its long strings (an image answer "
            "holds a few kilobytes); stopped reading after {} bytes",
            t->request.max_kept_bytes, resp.body_bytes);
      } else if (resp.error == TransferError::kBodyTooLarge) {
        resp.error_message =
            fmt::format("response body larger than {} bytes", t->request.max_body_bytes);
      }
    }
    resp.phases.dns = InfoMicros(easy, CURLINFO_NAMELOOKUP_TIME_T);
    resp.phases.connect = InfoMicros(easy, CURLINFO_CONNECT_TIME_T);
    resp.phases.tls = InfoMicros(easy, CURLINFO_APPCONNECT_TIME_T);
    resp.phases.first_byte = InfoMicros(easy, CURLINFO_STARTTRANSFER_TIME_T);
    resp.phases.total = InfoMicros(easy, CURLINFO_TOTAL_TIME_T);
  }
  curl_multi_remove_handle(static_cast<CURLM*>(t->shard->multi), easy);
  --t->shard->in_flight;
  // The handle keeps its options for the next transfer, which sets every
  // one a request decides; these point into the transfer freed below.
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, nullptr);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  ResetMailOptions(t);
  idle_easy_.push_back(easy);

  // Erase before calling back, so the callback may start new transfers.
  auto node = transfers_.extract(t->id);
  Callback done = std::move(node.mapped()->done);
  Response out = std::move(node.mapped()->response);
  node = {};
  if (done) {
    done(std::move(out));
  }
}

void Loop::SetMailOptions(Transfer* t) {
  const Request& r = t->request;
  if (!IsMailUrl(r.url)) {
    return;
  }
  CURL* easy = t->easy;
  // Allowed for this transfer only; ResetMailOptions puts back "http,https".
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(easy, CURLOPT_MAIL_FROM, r.mail_from.c_str());
  for (const std::string& rcpt : r.mail_rcpt) {
    t->mail_rcpt = curl_slist_append(t->mail_rcpt, rcpt.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, t->mail_rcpt);
  curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Transfer::OnRead);
  curl_easy_setopt(easy, CURLOPT_READDATA, t);
  curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  curl_easy_setopt(easy, CURLOPT_USE_SSL,
                   static_cast<long>(r.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!r.username.empty()) {
    curl_easy_setopt(easy, CURLOPT_USERNAME, r.username.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, r.password.c_str());
  }
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->mail_error);
}

void Loop::ResetMailOptions(Transfer* t) {
  if (!IsMailUrl(t->request.url)) {
    return;
  }
  // "RCPT failed: 550" says more than "Failed sending data to the peer".
  Response& resp = t->response;
  if (resp.error != TransferError::kNone && resp.error != TransferError::kCancelled &&
      t->mail_error[0] != '\0') {
    resp.error_message += std::string(": ") + t->mail_error;
  }
  CURL* easy = t->easy;
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_MAIL_FROM, nullptr);
  curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(easy, CURLOPT_UPLOAD, 0L);
  curl_easy_setopt(easy, CURLOPT_READFUNCTION, nullptr);
  curl_easy_setopt(easy, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(-1));
  curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
  curl_easy_setopt(easy, CURLOPT_USERNAME, nullptr);
  curl_easy_setopt(easy, CURLOPT_PASSWORD, nullptr);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
}

void Loop::Cancel(TransferId id) {
  auto it = transfers_.find(id);
  if (it == transfers_.end()) {
    return;
  }
  it->second->response.error = TransferError::kCancelled;
  it->second->response.error_message = "cancelled";
  Finish(it->second.get(), -1);
}

void Loop::CancelAll() {
  std::vector<TransferId> ids;
  ids.reserve(transfers_.size());
  for (const auto& [id, t] : transfers_) {
    ids.push_back(id);
  }
  for (TransferId id : ids) {
    Cancel(id);
  }
}

Loop::TimerId Loop::RunAt(MonoTime when, std::function<void()> fn) {
  TimerId id = next_timer_++;
  timers_.emplace(id, std::move(fn));
  timer_heap_.push(Timer{when, id});
  return id;
}

void Loop::CancelTimer(TimerId id) { timers_.erase(id); }

void Loop::WatchFd(int fd, std::function<void()> on_readable) {
  parked_.erase(fd);  // the number may have belonged to a closed connection
  watched_[fd] = std::move(on_readable);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
}

void Loop::RemoveFd(int fd) {
  watched_.erase(fd);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

int Loop::OnSocket(void* /*easy*/, int fd, int what, void* self, void* socket_data) noexcept {
  auto* shard = static_cast<Shard*>(self);
  Loop* loop = shard->loop;
  CURLM* multi = static_cast<CURLM*>(shard->multi);
  if (what == CURL_POLL_REMOVE) {
    // A kept-alive connection leaves epoll's interest list between requests
    // and rejoins for the next: park it instead of paying EPOLL_CTL_DEL now
    // and EPOLL_CTL_ADD later. Run() drops it if it wakes while parked; the
    // kernel drops it if curl closes it.
    loop->parked_.insert(fd);
    curl_multi_assign(multi, fd, nullptr);
    return 0;
  }
  epoll_event ev{};
  // The socket in the low half, its shard in the high half.
  ev.data.u64 = (uint64_t{shard->index} << 32) | static_cast<uint32_t>(fd);
  ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
  bool known = socket_data != nullptr || loop->parked_.erase(fd) > 0;
  int first = known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
  int second = known ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
  if (epoll_ctl(loop->epoll_fd_, first, fd, &ev) != 0) {
    epoll_ctl(loop->epoll_fd_, second, fd, &ev);
  }
  // Any non-null marker: tells the next call this socket is registered.
  curl_multi_assign(multi, fd, shard);
  return 0;
}

int Loop::OnCurlTimer(void* /*multi*/, long timeout_ms, void* self) noexcept {
  auto* shard = static_cast<Shard*>(self);
  if (timeout_ms < 0) {
    shard->timer_armed = false;
  } else {
    shard->timer_armed = true;
    shard->deadline = shard->loop->clock_.Now() + std::chrono::milliseconds(timeout_ms);
  }
  return 0;
}

void Loop::SocketAction(Shard& shard, int fd, int ev_bitmask) {
  int running = 0;
  curl_multi_socket_action(static_cast<CURLM*>(shard.multi), fd, ev_bitmask, &running);
}

void Loop::ReadCompletions(Shard& shard) {
  CURLMsg* msg;
  int left = 0;
  while ((msg = curl_multi_info_read(static_cast<CURLM*>(shard.multi), &left)) != nullptr) {
    if (msg->msg != CURLMSG_DONE) {
      continue;
    }
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
    if (t != nullptr) {
      Finish(t, msg->data.result);
    }
  }
}

void Loop::FireTimers() {
  MonoTime now = clock_.Now();
  // Only timers that existed when this pass began: one that re-arms itself
  // for now waits for the next pass, so the loop still reads its stop
  // request and its sockets however many timers are due.
  const TimerId limit = next_timer_;
  while (!timer_heap_.empty() && timer_heap_.top().when <= now && timer_heap_.top().id < limit) {
    TimerId id = timer_heap_.top().id;
    timer_heap_.pop();
    auto it = timers_.find(id);
    if (it == timers_.end()) {
      continue;  // cancelled
    }
    std::function<void()> fn = std::move(it->second);
    timers_.erase(it);
    fn();
  }
}

void Loop::DrainPosted() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard lock(posted_mu_);
    batch.swap(posted_);
  }
  for (auto& fn : batch) {
    fn();
  }
}

int Loop::WaitMillis() const {
  MonoTime now = clock_.Now();
  MonoTime until = now + std::chrono::seconds(1);
  for (const auto& shard : shards_) {
    if (shard->timer_armed) {
      until = std::min(until, shard->deadline);
    }
  }
  // Cancelled timers stay on the heap until popped; waking early for one is
  // harmless.
  if (!timer_heap_.empty()) {
    // Timers wake the loop on a coarse grid, so the thousand checks due in a
    // second start in a few batches rather than a thousand wake-ups. Each
    // timer fires at most kTimerSlack late, never early.
    auto grid = timer_heap_.top().when.time_since_epoch();
    grid = (grid + kTimerSlack - std::chrono::nanoseconds(1)) / kTimerSlack * kTimerSlack;
    until = std::min(until, MonoTime(grid));
  }
  if (until <= now) {
    return 0;
  }
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(until - now).count();
  return static_cast<int>((us + 999) / 1000);
}

void Loop::Run() {
  epoll_event events[256];
  while (true) {
    {
      std::lock_guard lock(posted_mu_);
      if (stop_) {
        stop_ = false;
        return;
      }
    }
    int n = epoll_wait(epoll_fd_, events, 256, WaitMillis());
    for (int i = 0; i < n; ++i) {
      int fd = static_cast<int>(events[i].data.u64 & 0xffffffffu);
      if (fd == wake_fd_) {
        uint64_t v;
        [[maybe_unused]] ssize_t r = read(wake_fd_, &v, sizeof v);
        continue;
      }
      if (auto it = watched_.find(fd); it != watched_.end()) {
        auto fn = it->second;  // the callback may RemoveFd
        fn();
        continue;
      }
      if (parked_.erase(fd) > 0) {
        // An idle connection woke (the server closed it): stop watching it;
        // curl finds it dead when it next looks.
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
        continue;
      }
      int mask = 0;
      if (events[i].events & EPOLLIN) {
        mask |= CURL_CSELECT_IN;
      }
      if (events[i].events & EPOLLOUT) {
        mask |= CURL_CSELECT_OUT;
      }
      if (events[i].events & (EPOLLERR | EPOLLHUP)) {
        mask |= CURL_CSELECT_ERR;
      }
      uint64_t shard = events[i].data.u64 >> 32;
      if (shard < shards_.size()) {
        SocketAction(*shards_[shard], fd, mask);
      }
    }
    // By index: a completion's callback may start transfers, and a new
    // transfer may add a shard.
    MonoTime now = clock_.Now();
    for (size_t i = 0; i < shards_.size(); ++i) {
      Shard& shard = *shards_[i];
      if (shard.timer_armed && now >= shard.deadline) {
        shard.timer_armed = false;
        SocketAction(shard, CURL_SOCKET_TIMEOUT, 0);
      }
      ReadCompletions(shard);
    }
    FireTimers();
    DrainPosted();
  }
}

}  // namespace modelwatch::net
