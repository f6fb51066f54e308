#include "net/redirect.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "net/loop.h"

namespace modelwatch::net {
namespace {

// A loopback HTTP server that records every request it gets (path, method,
// body and the credential headers) and can redirect anywhere.
std::string Escape(const std::string& s) {
  char* e = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out(e);
  curl_free(e);
  return out;
}

class Recorder {
 public:
  struct Seen {
    std::string path, method, body, api_key, authorization;
  };

  Recorder() {
    auto record = [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        seen_.push_back({req.path, req.method, req.body, req.get_header_value("x-goog-api-key"),
                         req.get_header_value("Authorization")});
      }
      if (req.has_param("to")) {
        res.status = std::stoi(req.get_param_value("code"));
        res.set_header("Location", req.get_param_value("to"));
        return;
      }
      res.set_content("arrived " + req.method + " " + req.body, "text/plain");
    };
    server_.Get(".*", record);
    server_.Post(".*", record);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Recorder() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(port_) + path;
  }
  // A URL here that answers `code` with Location: `to`.
  std::string RedirectUrl(int code, const std::string& to) const {
    return Url("/go?code=" + std::to_string(code) + "&to=" + Escape(to));
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

class RedirectTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  Response Fetch(Request req) {
    Loop loop(clock_);
    Response out;
    loop.Start(std::move(req), [&](Response&& r) {
      out = std::move(r);
      loop.Stop();
    });
    loop.Run();
    return out;
  }

  Request WithKey(std::string url, std::string method = "GET", std::string body = "") {
    Request r;
    r.url = std::move(url);
    r.method = std::move(method);
    r.body = std::move(body);
    r.headers = {{"x-goog-api-key", "AIzaSECRET0123456789"}, {"Content-Type", "application/json"}};
    return r;
  }

  SystemClock clock_;
  Recorder origin_;
  Recorder elsewhere_;
};

TEST_F(RedirectTest, KeyHeaderNeverReachesAnotherPort) {
  Response r = Fetch(WithKey(origin_.RedirectUrl(302, elsewhere_.Url("/catch"))));
  EXPECT_EQ(r.http_status, 302);
  EXPECT_EQ(r.refused_redirect, elsewhere_.Url(""));  // its origin: scheme, host, port
  EXPECT_TRUE(elsewhere_.seen().empty());
}

TEST_F(RedirectTest, KeyHeaderNeverReachesAnotherHostName) {
  // Same address and port, but "localhost" is another origin.
  Response r = Fetch(WithKey(origin_.RedirectUrl(302, origin_.Url("/catch", "localhost"))));
  EXPECT_EQ(r.http_status, 302);
  ASSERT_EQ(origin_.seen().size(), 1u);
  EXPECT_EQ(origin_.seen()[0].path, "/go");
}

TEST_F(RedirectTest, A307ToAnotherOriginResendsNeitherKeyNorBody) {
  Response r = Fetch(WithKey(origin_.RedirectUrl(307, elsewhere_.Url("/catch")), "POST",
                             R"({"prompt":"a red fox"})"));
  EXPECT_EQ(r.http_status, 307);
  EXPECT_TRUE(elsewhere_.seen().empty());
}

TEST_F(RedirectTest, AuthorizationIsTreatedLikeAnyCredential) {
  Request req;
  req.url = origin_.RedirectUrl(301, elsewhere_.Url("/catch"));
  req.headers = {{"Authorization", "Bearer sk-secret"}};
  EXPECT_EQ(Fetch(req).http_status, 301);
  EXPECT_TRUE(elsewhere_.seen().empty());
}

TEST_F(RedirectTest, SameOrigin307KeepsMethodBodyAndKey) {
  Response r = Fetch(WithKey(origin_.RedirectUrl(307, origin_.Url("/landed")), "POST", "{}"));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "arrived POST {}");
  EXPECT_TRUE(r.refused_redirect.empty());
  ASSERT_EQ(origin_.seen().size(), 2u);
  EXPECT_EQ(origin_.seen()[1].path, "/landed");
  EXPECT_EQ(origin_.seen()[1].api_key, "AIzaSECRET0123456789");
}

TEST_F(RedirectTest, SameOrigin303TurnsPostIntoGetWithoutBody) {
  Response r = Fetch(WithKey(origin_.RedirectUrl(303, origin_.Url("/landed")), "POST", "{}"));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "arrived GET ");
}

TEST_F(RedirectTest, RelativeLocationIsTheSameOrigin) {
  Response r = Fetch(WithKey(origin_.RedirectUrl(302, "/landed")));
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "arrived GET ");
}

TEST_F(RedirectTest, ByHandFollowingStopsAtTheLimit) {
  // Two redirects on the same origin, with one allowed.
  Request req = WithKey(origin_.RedirectUrl(302, origin_.RedirectUrl(302, origin_.Url("/x"))));
  req.max_redirects = 1;
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kTooManyRedirects);
  EXPECT_EQ(origin_.seen().size(), 2u);
}

TEST_F(RedirectTest, ARequestWithoutCredentialsFollowsAnywhere) {
  // An image link (dall-e's signed URL) carries no key and may live elsewhere.
  Request req;
  req.url = origin_.RedirectUrl(302, elsewhere_.Url("/image"));
  Response r = Fetch(req);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "arrived GET ");
  EXPECT_EQ(elsewhere_.seen().size(), 1u);
}

TEST(Origin, GivesSchemeHostAndDefaultPort) {
  EXPECT_EQ(Origin("https://Generativelanguage.googleapis.com/v1beta/x?key=1"),
            "https://generativelanguage.googleapis.com:443");
  EXPECT_EQ(Origin("http://127.0.0.1:8080/a"), "http://127.0.0.1:8080");
  EXPECT_NE(Origin("https://h.example/a"), Origin("http://h.example/a"));
  EXPECT_EQ(Origin("not a url"), std::nullopt);
}

TEST(CarriesCredentials, HarmlessHeadersDoNotCount) {
  Request r;
  r.url = "https://api.example/v1";
  r.headers = {{"Content-Type", "application/json"}, {"Accept", "*/*"}};
  EXPECT_FALSE(CarriesCredentials(r));
  r.headers.emplace_back("X-Custom-Token", "t");
  EXPECT_TRUE(CarriesCredentials(r));
  Request with_user;
  with_user.url = "https://user:pass@api.example/v1";
  EXPECT_TRUE(CarriesCredentials(with_user));
}

TEST(MethodAfterRedirect, FollowsWhatLibcurlAndBrowsersDo) {
  EXPECT_EQ(MethodAfterRedirect(307, "POST"), "POST");
  EXPECT_EQ(MethodAfterRedirect(308, "PUT"), "PUT");
  EXPECT_EQ(MethodAfterRedirect(303, "POST"), "GET");
  EXPECT_EQ(MethodAfterRedirect(303, "HEAD"), "HEAD");
  EXPECT_EQ(MethodAfterRedirect(302, "POST"), "GET");
  EXPECT_EQ(MethodAfterRedirect(301, "PUT"), "PUT");
}

}  // namespace
}  // namespace modelwatch::net
