#include <gtest/gtest.h>

#include "probe/probe.h"

namespace modelwatch::probe {
namespace {

using std::chrono::milliseconds;

config::Monitor Monitor(std::vector<std::string> conditions) {
  config::Monitor m;
  m.name = "api";
  m.kind = "http";
  m.method = "POST";
  m.url = "https://status.example/health";
  m.headers = {{"X-Token", Secret("header-secret-42")}, {"Accept", Secret("application/json")}};
  m.body = R"({"ping":1})";
  m.timeout = milliseconds(10'000);
  for (auto& text : conditions) {
    m.conditions.push_back({text, {"modelwatch.yaml", 30, 9}});
  }
  return m;
}

ProbePtr Make(const config::Monitor& m) {
  auto p = MakeProbe(m);
  EXPECT_TRUE(p.has_value()) << (p.has_value() ? "" : p.error().message());
  return std::move(p).value();
}

net::Response Answer(int status, std::string body) {
  net::Response r;
  r.http_status = status;
  r.body = std::move(body);
  return r;
}

TEST(Http, BuildsTheRequestWithSecretHeaders) {
  net::Request r = Make(Monitor({}))->BuildRequest();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://status.example/health");
  EXPECT_EQ(r.headers,
            (net::Headers{{"X-Token", "header-secret-42"}, {"Accept", "application/json"}}));
  EXPECT_EQ(r.body, R"({"ping":1})");
  EXPECT_EQ(r.timeout, milliseconds(10'000));
}

TEST(Http, InterpretsWithConditions) {
  struct Case {
    std::string name;
    std::vector<std::string> conditions;
    net::Response response;
    milliseconds latency;
    CheckStatus want;
    std::string error;
  };
  const Case cases[] = {
      {"no_conditions_2xx", {}, Answer(204, ""), milliseconds(5), CheckStatus::kSuccess, ""},
      {"no_conditions_5xx",
       {},
       Answer(503, "down"),
       milliseconds(5),
       CheckStatus::kServerError,
       "HTTP 503: down"},
      {"all_hold",
       {"status == 200", "latency < 2s", "body.data[0].id exists", "body.status == \"ok\"",
        "body.count > 3"},
       Answer(200, R"({"status":"ok","count":4,"data":[{"id":"a"}]})"),
       milliseconds(300),
       CheckStatus::kSuccess,
       ""},
      {"status_fails_on_503_uses_http_classification",
       {"status == 200"},
       Answer(503, "Service Unavailable"),
       milliseconds(5),
       CheckStatus::kServerError,
       "condition \"status == 200\" failed: status is 503; HTTP 503: Service Unavailable"},
      {"status_fails_on_401",
       {"status == 200"},
       Answer(401, ""),
       milliseconds(5),
       CheckStatus::kAuthError,
       "condition \"status == 200\" failed: status is 401; HTTP 401"},
      {"status_fails_on_429",
       {"status == 200"},
       Answer(429, ""),
       milliseconds(5),
       CheckStatus::kRateLimited,
       "condition \"status == 200\" failed: status is 429; HTTP 429"},
      {"status_fails_on_302",
       {"status == 200"},
       Answer(302, ""),
       milliseconds(5),
       CheckStatus::kInvalidResponse,
       "condition \"status == 200\" failed: status is 302"},
      {"expected_error_status_is_success",
       {"status == 503"},
       Answer(503, ""),
       milliseconds(5),
       CheckStatus::kSuccess,
       ""},
      {"latency_fails",
       {"latency < 2s"},
       Answer(200, ""),
       milliseconds(2500),
       CheckStatus::kInvalidResponse,
       "condition \"latency < 2s\" failed: latency is 2500ms"},
      {"body_value_fails",
       {"status == 200", "body.status == \"ok\""},
       Answer(200, R"({"status":"degraded"})"),
       milliseconds(5),
       CheckStatus::kInvalidResponse,
       "condition \"body.status == \"ok\"\" failed: body.status is \"degraded\""},
      {"body_not_json",
       {"body.count > 3"},
       Answer(200, "<html/>"),
       milliseconds(5),
       CheckStatus::kInvalidResponse,
       "condition \"body.count > 3\" failed: body is not JSON"},
      {"first_failing_condition_wins",
       {"body.a exists", "status == 201"},
       Answer(200, "{}"),
       milliseconds(5),
       CheckStatus::kInvalidResponse,
       "condition \"body.a exists\" failed: body.a is missing"},
      {"echoed_header_secret_is_masked",
       {"body.ok == true"},
       Answer(200, R"({"ok":false,"token":"header-secret-42"})"),
       milliseconds(5),
       CheckStatus::kInvalidResponse,
       "condition \"body.ok == true\" failed: body.ok is false"},
      {"echoed_secret_in_value",
       {"body.token == \"x\""},
       Answer(200, R"({"token":"header-secret-42"})"),
       milliseconds(5),
       CheckStatus::kInvalidResponse,
       "condition \"body.token == \"x\"\" failed: body.token is \"***\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Verdict v = Make(Monitor(c.conditions))->Interpret(c.response, 0, c.latency);
    EXPECT_EQ(ToString(v.status), ToString(c.want));
    EXPECT_EQ(v.error, c.error);
  }
}

TEST(Http, InvalidConditionsAreNamedWithTheirPlace) {
  auto p = MakeProbe(Monitor({"status == 200", "latency < soon", "colour == red"}));
  ASSERT_FALSE(p.has_value());
  const std::string& msg = p.error().message();
  EXPECT_TRUE(
      msg.starts_with("monitor \"api\": kind http: condition \"latency < soon\" "
                      "(modelwatch.yaml:30:9): invalid duration"))
      << msg;
  EXPECT_NE(msg.find("condition \"colour == red\" (modelwatch.yaml:30:9): unknown subject"),
            std::string::npos)
      << msg;
}

TEST(Http, RequiresAnHttpUrl) {
  config::Monitor m = Monitor({});
  m.url.clear();
  auto p = MakeProbe(m);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(), "monitor \"api\": kind http: missing url");
  m.url = "ftp://x";
  p = MakeProbe(m);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(),
            "monitor \"api\": kind http: url must start with http:// or https://");
}

}  // namespace
}  // namespace modelwatch::probe
